import type * as z from 'zod';
import type { AwsDeps, ConnRef } from '../../src/workflow/deps';
import { awsCloud } from './clients/ec2';
import { recordDeps } from './clients/registry';
import { type Handler, refStep, step } from './step';

// A step on the AWS side: the records and EC2.

const awsDeps = (): AwsDeps => ({ ...recordDeps(), aws: awsCloud });

export const awsStep = <O>(fn: (deps: AwsDeps, ref: ConnRef) => Promise<O>): Handler<O> => refStep(awsDeps, fn);

export const awsStepWith = <S extends z.ZodType, O>(
  schema: S,
  fn: (deps: AwsDeps, input: z.output<S>) => Promise<O>,
): Handler<O> => step(awsDeps, schema, fn);
