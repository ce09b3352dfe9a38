import { z } from 'zod';
import { ProviderRejected } from '../../src/errors';
import { logger } from '../../src/log';
import type { ConnRef, Deps } from '../../src/workflow/deps';
import { getDeps } from './deps';

// One Lambda = one small file: `export const handler = step(Input, coreFunction)`. This parses the
// input with zod, calls the core function with the injected dependencies and returns its plain result.
// Errors keep their names (the ASL Retry/Catch contract).

export const ConnRefSchema = z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{2,39}$/) });

export function step<S extends z.ZodType, O>(schema: S, fn: (deps: Deps, input: z.output<S>) => Promise<O>) {
  return async (event: unknown): Promise<O> => {
    const parsed = schema.safeParse(event);
    if (!parsed.success)
      throw new ProviderRejected(
        `invalid task input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`,
      );
    const input = parsed.data as z.output<S>;
    const name = (input as { name?: string }).name;
    if (name) logger.appendKeys({ connection: name });
    try {
      return await fn(getDeps(), input);
    } finally {
      if (name) logger.removeKeys(['connection']);
    }
  };
}

/** the common case: a step that takes `{ name }` */
export function refStep<O>(fn: (deps: Deps, ref: ConnRef) => Promise<O>) {
  return step(ConnRefSchema, fn);
}
