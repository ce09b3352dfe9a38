// A provider error raised by a simulated service. Each protocol renders it in its own wire format.
export class SimError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status: number = 400,
    /** extra members of a JSON error body (Alibaba's AccessDeniedDetail) */
    public readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'SimError';
  }

  /** a documented code answered in a case no document gives it for (sim/core/error-codes.ts) */
  assumedUse = false;
}

/** mark an error whose code is documented, but not for the case the simulator answers it in */
export function assumedUse(err: SimError): SimError {
  err.assumedUse = true;
  return err;
}
