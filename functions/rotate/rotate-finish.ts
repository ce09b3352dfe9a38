import * as z from 'zod';
import { rotateFinish } from '../../src/workflow/rotate';
import { recordStepWith } from '../lib/record-step';
import { ConnRefSchema } from '../lib/step';

const Input = ConnRefSchema.extend({ executionName: z.string().optional() });

export const handler = recordStepWith(Input, rotateFinish);
