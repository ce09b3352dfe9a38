import { z } from 'zod';
import { validateSpec } from '../../src/workflow/provision';
import { step } from '../lib/handler';

// The spec itself is validated by the core function (errors name the field); here only the envelope.
const Input = z.object({ spec: z.unknown(), executionName: z.string().optional() });

export const handler = step(Input, validateSpec);
