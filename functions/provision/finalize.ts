import * as z from 'zod';
import { finalize } from '../../src/workflow/provision';
import { recordStepWith } from '../lib/record-step';
import { ConnRefSchema } from '../lib/step';

// {name, executionName}: only the execution that holds the connection marks it ACTIVE
const Input = ConnRefSchema.extend({ executionName: z.string().optional() });

export const handler = recordStepWith(Input, finalize);
