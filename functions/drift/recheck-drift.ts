import { z } from 'zod';
import { RECHECK_BUDGET } from '../../src/drift/report';
import { collectDriftStep } from '../../src/workflow/drift';
import { step } from '../lib/handler';

// Recheck: the connections a repair touched, checked again (never repairs).
const Input = z.object({ names: z.array(z.string().regex(/^[a-z][a-z0-9-]{2,39}$/)).min(1) });

export const handler = step(Input, (deps, i) =>
  collectDriftStep(deps, { names: i.names, repair: false, budget: RECHECK_BUDGET, keepAll: true }),
);
