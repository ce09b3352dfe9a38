import * as z from 'zod';
import { teardownFinish } from '../../src/workflow/teardown';
import { recordStepWith } from '../lib/record-step';
import { ConnRefSchema } from '../lib/step';

// {name, executionName}: only the execution that holds the connection marks it DELETED
const Input = ConnRefSchema.extend({ executionName: z.string().optional() });

export const handler = recordStepWith(Input, teardownFinish);
