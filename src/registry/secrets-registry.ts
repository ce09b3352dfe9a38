import { randomUUID } from 'node:crypto';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { awsErrorCode, mapAwsError } from '../clouds/aws/errors';
import { ProviderUnavailable, RecordMissing } from '../errors';
import { registerSecret } from '../log';
import { secretName, secretPrefix, TAG_CONNECTION, TAG_MANAGED, TAG_STAGE } from '../plan/naming';
import { type ConnectionRecord, secretsOf } from './record';

// Connection records in Secrets Manager (README.md). Reads register every PSK with the log
// redactor, so a key read by a step can never be printed by it.
//
// Every write is a compare-and-swap (docs/record-lock.md): the new value goes in as a version labelled AWSPENDING
// (PutSecretValue with VersionStages leaves AWSCURRENT where it is), then UpdateSecretVersionStage moves AWSCURRENT
// to it FROM the version that was read (RemoveFromVersionId). If another writer moved AWSCURRENT in between,
// Secrets Manager refuses the move and nothing changed: the read-decide-write is re-run on the new value. Creating
// the secret is its own compare-and-swap (CreateSecret fails when the name exists). So two writers can never both
// act on the same state: the per-connection lock (src/registry/lock.ts) is one field written this way.

export interface StoredRecord {
  arn: string;
  record: ConnectionRecord;
  /** the version read (AWSCURRENT); absent for a record scheduled for deletion */
  versionId?: string;
  /** the secret is scheduled for deletion: `record` is a DELETED stub (its value cannot be read) */
  scheduledForDeletion?: boolean;
}

/** what a transaction decided about the current record: a record to write (or nothing) and its own result */
export interface Decision<T> {
  write?: ConnectionRecord;
  result: T;
}

export interface Registry {
  /** the deployment stage whose records these are (`vpn-bridge/<stage>/<name>`, tag `vpn-bridge:stage`) */
  readonly stage: string;
  get(name: string): Promise<StoredRecord | undefined>;
  /** like get, but a missing record is a RecordMissing error */
  require(name: string): Promise<StoredRecord>;
  /**
   * Read, decide, write as one compare-and-swap: `decide` sees the current record (undefined when there is none;
   * a DELETED stub when the secret is scheduled for deletion, which is restored before a write) and says what to
   * write. If the record changed between the read and the write, `decide` runs again on the new one (so it must
   * not have side effects). Resolves with the result of the decision that was written (or that wrote nothing).
   */
  transact<T>(
    name: string,
    decide: (current: StoredRecord | undefined) => Promise<Decision<T>> | Decision<T>,
  ): Promise<T>;
  /** create the record, or overwrite it (restoring a secret scheduled for deletion) */
  put(record: ConnectionRecord): Promise<string>;
  /** read-modify-write of an existing record (a compare-and-swap, re-applied after a concurrent write) */
  update(name: string, mutate: (r: ConnectionRecord) => ConnectionRecord | undefined): Promise<ConnectionRecord>;
  /** every live record of the stage: BatchGetSecretValue pages, never one call per connection */
  list(): Promise<ConnectionRecord[]>;
  /**
   * mark DELETED and schedule the secret for deletion with a recovery window. `owner`: only while this execution
   * holds the record's operation (a stale execution after a take-over changes nothing); false when it did not.
   */
  markDeleted(name: string, opts?: { recoveryWindowDays?: number; owner?: string }): Promise<boolean>;
  /** a plain secret referenced by ARN (Alibaba credentials, Slack signing secret) */
  readSecret(arn: string): Promise<string>;
}

/** the label a candidate version carries until it becomes AWSCURRENT (Secrets Manager's own "next version" label) */
const PENDING = 'AWSPENDING';
/** read-decide-write rounds before giving up; each lost round means another writer succeeded */
const CAS_ATTEMPTS = 8;

