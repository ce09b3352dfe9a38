import { awsDeleteRoutes } from '../../src/workflow/teardown';
import { awsStep } from '../lib/aws-step';

export const handler = awsStep(awsDeleteRoutes);
