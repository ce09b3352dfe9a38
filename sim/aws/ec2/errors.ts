import { assumedUse, SimError } from '../../core/errors';

// EC2 error constructors. Codes from docs/sources.md#aws-aws; messages follow the real service's
// "The <type> ID '<id>' does not exist" pattern (moto copies the same wording).

export const bad = (message: string): SimError => new SimError('InvalidParameterValue', message, 400);

export const missing = (param: string): SimError =>
  new SimError('MissingParameter', `The request must contain the parameter ${param}`, 400);

export const combination = (message: string): SimError => new SimError('InvalidParameterCombination', message, 400);

export const incorrectState = (message: string): SimError => new SimError('IncorrectState', message, 400);

/** IncorrectState where no document names the code for the case (transit gateways, tunnel modification) */
export const assumedIncorrectState = (message: string): SimError => assumedUse(incorrectState(message));

/** the EC2 resource kinds the simulator knows, with their error-code stem and message noun */
export const KINDS = {
  vpc: { code: 'InvalidVpcID.NotFound', noun: 'vpc' },
  'route-table': { code: 'InvalidRouteTableID.NotFound', noun: 'routeTable' },
  'vpn-gateway': { code: 'InvalidVpnGatewayID.NotFound', noun: 'vpnGateway' },
  'customer-gateway': { code: 'InvalidCustomerGatewayID.NotFound', noun: 'customerGateway' },
  'vpn-connection': { code: 'InvalidVpnConnectionID.NotFound', noun: 'vpnConnection' },
  'transit-gateway': { code: 'InvalidTransitGatewayID.NotFound', noun: 'transitGateway' },
  'transit-gateway-route-table': { code: 'InvalidRouteTableID.NotFound', noun: 'transitGatewayRouteTable' },
  'transit-gateway-attachment': {
    code: 'InvalidTransitGatewayAttachmentID.NotFound',
    noun: 'transitGatewayAttachment',
  },
} as const;

export type ResourceKind = keyof typeof KINDS;

export function notFound(kind: ResourceKind, ids: string | string[]): SimError {
  const list = Array.isArray(ids) ? ids : [ids];
  const { code, noun } = KINDS[kind];
  const message =
    list.length === 1
      ? `The ${noun} ID '${list[0]}' does not exist`
      : `The ${noun} IDs '${list.join(', ')}' do not exist`;
  const err = new SimError(code, message, 400);
  // documented for VPC route tables; its use for transit gateway route tables is assumed
  return kind === 'transit-gateway-route-table' ? assumedUse(err) : err;
}

export const dryRun = (): SimError =>
  new SimError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
