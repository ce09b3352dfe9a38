import { finalize } from '../../src/workflow/provision';
import { recordStep } from '../lib/record-step';

export const handler = recordStep(finalize);
