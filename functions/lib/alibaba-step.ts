import type * as z from 'zod';
import type { AlibabaDeps, ConnRef } from '../../src/workflow/deps';
import { alibabaCloud } from './clients/alibaba';
import { recordDeps } from './clients/registry';
import { type Handler, refStep, step } from './step';

// A step on the Alibaba side: the records and the Alibaba VPC API.

const alibabaDeps = (): AlibabaDeps => ({ ...recordDeps(), alibaba: alibabaCloud });

export const alibabaStep = <O>(fn: (deps: AlibabaDeps, ref: ConnRef) => Promise<O>): Handler<O> =>
  refStep(alibabaDeps, fn);

export const alibabaStepWith = <S extends z.ZodType, O>(
  schema: S,
  fn: (deps: AlibabaDeps, input: z.output<S>) => Promise<O>,
): Handler<O> => step(alibabaDeps, schema, fn);
