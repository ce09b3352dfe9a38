import { SimError } from '../../core/errors';

// Alibaba VPC error builders. Codes marked "unconfirmed" are plausible choices where Alibaba's API reference
// documents no code.

/** a required parameter is absent (code unconfirmed: the SDK does not validate, the real gateway answers MissingParameter) */
export function missing(name: string): SimError {
  return new SimError(
    'MissingParameter',
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    400,
  );
}

/** last dotted segment: `TunnelOptionsSpecification.1.TunnelIkeConfig.IkeEncAlg` -> `IkeEncAlg` */
function shortName(name: string): string {
  const parts = name.split('.');
  return parts[parts.length - 1] ?? name;
}

/** an invalid value; code `IllegalParam.<Field>` (unconfirmed), the message names the full parameter */
export function illegal(name: string, value: string, why?: string): SimError {
  return new SimError(
    `IllegalParam.${shortName(name)}`,
    `The specified parameter "${name}" is invalid: "${value}"${why ? ` (${why})` : ''}.`,
    400,
  );
}

export function notFound(code: string, what: string, id: string): SimError {
  return new SimError(code, `The specified ${what} "${id}" does not exist.`, 404);
}

export const vpnGatewayNotFound = (id: string) =>
  notFound('InvalidVpnGatewayInstanceId.NotFound', 'VPN gateway (VpnGatewayId)', id);
export const customerGatewayNotFound = (id: string, param = 'CustomerGatewayId') =>
  notFound('InvalidCustomerGatewayInstanceId.NotFound', `customer gateway (${param})`, id);
export const vpnConnectionNotFound = (id: string, param = 'VpnConnectionId') =>
  notFound('InvalidVpnConnectionInstanceId.NotFound', `IPsec connection (${param})`, id);

export function quotaFull(what: string, limit: number): SimError {
  return new SimError('Resource.QuotaFull', `The quota of ${what} (${limit}) is exhausted.`, 400);
}

/** DryRun=true after validation passed */
export function dryRunPassed(): SimError {
  return new SimError('DryRunOperation', 'Request validation has been passed with DryRun flag set.', 400);
}
