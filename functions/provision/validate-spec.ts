import * as z from 'zod';
import { validateSpec } from '../../src/workflow/provision';
import { cloudsStepWith } from '../lib/clouds-step';

// The execution input is the request {spec, takeOver?}. The spec itself is validated by the core function
// (errors name the field); here only the envelope.
const Input = z.object({
  request: z.object({ spec: z.unknown(), takeOver: z.boolean().optional() }),
  executionName: z.string().optional(),
});

export const handler = cloudsStepWith(Input, (deps, i) =>
  validateSpec(deps, { spec: i.request.spec, takeOver: i.request.takeOver, executionName: i.executionName }),
);
