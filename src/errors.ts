// vpn-bridge's error classes. Their `name`s are the Retry/Catch contract with the state machines
// (statemachine/*.asl.json match `ErrorEquals` against `error.name`), so every class sets `this.name`
// explicitly: bundlers minify class names.
//
// Retryable (the ASL retries them with backoff + jitter):
//   NotReady           a resource has not reached the state a step waits for (polling)
//   Throttled          the provider throttled us beyond what the SDK retried
//   ProviderUnavailable a provider 5xx / transport failure beyond what the SDK retried
//   GatewayBusy        Alibaba gateway/VPC busy with a previous change (VpnGateway.Configuring, *Conflict, ...)
//   NotYetVisible      a just-created resource is not visible yet (AWS eventual consistency)
//   OutcomeUnknown     a create may or may not have happened (its answer was lost, or the step failed after it):
//                      retried only after the providers' listings have settled (ASL Retry interval SETTLE_SECONDS),
//                      so the retry's lookup sees what the first try made instead of making it again
// Fatal (fail fast with a cause a human can act on):
//   SpecInvalid, PreflightFailed, ResourceNotFound, QuotaExceeded, ProviderRejected, AccessDenied,
//   TunnelsDown, OperationInProgress, RecordMissing, InvalidInput, GatewayKindMismatch, LockLost

export const RETRYABLE_ERRORS = [
  'NotReady',
  'Throttled',
  'ProviderUnavailable',
  'GatewayBusy',
  'NotYetVisible',
  'OutcomeUnknown',
] as const;

export interface FieldIssue {
  path: string;
  message: string;
}

export abstract class VpnBridgeError extends Error {
  abstract readonly retryable: boolean;
  /** which cloud the failure came from, when it came from one */
  cloud?: 'aws' | 'alibaba';
  /** the provider's own error code, kept for diagnosis */
  providerCode?: string;
  /** the provider's request id, kept for support cases */
  requestId?: string;

  constructor(message: string, opts: { cloud?: 'aws' | 'alibaba'; providerCode?: string; requestId?: string } = {}) {
    super(message);
    this.cloud = opts.cloud;
    this.providerCode = opts.providerCode;
    this.requestId = opts.requestId;
  }
}

type ProviderOpts = { cloud?: 'aws' | 'alibaba'; providerCode?: string; requestId?: string };

export class NotReady extends VpnBridgeError {
  readonly retryable = true;
  constructor(message: string, opts: ProviderOpts = {}) {
    super(message, opts);
    this.name = 'NotReady';
  }
}

export class Throttled extends VpnBridgeError {
  readonly retryable = true;
  constructor(message: string, opts: ProviderOpts = {}) {
    super(message, opts);
    this.name = 'Throttled';
  }
}

export class ProviderUnavailable extends VpnBridgeError {
  readonly retryable = true;
  constructor(message: string, opts: ProviderOpts = {}) {
    super(message, opts);
    this.name = 'ProviderUnavailable';
  }
}

export class GatewayBusy extends VpnBridgeError {
  readonly retryable = true;
  constructor(message: string, opts: ProviderOpts = {}) {
    super(message, opts);
    this.name = 'GatewayBusy';
  }
}

export class NotYetVisible extends VpnBridgeError {
  readonly retryable = true;
  constructor(message: string, opts: ProviderOpts = {}) {
    super(message, opts);
    this.name = 'NotYetVisible';
  }
}

/**
 * A create whose outcome is unknown: EC2 answered 5xx (or nothing) to a create that has no ClientToken, or the step
 * failed after it had created something. The retry must not look the resource up until the listings show it
 * (eventual consistency), else it would make a second one; the ASL retries this error only after a settle wait.
 */
export class OutcomeUnknown extends VpnBridgeError {
  readonly retryable = true;
  constructor(message: string, opts: ProviderOpts = {}) {
    super(message, opts);
    this.name = 'OutcomeUnknown';
  }
}

export class SpecInvalid extends VpnBridgeError {
  readonly retryable = false;
  constructor(
    public readonly issues: FieldIssue[],
    message = `invalid connection spec: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
  ) {
    super(message);
    this.name = 'SpecInvalid';
  }
}

export class PreflightFailed extends VpnBridgeError {
  readonly retryable = false;
  constructor(
    public readonly issues: FieldIssue[],
    message = `preflight failed: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
  ) {
    super(message);
    this.name = 'PreflightFailed';
  }
}

export class ResourceNotFound extends VpnBridgeError {
  readonly retryable = false;
  constructor(message: string, opts: ProviderOpts = {}) {
    super(message, opts);
    this.name = 'ResourceNotFound';
  }
}

export class QuotaExceeded extends VpnBridgeError {
  readonly retryable = false;
  constructor(message: string, opts: ProviderOpts = {}) {
    super(message, opts);
    this.name = 'QuotaExceeded';
  }
}

/** the provider refused the request as invalid (bad parameter, wrong state that will not change by waiting) */
export class ProviderRejected extends VpnBridgeError {
  readonly retryable = false;
  constructor(message: string, opts: ProviderOpts = {}) {
    super(message, opts);
    this.name = 'ProviderRejected';
  }
}

export class AccessDenied extends VpnBridgeError {
  readonly retryable = false;
  constructor(message: string, opts: ProviderOpts = {}) {
    super(message, opts);
    this.name = 'AccessDenied';
  }
}

/**
 * The Alibaba VPN gateway that was created is not of the kind `alibaba.gatewayMode` pins (a single-tunnel gateway
 * where dual-tunnel was asked for, or the reverse). Raised before any IPsec connection is made.
 */
export class GatewayKindMismatch extends VpnBridgeError {
  readonly retryable = false;
  constructor(message: string) {
    super(message, { cloud: 'alibaba' });
    this.name = 'GatewayKindMismatch';
  }
}

/** the bounded wait for tunnels ran out; the message is the diagnosis */
export class TunnelsDown extends VpnBridgeError {
  readonly retryable = false;
  constructor(
    message: string,
    public readonly tunnels: Array<{ id: string; reason: string }> = [],
  ) {
    super(message);
    this.name = 'TunnelsDown';
  }
}

/** another operation on the same connection is running (HTTP 409) */
export class OperationInProgress extends VpnBridgeError {
  readonly retryable = false;
  constructor(
    message: string,
    public readonly executionArn?: string,
  ) {
    super(message);
    this.name = 'OperationInProgress';
  }
}

/** a task's input is not what its state machine sends (a bug or a hand-started execution, not the provider) */
export class InvalidInput extends VpnBridgeError {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInput';
  }
}

/**
 * The execution no longer holds the connection's lock (another operation took it over): it writes nothing to the
 * record and stops, leaving the connection to the holder.
 */
export class LockLost extends VpnBridgeError {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'LockLost';
  }
}

/** the connection record does not exist (HTTP 404) */
export class RecordMissing extends VpnBridgeError {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'RecordMissing';
  }
}

export function isVpnBridgeError(e: unknown): e is VpnBridgeError {
  return e instanceof VpnBridgeError;
}

/** A short, single-line description of any thrown value, safe for logs and state (no stack). */
export function describeError(e: unknown): { name: string; message: string } {
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}
