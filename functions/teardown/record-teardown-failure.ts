import * as z from 'zod';
import { recordTeardownFailure } from '../../src/workflow/teardown';
import { recordStepWith } from '../lib/record-step';
import { ConnRefSchema } from '../lib/step';

const Input = ConnRefSchema.extend({
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  executionName: z.string().optional(),
});

export const handler = recordStepWith(Input, recordTeardownFailure);
