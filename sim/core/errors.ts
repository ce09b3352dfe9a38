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
}
