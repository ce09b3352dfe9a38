import { waitTunnelKey } from '../../src/workflow/rotate';
import { cloudsStepWith } from '../lib/clouds-step';
import { TunnelKeyInput } from '../lib/tunnel-key-input';

export const handler = cloudsStepWith(TunnelKeyInput, waitTunnelKey);
