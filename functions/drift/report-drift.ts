import * as z from 'zod';
import type { DriftCheckState } from '../../src/drift/types';
import { type RepairItem, reportDriftStep } from '../../src/workflow/drift';
import { recordStepWith } from '../lib/record-step';

// Report: writes lastDrift where it changed and returns the execution output (summary + rows, no secrets).
// The check objects were produced by CollectDrift/Recheck in this execution: only their outline is validated.
const Check = z.looseObject({ at: z.string(), results: z.array(z.unknown()), summary: z.looseObject({}) });
const StepError = z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() });
const Item = z.looseObject({ name: z.string(), ok: z.boolean(), error: StepError.optional() });
const Input = z.object({
  check: Check,
  repaired: z
    .looseObject({
      items: z.array(Item).optional(),
      recheck: Check.nullable().optional(),
      recheckError: StepError.optional(),
      // the Map's own failure ({Error, Cause}) when it failed as a whole
      Error: z.string().optional(),
      Cause: z.string().optional(),
    })
    .optional(),
});

export const handler = recordStepWith(Input, (deps, i) =>
  reportDriftStep(deps, {
    check: i.check as unknown as DriftCheckState,
    repaired: i.repaired && {
      items: i.repaired.items as RepairItem[] | undefined,
      recheck: (i.repaired.recheck ?? undefined) as unknown as DriftCheckState | undefined,
      recheckError: i.repaired.recheckError,
      Error: i.repaired.Error,
      Cause: i.repaired.Cause,
    },
  }),
);
