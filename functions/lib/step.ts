import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { InvalidInput } from '../../src/errors';
import { logger } from '../../src/log';
import { CONNECTION_NAME } from '../../src/spec/name';
import type { ConnRef } from '../../src/workflow/deps';
import { pollPlanOf, pollWhileNotReady } from './poll';

// One Lambda = one small file: `export const handler = awsStep(awsCreateVgw)`. The wrapper parses the input with
// zod, adds the Lambda context and the connection to the structured logs (what Powertools' injectLambdaContext
// does), calls the core function with the dependencies its kind of step is wired with (record-step.ts, aws-step.ts,
// alibaba-step.ts, clouds-step.ts: each imports only its own clients), and returns the plain result. Errors keep
// their names: they are the ASL's Retry/Catch contract. A task input with a `poll` plan (a wait's short end, see
// poll.ts) re-runs the step while it answers NotReady, inside this invocation.

export const ConnRefSchema = z.object({ name: z.string().regex(CONNECTION_NAME) });

export type Handler<O> = (event: unknown, context?: Context) => Promise<O>;

export function step<D, S extends z.ZodType, O>(
  deps: () => D,
  schema: S,
  fn: (deps: D, input: z.output<S>) => Promise<O>,
): Handler<O> {
  return async (event, context) => {
    if (context) logger.addContext(context);
    const parsed = schema.safeParse(event);
    if (!parsed.success)
      throw new InvalidInput(
        `invalid task input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`,
      );
    const input = parsed.data as z.output<S>;
    const name = (input as { name?: unknown }).name;
    if (typeof name === 'string') logger.appendKeys({ connection: name });
    try {
      return await pollWhileNotReady(() => fn(deps(), input), pollPlanOf(event));
    } finally {
      if (typeof name === 'string') logger.removeKeys(['connection']);
    }
  };
}

/** the common case: a step that takes `{ name }` */
export function refStep<D, O>(deps: () => D, fn: (deps: D, ref: ConnRef) => Promise<O>): Handler<O> {
  return step(deps, ConnRefSchema, fn);
}
