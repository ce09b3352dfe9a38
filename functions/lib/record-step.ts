import type * as z from 'zod';
import type { ConnRef, RecordDeps } from '../../src/workflow/deps';
import { recordDeps } from './clients/registry';
import { type Handler, refStep, step } from './step';

// A step that only reads and writes connection records: Secrets Manager, nothing else.

export const recordStep = <O>(fn: (deps: RecordDeps, ref: ConnRef) => Promise<O>): Handler<O> =>
  refStep(recordDeps, fn);

export const recordStepWith = <S extends z.ZodType, O>(
  schema: S,
  fn: (deps: RecordDeps, input: z.output<S>) => Promise<O>,
): Handler<O> => step(recordDeps, schema, fn);
