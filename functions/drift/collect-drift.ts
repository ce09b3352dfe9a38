import { z } from 'zod';
import { collectDriftStep } from '../../src/workflow/drift';
import { step } from '../lib/handler';

// CollectDrift: {"repair": false} from the schedule, or {"repair": true, "names": [...]} (an empty or absent
// list means every managed connection). The state machine fills in both defaults before this step.
const Input = z.object({
  repair: z.boolean().optional(),
  names: z.array(z.string().regex(/^[a-z][a-z0-9-]{2,39}$/)).optional(),
});

export const handler = step(Input, (deps, i) => collectDriftStep(deps, i));
