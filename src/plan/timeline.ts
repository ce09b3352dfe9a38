// An operation's steps on the clock (from its execution history) and the chain of steps that decided when it
// ended: walking back from the step that finished last, each step's predecessor is the one that finished last
// before it started. Pure.

export interface TimelineStep {
  state: string;
  /** seconds from the operation's start */
  start: number;
  finish: number;
  /** times the state was entered again (a loop back to it) */
  retries: number;
  failed: boolean;
  critical: boolean;
}

export interface HistoryEvent {
  type: string;
  /** epoch ms */
  at: number;
  state?: string;
}

/** the Task states of an execution, from its history's TaskStateEntered / TaskStateExited events */
export function timelineOf(
  events: readonly HistoryEvent[],
  opts: { failed?: boolean } = {},
): { steps: TimelineStep[]; seconds: number } {
  if (events.length === 0) return { steps: [], seconds: 0 };
  // from the first step (an execution's own set-up before it is not the operation's time)
  const tasks = events.filter((e) => e.type === 'TaskStateEntered');
  const t0 = Math.min(...(tasks.length > 0 ? tasks : events).map((e) => e.at));
  const byState = new Map<string, TimelineStep>();
  const open = new Set<string>();
  for (const e of events) {
    if (!e.state || (e.type !== 'TaskStateEntered' && e.type !== 'TaskStateExited')) continue;
    const at = (e.at - t0) / 1000;
    let s = byState.get(e.state);
    if (!s) {
      s = { state: e.state, start: at, finish: at, retries: 0, failed: false, critical: false };
      byState.set(e.state, s);
    } else if (e.type === 'TaskStateEntered') s.retries++;
    s.finish = Math.max(s.finish, at);
    if (e.type === 'TaskStateEntered') open.add(e.state);
    else open.delete(e.state);
  }
  const seconds = Math.max(0, ...events.map((e) => (e.at - t0) / 1000));
  for (const s of byState.values()) s.start = Math.max(0, s.start);
  const steps = [...byState.values()];
  // a step entered and never left ran until the end, and failed when the operation did
  for (const s of steps)
    if (open.has(s.state)) {
      s.finish = seconds;
      s.failed = opts.failed === true;
    }
  markCritical(steps);
  return { steps, seconds };
}

function markCritical(steps: TimelineStep[]): void {
  if (steps.length === 0) return;
  let at = steps.reduce((a, b) => (b.finish >= a.finish ? b : a));
  at.critical = true;
  for (;;) {
    const start = at.start;
    const before = steps.filter((s) => s !== at && !s.critical && s.finish <= start + 1e-6);
    if (before.length === 0) return;
    at = before.reduce((a, b) => (b.finish > a.finish || (b.finish === a.finish && b.start < a.start) ? b : a));
    at.critical = true;
  }
}
