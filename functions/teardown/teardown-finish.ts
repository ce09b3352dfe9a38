import { teardownFinish } from '../../src/workflow/teardown';
import { recordStep } from '../lib/record-step';

export const handler = recordStep(teardownFinish);
