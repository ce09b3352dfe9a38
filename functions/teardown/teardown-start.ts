import { z } from 'zod';
import { teardownStart } from '../../src/workflow/teardown';
import { ConnRefSchema, step } from '../lib/handler';

const Input = ConnRefSchema.extend({ executionName: z.string().optional() });

export const handler = step(Input, teardownStart);
