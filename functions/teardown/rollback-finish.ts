import { z } from 'zod';
import { rollbackFinish } from '../../src/workflow/teardown';
import { ConnRefSchema, step } from '../lib/handler';

const Input = ConnRefSchema.extend({ cause: z.string().optional() });

export const handler = step(Input, rollbackFinish);
