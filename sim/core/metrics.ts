// Request counters per service and action, for benchmarks and tests (GET /_sim/metrics).
export interface ActionCounters {
  count: number;
  errors: number;
  faults: number;
}

export class Metrics {
  requests: Record<string, Record<string, ActionCounters>> = {};
  total = 0;

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
  }

  snapshot(): { total: number; requests: Record<string, Record<string, ActionCounters>> } {
    return { total: this.total, requests: structuredClone(this.requests) };
  }
}
