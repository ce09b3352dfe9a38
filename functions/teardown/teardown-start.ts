import { z } from 'zod';
import { teardownStart } from '../../src/workflow/teardown';
import { ConnRefSchema, step } from '../lib/handler';

// The execution input is the request {name, takeOver?}.
const Input = z.object({
  request: ConnRefSchema.extend({ takeOver: z.boolean().optional() }),
  executionName: z.string().optional(),
});

export const handler = step(Input, (deps, i) =>
  teardownStart(deps, { name: i.request.name, takeOver: i.request.takeOver, executionName: i.executionName }),
);
