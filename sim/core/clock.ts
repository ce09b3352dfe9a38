// Simulated time. One real millisecond is `timeScale` simulated milliseconds; `advance()` jumps ahead.
// Asynchronous provider behaviour is modelled as events scheduled at simulated instants and applied,
// in time order, before every request is served (a discrete-event simulation with no real timers).

export class SimClock {
  private realStart = performance.now();
  private simStart: number;
  private offsetMs = 0;

  constructor(
    public timeScale: number,
    startEpochMs: number = Date.now(),
  ) {
    if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
    this.simStart = startEpochMs;
  }

  /** simulated epoch milliseconds */
  now(): number {
    return Math.floor(this.simStart + this.offsetMs + (performance.now() - this.realStart) * this.timeScale);
  }

  /** jump simulated time forward (tests, benchmarks) */
  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new Error(`advance needs seconds >= 0, got ${seconds}`);
    this.offsetMs += seconds * 1000;
  }

  /** change the scale without a jump in simulated time */
  setTimeScale(timeScale: number): void {
    if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
    const now = this.now();
    this.realStart = performance.now();
    this.simStart = now;
    this.offsetMs = 0;
    this.timeScale = timeScale;
  }

  /** real milliseconds until a simulated instant */
  realMsUntil(simEpochMs: number): number {
    return Math.max(0, (simEpochMs - this.now()) / this.timeScale);
  }
}

interface ScheduledEvent {
  at: number;
  seq: number;
  label: string;
  run: () => void;
}

export class Scheduler {
  private queue: ScheduledEvent[] = [];
  private seq = 0;
  /** simulated time of the event being applied, or undefined outside runDue */
  current: number | undefined;

  constructor(private readonly clock: SimClock) {}

  /** run `fn` when simulated time reaches `at` (epoch ms) */
  at(at: number, label: string, fn: () => void): void {
    this.queue.push({ at, seq: this.seq++, label, run: fn });
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** simulated "now" as seen by model code: the instant of the event being applied, else the clock */
  now(): number {
    return this.current ?? this.clock.now();
  }

  /** apply every event due by `until`, in order; `after` runs after each one with the event time */
  runDue(until: number, after?: (at: number) => void): void {
    while (this.queue.length > 0 && (this.queue[0] as ScheduledEvent).at <= until) {
      const ev = this.queue.shift() as ScheduledEvent;
      this.current = ev.at;
      try {
        ev.run();
        after?.(ev.at);
      } finally {
        this.current = undefined;
      }
    }
  }

  pending(): Array<{ at: number; label: string }> {
    return this.queue.map((e) => ({ at: e.at, label: e.label }));
  }

  clear(): void {
    this.queue = [];
  }
}
