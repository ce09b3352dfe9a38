import { AsyncLocalStorage } from 'node:async_hooks';
import * as z from 'zod';

// The short end of a wait (scripts/statemachines.ts `wait()`): the state machine has already waited most of the
// provider's typical latency in a Wait state; the task then checks, and while the step reports NotReady it checks
// again every `everySeconds`, inside the same invocation, for at most `forSeconds`. A "not ready" seen here is a
// normal result, not a Lambda error: only a resource still not ready when the budget is spent leaves the function
// as NotReady (the ASL's bounded Retry and the diagnosis on timeout take over from there).
//
// The budget is in the provider's seconds. In Lambda they are real seconds (the budget stays below the function's
// timeout). A local run executes the handlers against the simulator, whose clock runs `timeScale` times faster:
// the local runner says so through `simulatedTimeScale`, so a 2 s pause takes 2 simulated seconds there too.

export const PollPlanSchema = z.object({
  everySeconds: z.number().positive().max(60),
  forSeconds: z.number().min(0).max(50),
});
export type PollPlan = z.infer<typeof PollPlanSchema>;

/** the simulator's time scale for handlers a local run hosts (unset in Lambda) */
export const simulatedTimeScale = new AsyncLocalStorage<number>();

function timeScale(): number {
  const local = simulatedTimeScale.getStore();
  if (local && local > 0) return local;
  const env = Number(process.env.VPN_BRIDGE_TIME_SCALE);
  return env > 0 ? env : 1;
}

const pause = (seconds: number) => new Promise<void>((r) => setTimeout(r, (seconds * 1000) / timeScale()));

const notReady = (e: unknown) => (e as { name?: unknown } | undefined)?.name === 'NotReady';

/** the poll plan a task's input carries (`{ ..., poll: { everySeconds, forSeconds } }`), if any */
export function pollPlanOf(event: unknown): PollPlan | undefined {
  if (!event || typeof event !== 'object' || !('poll' in event)) return undefined;
  const parsed = PollPlanSchema.safeParse((event as { poll: unknown }).poll);
  return parsed.success ? parsed.data : undefined;
}

/**
 * `check` until it stops answering NotReady, every `everySeconds` for at most `forSeconds` (then its last NotReady
 * is thrown). Every other error leaves at once. `check` must be idempotent: every step is.
 */
export async function pollWhileNotReady<O>(check: () => Promise<O>, plan: PollPlan | undefined): Promise<O> {
  const polls = plan ? Math.floor(plan.forSeconds / plan.everySeconds) : 0;
  for (let i = 0; ; i++) {
    try {
      return await check();
    } catch (e) {
      if (!plan || i >= polls || !notReady(e)) throw e;
    }
    await pause(plan.everySeconds);
  }
}
