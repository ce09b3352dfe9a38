import * as z from 'zod';
import { ConnRefSchema } from './step';

// The input of the per-tunnel rotation steps: a connection, a plan tunnel id and which of its recorded keys to set.
// Never a key: the keys are in the record.
export const TunnelKeyInput = ConnRefSchema.extend({
  tunnel: z.string().regex(/^vpn-[12]\/[12]$/),
  key: z.enum(['next', 'previous']),
  /** the rotation's execution ($$.Execution.Name): the record is written only while it holds the connection */
  executionName: z.string().min(1).max(80).optional(),
});
