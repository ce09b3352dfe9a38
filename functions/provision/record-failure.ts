import { z } from 'zod';
import { recordFailure } from '../../src/workflow/provision';
import { step } from '../lib/handler';

const Input = z.object({
  name: z.string().optional(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

export const handler = step(Input, recordFailure);
