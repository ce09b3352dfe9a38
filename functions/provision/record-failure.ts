import * as z from 'zod';
import { recordFailure } from '../../src/workflow/provision';
import { recordStepWith } from '../lib/record-step';

const Input = z.object({
  name: z.string().optional(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  executionName: z.string().optional(),
});

export const handler = recordStepWith(Input, recordFailure);
