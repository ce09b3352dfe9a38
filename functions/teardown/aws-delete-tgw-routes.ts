import { awsDeleteTgwRoutes } from '../../src/workflow/transit';
import { awsStep } from '../lib/aws-step';

export const handler = awsStep(awsDeleteTgwRoutes);
