import { awsWaitAttached } from '../../src/workflow/provision';
import { refStep } from '../lib/handler';

export const handler = refStep(awsWaitAttached);
