import {
  AccessDenied,
  NotReady,
  NotYetVisible,
  ProviderRejected,
  ProviderUnavailable,
  QuotaExceeded,
  ResourceNotFound,
  Throttled,
  type VpnBridgeError,
} from '../../errors';
import { redactText } from '../../log';

// AWS SDK errors -> vpn-bridge error classes, at the adapter edge (docs/sources.md#aws-aws).

const THROTTLING = new Set([
  'RequestLimitExceeded',
  'EC2ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'PriorRequestNotComplete',
  'SlowDown',
  'BandwidthLimitExceeded',
]);

/** the resource exists but is in a state that waiting will change */
const WRONG_STATE = new Set([
  'IncorrectState',
  'InvalidVpnGatewayState',
  'InvalidCustomerGatewayState',
  'InvalidVpnConnection.InvalidState',
  'DependencyViolation',
]);

const TRANSPORT = new Set([
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'NetworkingError',
]);

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

export function awsErrorCode(e: unknown): string {
  const err = e as SdkErrorLike;
  return err?.name ?? err?.code ?? 'Error';
}

export function isAwsNotFound(e: unknown): boolean {
  return /\.NotFound$|^InvalidVpnConnectionID$|^InvalidRoute\.NotFound$/.test(awsErrorCode(e));
}

/** not-found codes of the resources vpn-bridge creates (VGW, customer gateway, VPN connection) */
const CREATED_NOT_FOUND = new Set([
  'InvalidVpnGatewayID.NotFound',
  'InvalidGatewayID.NotFound',
  'InvalidCustomerGatewayID.NotFound',
  'InvalidVpnConnectionID.NotFound',
  'InvalidVpnConnectionID',
]);

export interface MapOptions {
  /**
   * The call names (or filters for) resources the workflow itself created: right after a create, EC2 answers
   * *.NotFound until the resource propagates (docs/sources.md#aws-aws), so that is "not visible yet" (NotYetVisible,
   * retried for a bounded window), not a missing resource.
   */
  ownResources?: boolean;
}

export function mapAwsError(e: unknown, doing: string, o: MapOptions = {}): VpnBridgeError {
  const err = (e ?? {}) as SdkErrorLike;
  const code = err.name ?? err.code ?? 'Error';
  const status = err.$metadata?.httpStatusCode;
  const opts = { cloud: 'aws' as const, providerCode: code, requestId: err.$metadata?.requestId };
  const msg = redactText(`${doing}: ${code}: ${err.message ?? String(e)}`);
  if (THROTTLING.has(code)) return new Throttled(msg, opts);
  if (/LimitExceeded$/.test(code) && /maximum number of mutating objects/i.test(err.message ?? ''))
    return new Throttled(msg, opts);
  if ((status !== undefined && status >= 500) || TRANSPORT.has(code) || TRANSPORT.has(err.code ?? ''))
    return new ProviderUnavailable(msg, opts);
  if (o.ownResources && CREATED_NOT_FOUND.has(code))
    return new NotYetVisible(`${msg} (not visible yet after its create, or deleted)`, opts);
  if (isAwsNotFound(e)) return new ResourceNotFound(msg, opts);
  if (/LimitExceeded$/.test(code)) return new QuotaExceeded(msg, opts);
  if (WRONG_STATE.has(code)) return new NotReady(msg, opts);
  if (/^(UnauthorizedOperation|AuthFailure|AccessDenied|Blocked|OptInRequired)/.test(code))
    return new AccessDenied(msg, opts);
  return new ProviderRejected(msg, opts);
}
