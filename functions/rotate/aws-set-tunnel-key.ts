import { awsSetTunnelKey } from '../../src/workflow/rotate';
import { awsStepWith } from '../lib/aws-step';
import { TunnelKeyInput } from '../lib/tunnel-key-input';

export const handler = awsStepWith(TunnelKeyInput, awsSetTunnelKey);
