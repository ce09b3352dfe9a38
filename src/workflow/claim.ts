import { describeError, OperationInProgress } from '../errors';
import { logger, redactText } from '../log';
import {
  type Claim,
  decideClaim,
  describeHolder,
  describeTakeOver,
  holds,
  lockHolder,
  withClaim,
} from '../registry/lock';
import type { ConnectionRecord, TakenOver } from '../registry/record';
import type { Registry } from '../registry/secrets-registry';

// The lock as the first step of a workflow sees it (ValidateSpec, TeardownStart). Started through the API, the
// execution finds the lock already taken for it ('mine'). Run locally (the CLI), it takes the lock itself. A step
// cannot ask Step Functions whether another holder still runs, so anyone else holding it is a conflict unless the
// caller asked to take over (`vpn-bridge up|down --force`), which names the operation it replaces.

/** what the CLI runs to take over: the first step's error says it, the CLI prints the exact command */
export const TAKE_OVER_HINT = {
  provision: 'vpn-bridge up -f <spec> --force',
  teardown: 'vpn-bridge down <name> --force',
  rotate: 'vpn-bridge rotate <name> --force',
};

export interface Claimed {
  record: ConnectionRecord;
  /** the operation this claim took over */
  replaced?: TakenOver;
}

/**
 * Take the connection's lock for `claim` (or find it already ours). `fresh`: the record to create when there is
 * none (or it was torn down); without it such a connection is undefined (nothing to claim).
 */
export async function claimForStep(
  registry: Registry,
  name: string,
  claim: Claim,
  at: string,
  fresh?: () => ConnectionRecord,
): Promise<Claimed | undefined> {
  const claimed = await registry.transact<Claimed | undefined>(name, (current) => {
    const live = current && !current.scheduledForDeletion && current.record.status !== 'DELETED';
    if (!live || !current) {
      if (!fresh) return { result: undefined };
      const r = withClaim(fresh(), claim, at);
      return { write: r, result: { record: r } };
    }
    const d = decideClaim(lockHolder(current.record), claim, { state: 'unknown' });
    if (d.kind === 'mine') return { result: { record: current.record } };
    if (d.kind === 'acquire') {
      const r = withClaim(current.record, claim, at, d.replaces);
      return { write: r, result: { record: r, replaced: d.replaces } };
    }
    const h = d.holder;
    throw new OperationInProgress(
      `${name} is ${current.record.status} by ${describeHolder(h)}; if that is no longer running (stopped or crashed), take it over: \`${TAKE_OVER_HINT[claim.kind]}\``,
      h.executionArn,
    );
  });
  if (claimed?.replaced)
    logger.warn('operation taken over', {
      connection: name,
      execution: claim.executionName,
      replaced: claimed.replaced.executionName,
      replacedStatus: claimed.replaced.status,
      note: describeTakeOver(claimed.replaced),
    });
  return claimed;
}

/**
 * Apply `mutate` only while `executionName` holds the lock (a stale execution after a take-over writes nothing).
 * Without an execution name (a direct call) it applies to any record. Returns whether it wrote.
 */
export async function whileHolding(
  registry: Registry,
  name: string,
  executionName: string | undefined,
  mutate: (r: ConnectionRecord) => void,
): Promise<boolean> {
  const wrote = await registry.transact(name, (current) => {
    if (!current || current.scheduledForDeletion) return { result: false };
    if (executionName !== undefined && !holds(current.record, executionName)) return { result: false };
    mutate(current.record);
    return { write: current.record, result: true };
  });
  if (!wrote && executionName !== undefined)
    logger.warn('record not written: the operation no longer holds the connection', {
      connection: name,
      execution: executionName,
    });
  return wrote;
}

/** the operation ends here: FAILED with `e` as the reason, the lock released (only by its holder) */
export async function failOperation(
  registry: Registry,
  name: string,
  executionName: string,
  e: unknown,
  at: string,
): Promise<void> {
  const d = describeError(e);
  const cause = redactText(d.message);
  try {
    await whileHolding(registry, name, executionName, (r) => {
      r.status = 'FAILED';
      r.statusReason = `${d.name}: ${cause}`;
      r.failure = { at, error: d.name, cause };
      if (r.operation) Object.assign(r.operation, { finishedAt: at, result: 'FAILED' });
      r.completedOperations = (r.completedOperations ?? 0) + 1;
    });
  } catch (err) {
    // the failure itself stands; the record keeps saying PROVISIONING and the next submission takes it over
    logger.error('failure not recorded', { connection: name, error: describeError(err).message });
  }
}
