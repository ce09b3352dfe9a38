import * as z from 'zod';
import { rotateStart } from '../../src/workflow/rotate';
import { recordStepWith } from '../lib/record-step';
import { ConnRefSchema } from '../lib/step';

// The execution input is the request {name, takeOver?}.
const Input = z.object({
  request: ConnRefSchema.extend({ takeOver: z.boolean().optional() }),
  executionName: z.string().optional(),
});

export const handler = recordStepWith(Input, (deps, i) =>
  rotateStart(deps, { name: i.request.name, takeOver: i.request.takeOver, executionName: i.executionName }),
);
