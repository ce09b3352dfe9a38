import * as z from 'zod';
import { CONNECTION_NAME } from '../../src/spec/name';
import { collectDriftStep } from '../../src/workflow/drift';
import { cloudsStepWith } from '../lib/clouds-step';

// CollectDrift: {"repair": false} from the schedule, or {"repair": true, "names": [...]} (an empty or absent
// list means every managed connection). The state machine fills in both defaults before this step.
const Input = z.object({
  repair: z.boolean().optional(),
  names: z.array(z.string().regex(CONNECTION_NAME)).optional(),
});

export const handler = cloudsStepWith(Input, (deps, i) => collectDriftStep(deps, i));
