import * as z from 'zod';
import { awsSteerTgwRoutes } from '../../src/workflow/transit';
import { awsStepWith } from '../lib/aws-step';
import { ConnRefSchema } from '../lib/step';

// The rotation through a transit gateway (dual-tunnel): the routes off the VPN connection whose endpoint is about to
// be replaced (`avoid`), and back to the preferred one afterwards (no `avoid`). Nothing for any other connection.
const SteerInput = ConnRefSchema.extend({ avoid: z.enum(['vpn-1', 'vpn-2']).optional() });

export const handler = awsStepWith(SteerInput, (deps, input) =>
  awsSteerTgwRoutes(deps, { name: input.name }, input.avoid ? { avoid: input.avoid } : {}),
);
