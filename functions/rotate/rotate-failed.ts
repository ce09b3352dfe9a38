import * as z from 'zod';
import { rotateFailed } from '../../src/workflow/rotate';
import { recordStepWith } from '../lib/record-step';
import { ConnRefSchema } from '../lib/step';

const Input = ConnRefSchema.extend({
  executionName: z.string().optional(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

export const handler = recordStepWith(Input, rotateFailed);
