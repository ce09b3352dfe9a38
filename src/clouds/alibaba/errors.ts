import {
  AccessDenied,
  GatewayBusy,
  NotReady,
  ProviderRejected,
  ProviderUnavailable,
  QuotaExceeded,
  ResourceNotFound,
  Throttled,
  type VpnBridgeError,
} from '../../errors';
import { redactText } from '../../log';

// Alibaba SDK errors -> vpn-bridge error classes (docs/sources.md#alibaba-cloud-alibaba). Portable across SDK 6.x/7.x:
// read err.code, err.statusCode, err.data?.RequestId.

const BUSY = new Set([
  'VpnGateway.Configuring',
  'VpnConnection.Configuring',
  'VpnRouteEntry.Configuring',
  'Appliance.Configuring',
  'VpnTask.CONFLICT',
  'TaskConflict',
  'OperationConflict',
  'SystemBusy',
  'LastTokenProcessing',
  'OperationFailed.LastTokenProcessing',
  'OperationFailed.IdempotentTokenProcessing',
  'OperationFailed.DistibuteLock',
  // Terraform: "while the vpn is configuring, it will return unknown error"
  'UnknownError',
]);

const TRANSPORT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ReadTimeout',
  'ConnectTimeout',
]);

interface AliErrorLike {
  code?: string;
  statusCode?: number;
  message?: string;
  data?: { RequestId?: string; Message?: string };
}

export function alibabaErrorCode(e: unknown): string {
  return (e as AliErrorLike)?.code ?? 'Error';
}

export function isAlibabaNotFound(e: unknown): boolean {
  const code = alibabaErrorCode(e);
  return /NotFound$|^INSTANCE_NOT_EXISTS$/.test(code);
}

export function mapAlibabaError(e: unknown, doing: string): VpnBridgeError {
  const err = (e ?? {}) as AliErrorLike;
  const code = err.code ?? (e instanceof Error ? e.name : 'Error');
  const opts = { cloud: 'alibaba' as const, providerCode: code, requestId: err.data?.RequestId };
  const text = err.data?.Message ?? err.message ?? String(e);
  const msg = redactText(`${doing}: ${code}: ${text}`);
  if (code.includes('Throttling')) return new Throttled(msg, opts);
  if (BUSY.has(code)) return new GatewayBusy(msg, opts);
  if ((err.statusCode !== undefined && err.statusCode >= 500) || TRANSPORT.has(code))
    return new ProviderUnavailable(msg, opts);
  if (isAlibabaNotFound(e)) return new ResourceNotFound(msg, opts);
  if (/^Incorrect.*Status|^IncorrectStatus|^DependencyViolation/.test(code)) return new NotReady(msg, opts);
  if (code === 'Resource.QuotaFull' || /QuotaExceed|QuotaFull/.test(code)) return new QuotaExceeded(msg, opts);
  if (
    /^(Forbidden|Forbbiden|NoPermission|InvalidCredentials|InvalidAccessKeyId|InvalidSecurityToken|SignatureDoesNotMatch|IncompleteSignature)/.test(
      code,
    )
  )
    return new AccessDenied(msg, opts);
  return new ProviderRejected(msg, opts);
}
