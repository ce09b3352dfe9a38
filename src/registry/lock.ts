import type { ConnectionRecord, ConnectionStatus, TakenOver } from './record';

// One operation per connection (docs/record-lock.md). The lock is the record's `operation`: a provisioning or
// teardown without `finishedAt` holds the connection. It is taken and released only by compare-and-swap writes of
// the record (SecretsRegistry.transact), so of two claims made at the same instant exactly one is written; the other
// is decided again on the record the winner wrote, and finds it held. Pure: who may take it, and what it says.

export type LockKind = 'provision' | 'teardown' | 'rotate';
export type Holder = NonNullable<ConnectionRecord['operation']>;

export interface Claim {
  kind: LockKind;
  /** the execution that will run the operation (its name is known before it starts) */
  executionName: string;
  /** set when the execution runs in Step Functions; absent for a local run (the CLI) */
  executionArn?: string;
  /** identifies the request: an identical one while this operation runs is a duplicate, not a conflict */
  requestHash?: string;
  /** take over whatever holds the lock, even an operation that may still be running (the CLI's --force) */
  force?: boolean;
}

/** what is known about the execution that holds the lock */
export type HolderState =
  | { state: 'running' }
  /** the lock was taken for it a moment ago and Step Functions does not show it yet */
  | { state: 'starting' }
  /** it finished without releasing the lock (stopped, failed, timed out, crashed), or never started */
  | { state: 'closed'; status: string }
  /** nothing can be asked: a local run, or a step of a workflow (no Step Functions client) */
  | { state: 'unknown' };

export type ClaimDecision =
  | { kind: 'acquire'; replaces?: TakenOver }
  /** the claiming execution holds it already (a retried step, or the API took it for this execution) */
  | { kind: 'mine' }
  /** the same request holds it and runs: join that operation */
  | { kind: 'duplicate'; holder: Holder }
  | { kind: 'busy'; holder: Holder; state: HolderState };

/** the operation holding the connection, if any (a drift check never holds it; a torn-down record is free) */
export function lockHolder(r: ConnectionRecord | undefined): Holder | undefined {
  if (!r || r.status === 'DELETED') return undefined;
  const op = r.operation;
  if (!op || op.finishedAt || op.kind === 'drift') return undefined;
  return op;
}

/** does `executionName` hold the record's lock now? */
export function holds(r: ConnectionRecord | undefined, executionName: string | undefined): boolean {
  const h = lockHolder(r);
  return h !== undefined && executionName !== undefined && h.executionName === executionName;
}

function takenOver(h: Holder, status: string): TakenOver {
  return {
    kind: h.kind,
    executionName: h.executionName,
    ...(h.executionArn ? { executionArn: h.executionArn } : {}),
    startedAt: h.startedAt,
    status,
  };
}

export function decideClaim(holder: Holder | undefined, claim: Claim, state: HolderState): ClaimDecision {
  if (!holder) return { kind: 'acquire' };
  if (holder.executionName === claim.executionName) return { kind: 'mine' };
  if (state.state === 'closed') return { kind: 'acquire', replaces: takenOver(holder, state.status) };
  if (claim.force) return { kind: 'acquire', replaces: takenOver(holder, 'FORCED') };
  const alive = state.state === 'running' || state.state === 'starting';
  if (
    alive &&
    holder.kind === claim.kind &&
    claim.requestHash !== undefined &&
    holder.requestHash === claim.requestHash
  )
    return { kind: 'duplicate', holder };
  return { kind: 'busy', holder, state };
}

export function statusOf(kind: LockKind): ConnectionStatus {
  // a key rotation keeps the link up throughout: the connection stays ACTIVE while the lock is held
  return kind === 'provision' ? 'PROVISIONING' : kind === 'rotate' ? 'ACTIVE' : 'DELETING';
}

/** `record` with the lock taken for `claim` (the status says which operation runs) */
export function withClaim(record: ConnectionRecord, claim: Claim, at: string, replaces?: TakenOver): ConnectionRecord {
  record.status = statusOf(claim.kind);
  record.statusReason = undefined;
  record.operation = {
    kind: claim.kind,
    executionName: claim.executionName,
    ...(claim.executionArn ? { executionArn: claim.executionArn } : {}),
    startedAt: at,
    ...(claim.requestHash ? { requestHash: claim.requestHash } : {}),
    ...(replaces ? { replaces } : {}),
  };
  return record;
}

/** one line about who holds a connection, for errors and logs */
export function describeHolder(h: Holder): string {
  const where = h.executionArn ? 'execution' : 'local run';
  return `${h.kind} (${where} ${h.executionName ?? '?'}, started ${h.startedAt})`;
}

/** one line about a take-over, naming the operation replaced */
export function describeTakeOver(t: TakenOver): string {
  const why =
    t.status === 'FORCED'
      ? 'taken over on request'
      : t.status === 'NOT_STARTED'
        ? 'its execution never started'
        : `its execution ended ${t.status} without finishing`;
  return `took over from ${t.kind} ${t.executionName ?? '?'} (started ${t.startedAt}; ${why})`;
}