function parseRecord(text: string | undefined, name: string): ConnectionRecord {
  if (!text) throw new RecordMissing(`the record of ${name} is empty`);
  const r = JSON.parse(text) as ConnectionRecord;
  for (const s of secretsOf(r)) registerSecret(s);
  return r;
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class SecretsRegistry implements Registry {
  constructor(
    private readonly sm: SecretsManagerClient,
    readonly stage: string,
  ) {}

  private id(name: string): string {
    return secretName({ stage: this.stage, name });
  }

  /** only this stage's records: the name prefix narrows the listing, the stage tag decides */
  private get filters() {
    return [
      { Key: 'name' as const, Values: [secretPrefix(this.stage)] },
      { Key: 'tag-key' as const, Values: [TAG_MANAGED] },
    ];
  }

  async get(name: string): Promise<StoredRecord | undefined> {
    try {
      const r = await this.sm.send(new GetSecretValueCommand({ SecretId: this.id(name) }));
      return { arn: r.ARN ?? '', record: parseRecord(r.SecretString, name), versionId: r.VersionId };
    } catch (e) {
      const code = awsErrorCode(e);
      if (code === 'ResourceNotFoundException') return undefined;
      if (code === 'InvalidRequestException') return this.deletedStub(name);
      throw mapAwsError(e, `GetSecretValue ${this.id(name)}`);
    }
  }

  /** a secret scheduled for deletion cannot be read: the connection was torn down (a stub says so) */
  private deletedStub(name: string): StoredRecord {
    const at = new Date().toISOString();
    return {
      arn: '',
      scheduledForDeletion: true,
      record: {
        schemaVersion: 1,
        stage: this.stage,
        name,
        generation: '',
        status: 'DELETED',
        statusReason: 'torn down: the record is scheduled for deletion',
        spec: undefined as unknown as ConnectionRecord['spec'],
        everActive: false,
        createdAt: at,
        updatedAt: at,
        resources: {
          aws: { customerGateways: {}, vpnConnections: {}, routeTableIds: [] },
          alibaba: { customerGateways: {}, connections: {} },
        },
        handoffs: { awsTunnels: {} },
      },
    };
  }

  async require(name: string): Promise<StoredRecord> {
    const r = await this.get(name);
    if (!r) throw new RecordMissing(`no connection named ${name}`);
    return r;
  }

  async transact<T>(
    name: string,
    decide: (current: StoredRecord | undefined) => Promise<Decision<T>> | Decision<T>,
  ): Promise<T> {
    const id = this.id(name);
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(name);
      const d = await decide(current ? { ...current, record: structuredClone(current.record) } : undefined);
      if (!d.write) return d.result;
      const next = { ...d.write, updatedAt: new Date().toISOString() };
      for (const s of secretsOf(next)) registerSecret(s);
      const body = JSON.stringify(next);
      let written: boolean;
      if (!current) written = await this.create(id, next.name, body);
      else if (current.scheduledForDeletion || !current.versionId) {
        // bring it back (its value is the DELETED record), then decide again on what it holds
        await this.restore(id);
        written = false;
      } else written = await this.swap(id, current.versionId, body);
      if (written) return d.result;
      // another writer won this round; a short random pause keeps two losers from colliding again
      if (attempt >= CAS_ATTEMPTS)
        throw new ProviderUnavailable(
          `the record ${id} kept changing while being written (${attempt} attempts); try again`,
          { cloud: 'aws' },
        );
      await pause(5 + Math.floor(Math.random() * 20 * attempt));
    }
  }

  /** CreateSecret is a compare-and-swap from "no secret": false when the name exists (or is scheduled for deletion) */
  private async create(id: string, name: string, body: string): Promise<boolean> {
    try {
      await this.sm.send(
        new CreateSecretCommand({
          Name: id,
          Description: `vpn-bridge connection record for ${name}`,
          SecretString: body,
          ClientRequestToken: randomUUID(),
          Tags: [
            { Key: TAG_MANAGED, Value: 'true' },
            { Key: TAG_STAGE, Value: this.stage },
            { Key: TAG_CONNECTION, Value: name },
          ],
        }),
      );
      return true;
    } catch (e) {
      const code = awsErrorCode(e);
      if (code === 'ResourceExistsException' || code === 'InvalidRequestException') return false;
      throw mapAwsError(e, `CreateSecret ${id}`);
    }
  }

  private async restore(id: string): Promise<void> {
    try {
      await this.sm.send(new RestoreSecretCommand({ SecretId: id }));
    } catch (e) {
      // gone meanwhile (force-deleted): the next read says so
      if (awsErrorCode(e) !== 'ResourceNotFoundException') throw mapAwsError(e, `RestoreSecret ${id}`);
    }
  }

  /** the version AWSCURRENT is on now (undefined: no secret, or scheduled for deletion) */
  private async currentVersion(id: string): Promise<string | undefined> {
    try {
      return (await this.sm.send(new GetSecretValueCommand({ SecretId: id }))).VersionId;
    } catch (e) {
      const code = awsErrorCode(e);
      if (code === 'ResourceNotFoundException' || code === 'InvalidRequestException') return undefined;
      throw mapAwsError(e, `GetSecretValue ${id}`);
    }
  }

  /** write `body` as the new AWSCURRENT only if AWSCURRENT is still on `expected`; false when it moved */
  private async swap(id: string, expected: string, body: string): Promise<boolean> {
    const token = randomUUID();
    try {
      await this.sm.send(
        new PutSecretValueCommand({
          SecretId: id,
          SecretString: body,
          ClientRequestToken: token,
          VersionStages: [PENDING],
        }),
      );
    } catch (e) {
      const code = awsErrorCode(e);
      // scheduled for deletion or deleted since the read: decide again on what is there now
      if (code === 'InvalidRequestException' || code === 'ResourceNotFoundException') return false;
      throw mapAwsError(e, `PutSecretValue ${id}`);
    }
    try {
      await this.sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: id,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
          RemoveFromVersionId: expected,
        }),
      );
      return true;
    } catch (e) {
      const code = awsErrorCode(e);
      if (!['InvalidParameterException', 'InvalidRequestException', 'ResourceNotFoundException'].includes(code))
        throw mapAwsError(e, `UpdateSecretVersionStage ${id}`);
      // the move was refused: because AWSCURRENT moved (a concurrent writer), or because our own first attempt
      // had already moved it (an SDK retry after a lost response), or for a reason that is a real error
      const now = await this.currentVersion(id);
      if (now === token) return true;
      if (now === expected) throw mapAwsError(e, `UpdateSecretVersionStage ${id}`);
      return false;
    }
  }

  async put(record: ConnectionRecord): Promise<string> {
    return this.transact(record.name, (current) => ({ write: record, result: current?.arn ?? '' })).then(
      async (arn) => arn || ((await this.get(record.name))?.arn ?? ''),
    );
  }

  async update(name: string, mutate: (r: ConnectionRecord) => ConnectionRecord | undefined): Promise<ConnectionRecord> {
    return this.transact(name, (current) => {
      if (!current || current.scheduledForDeletion) throw new RecordMissing(`no connection named ${name}`);
      const before = JSON.stringify(current.record);
      const next = mutate(current.record) ?? current.record;
      // nothing changed: no new version (Secrets Manager keeps every version for 24 hours)
      return { write: JSON.stringify(next) === before ? undefined : next, result: next };
    });
  }

  async list(): Promise<ConnectionRecord[]> {
    const out: ConnectionRecord[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await this.sm.send(
          new BatchGetSecretValueCommand({ Filters: this.filters, MaxResults: 20, NextToken: token }),
        );
        for (const v of r.SecretValues ?? []) {
          const rec = parseRecord(v.SecretString, v.Name ?? '?');
          if (rec.status !== 'DELETED' && rec.stage === this.stage) out.push(rec);
        }
        token = r.NextToken;
      } while (token);
    } catch (e) {
      throw mapAwsError(e, 'BatchGetSecretValue');
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async markDeleted(name: string, opts: { recoveryWindowDays?: number; owner?: string } = {}): Promise<boolean> {
    const done = await this.transact(name, (current): Decision<'gone' | 'marked' | 'not-owner'> => {
      if (!current || current.scheduledForDeletion) return { result: 'gone' };
      const r = current.record;
      if (opts.owner !== undefined && r.status !== 'DELETED' && r.operation?.executionName !== opts.owner)
        return { result: 'not-owner' };
      if (r.status === 'DELETED' && r.operation?.finishedAt) return { result: 'marked' };
      r.status = 'DELETED';
      r.statusReason = 'torn down';
      if (r.operation && !r.operation.finishedAt)
        Object.assign(r.operation, { finishedAt: new Date().toISOString(), result: 'SUCCEEDED' });
      r.completedOperations = (r.completedOperations ?? 0) + 1;
      r.handoffs = { awsTunnels: {} };
      return { write: r, result: 'marked' };
    });
    if (done === 'not-owner') return false;
    if (done === 'gone') return true;
    try {
      await this.sm.send(
        new DeleteSecretCommand({ SecretId: this.id(name), RecoveryWindowInDays: opts.recoveryWindowDays ?? 7 }),
      );
    } catch (e) {
      if (awsErrorCode(e) !== 'InvalidRequestException') throw mapAwsError(e, `DeleteSecret ${this.id(name)}`);
    }
    return true;
  }

  async readSecret(arn: string): Promise<string> {
    try {
      const r = await this.sm.send(new GetSecretValueCommand({ SecretId: arn }));
      const v = r.SecretString ?? '';
      registerSecret(v);
      return v;
    } catch (e) {
      throw mapAwsError(e, `GetSecretValue ${arn}`);
    }
  }
}
