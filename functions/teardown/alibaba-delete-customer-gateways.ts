import { alibabaDeleteCustomerGateways } from '../../src/workflow/teardown';
import { alibabaStep } from '../lib/alibaba-step';

export const handler = alibabaStep(alibabaDeleteCustomerGateways);
