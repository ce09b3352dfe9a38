import { recordResources } from '../../src/workflow/provision';
import { cloudsStep } from '../lib/clouds-step';

export const handler = cloudsStep(recordResources);
