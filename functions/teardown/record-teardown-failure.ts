import { z } from 'zod';
import { recordTeardownFailure } from '../../src/workflow/teardown';
import { ConnRefSchema, step } from '../lib/handler';

const Input = ConnRefSchema.extend({
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

export const handler = step(Input, recordTeardownFailure);
