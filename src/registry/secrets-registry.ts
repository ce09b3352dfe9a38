import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsErrorCode, mapAwsError } from '../clouds/aws/errors';
import { RecordMissing } from '../errors';
import { registerSecret } from '../log';
import { secretName, secretPrefix, TAG_CONNECTION, TAG_MANAGED, TAG_STAGE } from '../plan/naming';
import { type ConnectionRecord, secretsOf } from './record';

// Connection records in Secrets Manager (DESIGN.md §7). Reads register every PSK with the log
// redactor, so a key read by a step can never be printed by it.

export interface StoredRecord {
  arn: string;
  record: ConnectionRecord;
}

export interface Registry {
  /** the deployment stage whose records these are (`vpn-bridge/<stage>/<name>`, tag `vpn-bridge:stage`) */
  readonly stage: string;
  get(name: string): Promise<StoredRecord | undefined>;
  /** like get, but a missing record is a RecordMissing error */
  require(name: string): Promise<StoredRecord>;
  /** create the record, or overwrite it (restoring a secret scheduled for deletion) */
  put(record: ConnectionRecord): Promise<string>;
  /** read-modify-write */
  update(name: string, mutate: (r: ConnectionRecord) => ConnectionRecord | undefined): Promise<ConnectionRecord>;
  /** every live record of the stage: BatchGetSecretValue pages, never one call per connection */
  list(): Promise<ConnectionRecord[]>;
  /** mark DELETED and schedule the secret for deletion with a recovery window */
  markDeleted(name: string, recoveryWindowDays?: number): Promise<void>;
  /** a plain secret referenced by ARN (Alibaba credentials, Slack signing secret) */
  readSecret(arn: string): Promise<string>;
}

function parseRecord(text: string | undefined, name: string): ConnectionRecord {
  if (!text) throw new RecordMissing(`the record of ${name} is empty`);
  const r = JSON.parse(text) as ConnectionRecord;
  for (const s of secretsOf(r)) registerSecret(s);
  return r;
}

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
      return { arn: r.ARN ?? '', record: parseRecord(r.SecretString, name) };
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

  async put(record: ConnectionRecord): Promise<string> {
    const body = JSON.stringify(record);
    for (const s of secretsOf(record)) registerSecret(s);
    const id = this.id(record.name);
    try {
      const r = await this.sm.send(
        new CreateSecretCommand({
          Name: id,
          Description: `vpn-bridge connection record for ${record.name}`,
          SecretString: body,
          Tags: [
            { Key: TAG_MANAGED, Value: 'true' },
            { Key: TAG_STAGE, Value: this.stage },
            { Key: TAG_CONNECTION, Value: record.name },
          ],
        }),
      );
      return r.ARN ?? '';
    } catch (e) {
      const code = awsErrorCode(e);
      if (code === 'InvalidRequestException') {
        // scheduled for deletion: bring it back, then overwrite
        await this.sm.send(new RestoreSecretCommand({ SecretId: id })).catch((err: unknown) => {
          throw mapAwsError(err, `RestoreSecret ${id}`);
        });
      } else if (code !== 'ResourceExistsException') throw mapAwsError(e, `CreateSecret ${id}`);
      const r = await this.sm
        .send(new PutSecretValueCommand({ SecretId: id, SecretString: body }))
        .catch((err: unknown) => {
          throw mapAwsError(err, `PutSecretValue ${id}`);
        });
      return r.ARN ?? '';
    }
  }

  async update(name: string, mutate: (r: ConnectionRecord) => ConnectionRecord | undefined): Promise<ConnectionRecord> {
    const { record } = await this.require(name);
    const next = mutate(structuredClone(record)) ?? record;
    next.updatedAt = new Date().toISOString();
    for (const s of secretsOf(next)) registerSecret(s);
    try {
      await this.sm.send(new PutSecretValueCommand({ SecretId: this.id(name), SecretString: JSON.stringify(next) }));
    } catch (e) {
      throw mapAwsError(e, `PutSecretValue ${this.id(name)}`);
    }
    return next;
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

  async markDeleted(name: string, recoveryWindowDays = 7): Promise<void> {
    const existing = await this.get(name);
    if (!existing || (existing.record.status === 'DELETED' && !existing.record.generation)) return;
    await this.update(name, (r) => {
      r.status = 'DELETED';
      r.statusReason = 'torn down';
      if (r.operation) Object.assign(r.operation, { finishedAt: new Date().toISOString(), result: 'SUCCEEDED' });
      r.completedOperations = (r.completedOperations ?? 0) + 1;
      r.handoffs = { awsTunnels: {} };
      return r;
    });
    try {
      await this.sm.send(
        new DeleteSecretCommand({ SecretId: this.id(name), RecoveryWindowInDays: recoveryWindowDays }),
      );
    } catch (e) {
      if (awsErrorCode(e) !== 'InvalidRequestException') throw mapAwsError(e, `DeleteSecret ${this.id(name)}`);
    }
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
