import { alibabaEnsureVpcRoute } from '../../src/workflow/provision';
import { alibabaStep } from '../lib/alibaba-step';

export const handler = alibabaStep(alibabaEnsureVpcRoute);
