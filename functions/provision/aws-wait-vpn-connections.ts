import { awsWaitVpnConnections } from '../../src/workflow/provision';
import { awsStep } from '../lib/aws-step';

export const handler = awsStep(awsWaitVpnConnections);
