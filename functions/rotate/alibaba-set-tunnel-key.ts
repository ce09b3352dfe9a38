import { alibabaSetTunnelKey } from '../../src/workflow/rotate';
import { alibabaStepWith } from '../lib/alibaba-step';
import { TunnelKeyInput } from '../lib/tunnel-key-input';

export const handler = alibabaStepWith(TunnelKeyInput, alibabaSetTunnelKey);
