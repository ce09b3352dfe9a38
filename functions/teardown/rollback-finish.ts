import * as z from 'zod';
import { rollbackFinish } from '../../src/workflow/teardown';
import { recordStepWith } from '../lib/record-step';
import { ConnRefSchema } from '../lib/step';

const Input = ConnRefSchema.extend({ cause: z.string().optional(), executionName: z.string().optional() });

export const handler = recordStepWith(Input, rollbackFinish);
