import type * as z from 'zod';
import type { ConnRef, Deps } from '../../src/workflow/deps';
import { alibabaCloud } from './clients/alibaba';
import { awsCloud } from './clients/ec2';
import { recordDeps } from './clients/registry';
import { type Handler, refStep, step } from './step';

// A step that needs both clouds: preflight, the cross-cloud handoff of the gateway IPs, tunnel health, drift.

export const cloudsDeps = (): Deps => ({ ...recordDeps(), aws: awsCloud, alibaba: alibabaCloud });

export const cloudsStep = <O>(fn: (deps: Deps, ref: ConnRef) => Promise<O>): Handler<O> => refStep(cloudsDeps, fn);

export const cloudsStepWith = <S extends z.ZodType, O>(
  schema: S,
  fn: (deps: Deps, input: z.output<S>) => Promise<O>,
): Handler<O> => step(cloudsDeps, schema, fn);
