// Request counters per service and action, for benchmarks and tests (GET /_sim/metrics).
export interface ActionCounters {
  count: number;
  errors: number;
  faults: number;
}

export class Metrics {
  requests: Record<string, Record<string, ActionCounters>> = {};
  total = 0;
  /** assumed error codes answered as unknown ones (`assumedErrorCodes: 'unknown'`): `service:action:code` -> count */
  assumedReplaced: Record<string, number> = {};

  recordAssumed(service: string, action: string, code: string): void {
    const k = `${service}:${action}:${code}`;
    this.assumedReplaced[k] = (this.assumedReplaced[k] ?? 0) + 1;
  }

  record(service: string, action: string, status: number, faulted: boolean): void {
    const byService = this.requests[service] ?? {};
    this.requests[service] = byService;
    const c = byService[action] ?? { count: 0, errors: 0, faults: 0 };
    byService[action] = c;
    c.count++;
    if (status >= 400) c.errors++;
    if (faulted) c.faults++;
    this.total++;
  }

  reset(): void {
    this.requests = {};
    this.total = 0;
    this.assumedReplaced = {};
  }

  snapshot(): {
    total: number;
    requests: Record<string, Record<string, ActionCounters>>;
    assumedReplaced: Record<string, number>;
  } {
    return {
      total: this.total,
      requests: structuredClone(this.requests),
      assumedReplaced: { ...this.assumedReplaced },
    };
  }
}
