import { awsDeleteCustomerGateways } from '../../src/workflow/teardown';
import { awsStep } from '../lib/aws-step';

export const handler = awsStep(awsDeleteCustomerGateways);
