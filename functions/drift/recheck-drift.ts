import * as z from 'zod';
import { RECHECK_BUDGET } from '../../src/drift/report';
import { CONNECTION_NAME } from '../../src/spec/name';
import { collectDriftStep } from '../../src/workflow/drift';
import { cloudsStepWith } from '../lib/clouds-step';

// Recheck: the connections a repair touched, checked again (never repairs).
const Input = z.object({ names: z.array(z.string().regex(CONNECTION_NAME)).min(1) });

export const handler = cloudsStepWith(Input, (deps, i) =>
  collectDriftStep(deps, { names: i.names, repair: false, budget: RECHECK_BUDGET, keepAll: true }),
);
