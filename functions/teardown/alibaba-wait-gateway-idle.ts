import { alibabaWaitGatewayIdle } from '../../src/workflow/teardown';
import { refStep } from '../lib/handler';

export const handler = refStep(alibabaWaitGatewayIdle);
