import { randomUUID } from 'node:crypto';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  type Filter,
  GetSecretValueCommand,
  ListSecretsCommand,
  type ListSecretsCommandInput,
  PutSecretValueCommand,
  RestoreSecretCommand,
  type SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { AWS_ACCOUNT_ID } from '../../sim';
import { useSimulator } from '../helpers/sim';

const sim = useSimulator();
const DAY_S = 86_400;

let seq = 0;
/** a name no other test uses */
const unique = (prefix: string) => `${prefix}-${++seq}-${randomUUID().slice(0, 8)}`;

interface AwsError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

async function failure(p: Promise<unknown>): Promise<AwsError> {
  try {
    await p;
  } catch (e) {
    return e as AwsError;
  }
  throw new Error('expected the call to fail');
}

async function create(sm: SecretsManagerClient, name: string, value = 'v1', extra: Record<string, unknown> = {}) {
  return sm.send(new CreateSecretCommand({ Name: name, SecretString: value, ...extra }));
}

async function listAll(sm: SecretsManagerClient, input: ListSecretsCommandInput): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const out = await sm.send(new ListSecretsCommand({ ...input, NextToken: token }));
    names.push(...(out.SecretList ?? []).map((s) => s.Name ?? ''));
    token = out.NextToken;
  } while (token);
  return names;
}

describe('Secrets Manager simulator: create and read', () => {
  it('creates a secret whose ARN ends with the name, a hyphen and six random characters', async () => {
    // Prepare
    const sm = sim().secrets('us-east-1');
    const name = unique('vpn-bridge/conn');

    // Act
    const out = await create(sm, name, '{"status":"PROVISIONING"}');

    // Assert
    expect(out.Name).toBe(name);
    expect(out.ARN).toMatch(
      new RegExp(
        `^arn:aws:secretsmanager:us-east-1:${AWS_ACCOUNT_ID}:secret:${name.replace('/', '\\/')}-[A-Za-z0-9]{6}$`,
      ),
    );
    expect(out.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it('reads the value by name, by full ARN and by partial ARN', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('lookup');
    const { ARN } = await create(sm, name, 'psk-123');
    const partial = (ARN ?? '').slice(0, -7);

    // Act
    const byName = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    const byArn = await sm.send(new GetSecretValueCommand({ SecretId: ARN }));
    const byPartial = await sm.send(new GetSecretValueCommand({ SecretId: partial }));

    // Assert
    for (const out of [byName, byArn, byPartial]) {
      expect(out.SecretString).toBe('psk-123');
      expect(out.ARN).toBe(ARN);
      expect(out.VersionStages).toEqual(['AWSCURRENT']);
      expect(out.CreatedDate).toBeInstanceOf(Date);
    }
  });

  it('keeps secrets per region', async () => {
    // Prepare
    const name = unique('regional');
    await create(sim().secrets('us-east-1'), name);

    // Act
    const err = await failure(
      sim()
        .secrets('eu-west-1')
        .send(new GetSecretValueCommand({ SecretId: name })),
    );

    // Assert
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('answers ResourceNotFoundException for a secret that does not exist', async () => {
    // Act
    const err = await failure(
      sim()
        .secrets()
        .send(new GetSecretValueCommand({ SecretId: unique('missing') })),
    );

    // Assert
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.message).toBe("Secrets Manager can't find the specified secret.");
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('refuses a second secret with the same name', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('dup');
    await create(sm, name);

    // Act
    const err = await failure(create(sm, name, 'v2'));

    // Assert
    expect(err.name).toBe('ResourceExistsException');
    expect(err.message).toBe(`The operation failed because the secret ${name} already exists.`);
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('treats a repeated CreateSecret with the same token and value as the same request', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('idem');
    const token = randomUUID();
    const first = await create(sm, name, 'same', { ClientRequestToken: token });

    // Act
    const again = await create(sm, name, 'same', { ClientRequestToken: token });
    const changed = await failure(create(sm, name, 'other', { ClientRequestToken: token }));

    // Assert
    expect(again.ARN).toBe(first.ARN);
    expect(again.VersionId).toBe(token);
    expect(changed.name).toBe('ResourceExistsException');
    expect(changed.message).toContain(`You can't use ClientRequestToken ${token}`);
  });

  it('lets the SDK retry a CreateSecret whose response was lost without creating a duplicate', async () => {
    // Prepare
    const name = unique('lost');
    await sim().admin('POST', '/_sim/faults', {
      service: 'secretsmanager',
      action: 'CreateSecret',
      kind: 'lost-response',
    });
    const sm = sim().secrets('us-east-1', { maxAttempts: 2 });

    // Act
    const out = await create(sm, name, 'value');

    // Assert
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    expect(out.ARN).toBe(described.ARN);
    expect(Object.keys(described.VersionIdsToStages ?? {})).toEqual([out.VersionId]);
  });

  it('rejects a name with characters outside [A-Za-z0-9/_+=.@-]', async () => {
    // Act
    const err = await failure(create(sim().secrets(), 'bad name!'));

    // Assert
    expect(err.name).toBe('InvalidParameterException');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('names the missing field when a required parameter is absent', async () => {
    // Act
    const err = await failure(
      sim()
        .secrets()
        .send(new DescribeSecretCommand({ SecretId: '' })),
    );

    // Assert
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toContain('SecretId');
  });

  it('creates a secret without a value and answers ResourceNotFoundException for its AWSCURRENT value', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('empty');
    const out = await sm.send(new CreateSecretCommand({ Name: name, Description: 'no value yet' }));

    // Act
    const err = await failure(sm.send(new GetSecretValueCommand({ SecretId: name })));
    await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'first' }));
    const read = await sm.send(new GetSecretValueCommand({ SecretId: name }));

    // Assert
    expect(out.VersionId).toBeUndefined();
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.message).toContain('staging label: AWSCURRENT');
    expect(read.SecretString).toBe('first');
    expect(read.VersionStages).toEqual(['AWSCURRENT']);
  });

  it('stores binary secrets', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('binary');
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);

    // Act
    await sm.send(new CreateSecretCommand({ Name: name, SecretBinary: bytes }));
    const out = await sm.send(new GetSecretValueCommand({ SecretId: name }));

    // Assert
    expect(Array.from(out.SecretBinary ?? [])).toEqual(Array.from(bytes));
    expect(out.SecretString).toBeUndefined();
  });
});

describe('Secrets Manager simulator: versions', () => {
  it('moves AWSCURRENT to the new version and AWSPREVIOUS to the one it left', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('stages');
    const v1 = await create(sm, name, 'one');

    // Act
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'two' }));
    const v3 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'three' }));
    const current = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }));
    const byId = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: v1.VersionId }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));

    // Assert
    expect(v2.VersionStages).toEqual(['AWSCURRENT']);
    expect(current.SecretString).toBe('three');
    expect(current.VersionId).toBe(v3.VersionId);
    expect(previous.SecretString).toBe('two');
    expect(byId.SecretString).toBe('one');
    expect(byId.VersionStages).toEqual([]);
    expect(described.VersionIdsToStages).toEqual({
      [v3.VersionId ?? '']: ['AWSCURRENT'],
      [v2.VersionId ?? '']: ['AWSPREVIOUS'],
    });
  });

  it('ignores a PutSecretValue repeated with the same token and value, and refuses the token with another value', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('put-idem');
    await create(sm, name, 'one');
    const token = randomUUID();
    const first = await sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'two', ClientRequestToken: token }),
    );

    // Act
    const again = await sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'two', ClientRequestToken: token }),
    );
    const err = await failure(
      sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'three', ClientRequestToken: token })),
    );
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));

    // Assert
    expect(first.VersionId).toBe(token);
    expect(again.VersionId).toBe(token);
    expect(again.VersionStages).toEqual(['AWSCURRENT']);
    expect(Object.keys(described.VersionIdsToStages ?? {})).toHaveLength(2);
    expect(err.name).toBe('ResourceExistsException');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('answers InvalidRequestException when the VersionStage is not on the VersionId', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('mismatch');
    const v1 = await create(sm, name, 'one');

    // Act
    const err = await failure(
      sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: v1.VersionId, VersionStage: 'AWSPREVIOUS' })),
    );

    // Assert
    expect(err.name).toBe('InvalidRequestException');
  });
});

describe('Secrets Manager simulator: staging labels (UpdateSecretVersionStage)', () => {
  it('keeps AWSCURRENT where it is for a version put with other labels, and reads that version by its label', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('pending');
    const v1 = await create(sm, name, 'one');

    // Act
    const pending = await sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'two', VersionStages: ['AWSPENDING'] }),
    );
    const current = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    const byLabel = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPENDING' }));

    // Assert
    expect(pending.VersionStages).toEqual(['AWSPENDING']);
    expect(current.VersionId).toBe(v1.VersionId);
    expect(current.SecretString).toBe('one');
    expect(byLabel.VersionId).toBe(pending.VersionId);
    expect(byLabel.SecretString).toBe('two');
  });

  it('moves AWSCURRENT from the named version to another, and AWSPREVIOUS to the version it left', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('move');
    const v1 = await create(sm, name, 'one');
    const v2 = await sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'two', VersionStages: ['AWSPENDING'] }),
    );

    // Act
    const out = await sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: name,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: v2.VersionId,
        RemoveFromVersionId: v1.VersionId,
      }),
    );
    const current = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));

    // Assert
    expect(out.Name).toBe(name);
    expect(out.ARN).toBe(v1.ARN);
    expect(current.SecretString).toBe('two');
    expect(described.VersionIdsToStages).toEqual({
      [v1.VersionId ?? '']: ['AWSPREVIOUS'],
      [v2.VersionId ?? '']: ['AWSPENDING', 'AWSCURRENT'],
    });
  });

  it('refuses to move AWSCURRENT when RemoveFromVersionId no longer holds it, and changes nothing (a lost race)', async () => {
    // Prepare: two writers both read v1 and each put a candidate; the first one wins
    const sm = sim().secrets();
    const name = unique('race');
    const v1 = await create(sm, name, 'one');
    const a = await sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'a', VersionStages: ['AWSPENDING'] }),
    );
    const b = await sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'b', VersionStages: ['AWSPENDING'] }),
    );
    await sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: name,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: a.VersionId,
        RemoveFromVersionId: v1.VersionId,
      }),
    );

    // Act
    const err = await failure(
      sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: b.VersionId,
          RemoveFromVersionId: v1.VersionId,
        }),
      ),
    );
    const current = await sm.send(new GetSecretValueCommand({ SecretId: name }));

    // Assert
    expect(err.name).toBe('InvalidParameterException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toContain('AWSCURRENT');
    expect(current.VersionId).toBe(a.VersionId);
    expect(current.SecretString).toBe('a');
  });

  it('requires RemoveFromVersionId when the label sits on another version, and refuses unknown versions', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('remove-from');
    const v1 = await create(sm, name, 'one');
    const v2 = await sm.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'two', VersionStages: ['AWSPENDING'] }),
    );

    // Act
    const withoutRemove = await failure(
      sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: v2.VersionId,
        }),
      ),
    );
    const unknown = await failure(
      sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: randomUUID(),
          RemoveFromVersionId: v1.VersionId,
        }),
      ),
    );
    const missing = await failure(
      sm.send(new UpdateSecretVersionStageCommand({ SecretId: unique('nope'), VersionStage: 'AWSCURRENT' })),
    );
    const current = await sm.send(new GetSecretValueCommand({ SecretId: name }));

    // Assert
    expect(withoutRemove.name).toBe('InvalidParameterException');
    expect(withoutRemove.message).toContain(v1.VersionId ?? '?');
    expect(unknown.name).toBe('InvalidParameterException');
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(current.VersionId).toBe(v1.VersionId);
  });

  it('moves a custom label without RemoveFromVersionId when no version carries it yet', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('custom');
    const v1 = await create(sm, name, 'one');

    // Act
    await sm.send(
      new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'reviewed', MoveToVersionId: v1.VersionId }),
    );
    const byLabel = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'reviewed' }));

    // Assert
    expect(byLabel.VersionId).toBe(v1.VersionId);
    expect(byLabel.VersionStages).toEqual(['AWSCURRENT', 'reviewed']);
  });
});

describe('Secrets Manager simulator: describe and tags', () => {
  it('describes a secret with its description, tags, dates and version stages', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('describe');
    const created = await create(sm, name, 'x', {
      Description: 'connection record',
      Tags: [{ Key: 'vpn-bridge:managed', Value: 'true' }],
    });

    // Act
    const before = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    await sm.send(new GetSecretValueCommand({ SecretId: name }));
    const after = await sm.send(new DescribeSecretCommand({ SecretId: created.ARN }));

    // Assert
    expect(before.ARN).toBe(created.ARN);
    expect(before.Description).toBe('connection record');
    expect(before.Tags).toEqual([{ Key: 'vpn-bridge:managed', Value: 'true' }]);
    expect(before.CreatedDate).toBeInstanceOf(Date);
    expect(before.LastChangedDate).toBeInstanceOf(Date);
    expect(before.LastAccessedDate).toBeUndefined();
    expect(before.DeletedDate).toBeUndefined();
    expect(before.VersionIdsToStages).toEqual({ [created.VersionId ?? '']: ['AWSCURRENT'] });
    expect(after.LastAccessedDate).toBeInstanceOf(Date);
  });

  it('adds, overwrites and removes tags', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('tags');
    await create(sm, name, 'x', { Tags: [{ Key: 'a', Value: '1' }] });

    // Act
    const tagged = await sm.send(
      new TagResourceCommand({
        SecretId: name,
        Tags: [
          { Key: 'a', Value: '2' },
          { Key: 'b', Value: '3' },
        ],
      }),
    );
    await sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['b', 'not-there'] }));
    const out = await sm.send(new DescribeSecretCommand({ SecretId: name }));

    // Assert
    expect(tagged.$metadata.httpStatusCode).toBe(200);
    expect(out.Tags).toEqual([{ Key: 'a', Value: '2' }]);
  });

  it('answers ResourceNotFoundException when tagging a missing secret', async () => {
    // Act
    const err = await failure(
      sim()
        .secrets()
        .send(new TagResourceCommand({ SecretId: unique('nope'), Tags: [{ Key: 'k', Value: 'v' }] })),
    );

    // Assert
    expect(err.name).toBe('ResourceNotFoundException');
  });
});

describe('Secrets Manager simulator: ListSecrets', () => {
  const prefix = unique('list');
  const names = [`${prefix}/alpha`, `${prefix}/beta`, `${prefix}/gamma`, `${prefix}/Delta`, `${prefix}/epsilon`];

  beforeAll(async () => {
    const sm = sim().secrets();
    await create(sm, names[0] as string, 'x', {
      Description: 'Primary link',
      Tags: [
        { Key: 'vpn-bridge:managed', Value: 'true' },
        { Key: 'env', Value: 'prod' },
      ],
    });
    await create(sm, names[1] as string, 'x', {
      Tags: [
        { Key: 'vpn-bridge:managed', Value: 'true' },
        { Key: 'env', Value: 'staging' },
      ],
    });
    await create(sm, names[2] as string, 'x', { Tags: [{ Key: 'vpn-bridge:managed', Value: 'true' }] });
    await create(sm, names[3] as string, 'x', { Tags: [{ Key: 'owner', Value: 'net' }] });
    await create(sm, names[4] as string, 'x', { Description: 'secondary link' });
  });

  const list = (filters: Filter[]) =>
    listAll(sim().secrets(), { Filters: [{ Key: 'name', Values: [prefix] }, ...filters] });

  it('filters by name prefix, case-sensitively', async () => {
    // Act
    const lower = await listAll(sim().secrets(), { Filters: [{ Key: 'name', Values: [`${prefix}/d`] }] });
    const upper = await listAll(sim().secrets(), { Filters: [{ Key: 'name', Values: [`${prefix}/D`] }] });

    // Assert
    expect(lower).toEqual([]);
    expect(upper).toEqual([`${prefix}/Delta`]);
  });

  it('filters by tag key and by tag value prefix', async () => {
    // Act
    const managed = await list([{ Key: 'tag-key', Values: ['vpn-bridge:managed'] }]);
    const prod = await list([{ Key: 'tag-value', Values: ['pro'] }]);

    // Assert
    expect(managed.sort()).toEqual([names[0], names[1], names[2]].sort());
    expect(prod).toEqual([names[0]]);
  });

  it('negates a filter value that starts with !', async () => {
    // Act
    const unmanaged = await list([{ Key: 'tag-key', Values: ['!vpn-bridge:managed'] }]);

    // Assert
    expect(unmanaged.sort()).toEqual([names[3], names[4]].sort());
  });

  it('matches descriptions by prefix without regard to case', async () => {
    // Act
    const primary = await list([{ Key: 'description', Values: ['primary'] }]);

    // Assert
    expect(primary).toEqual([names[0]]);
  });

  it('pages through the results with MaxResults and NextToken', async () => {
    // Prepare
    const sm = sim().secrets();
    const filters = [{ Key: 'name' as const, Values: [prefix] }];

    // Act
    const first = await sm.send(new ListSecretsCommand({ Filters: filters, MaxResults: 2, SortOrder: 'asc' }));
    const all = await listAll(sm, { Filters: filters, MaxResults: 2, SortOrder: 'asc' });

    // Assert
    expect(first.SecretList).toHaveLength(2);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(all).toEqual(names);
  });

  it('answers InvalidNextTokenException for a token it did not issue', async () => {
    // Act
    const err = await failure(
      sim()
        .secrets()
        .send(new ListSecretsCommand({ NextToken: 'garbage' })),
    );

    // Assert
    expect(err.name).toBe('InvalidNextTokenException');
  });

  it('hides secrets scheduled for deletion unless IncludePlannedDeletion is set', async () => {
    // Prepare
    const sm = sim().secrets();
    const p = unique('planned');
    await create(sm, `${p}/keep`);
    await create(sm, `${p}/gone`);
    await sm.send(new DeleteSecretCommand({ SecretId: `${p}/gone`, RecoveryWindowInDays: 7 }));

    // Act
    const visible = await listAll(sm, { Filters: [{ Key: 'name', Values: [p] }] });
    const planned = await sm.send(
      new ListSecretsCommand({
        Filters: [{ Key: 'name', Values: [p] }],
        IncludePlannedDeletion: true,
        SortOrder: 'asc',
      }),
    );

    // Assert
    expect(visible).toEqual([`${p}/keep`]);
    expect(planned.SecretList?.map((s) => s.Name)).toEqual([`${p}/keep`, `${p}/gone`]);
    expect(planned.SecretList?.[1]?.DeletedDate).toBeInstanceOf(Date);
  });
});

describe('Secrets Manager simulator: deletion', () => {
  it('schedules deletion after the recovery window and removes the secret when simulated time reaches it', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('window');
    const { ARN } = await create(sm, name);

    // Act
    const out = await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    const read = await failure(sm.send(new GetSecretValueCommand({ SecretId: name })));
    const recreate = await failure(create(sm, name));
    sim().sim.advance(7 * DAY_S + 1);
    const afterWindow = await failure(sm.send(new DescribeSecretCommand({ SecretId: name })));
    const reused = await create(sm, name, 'new');

    // Assert
    expect(out.ARN).toBe(ARN);
    expect(out.Name).toBe(name);
    expect((out.DeletionDate?.getTime() ?? 0) - (described.DeletedDate?.getTime() ?? 0)).toBe(7 * DAY_S * 1000);
    expect(read.name).toBe('InvalidRequestException');
    expect(read.message).toBe("You can't perform this operation on the secret because it was marked for deletion.");
    expect(recreate.name).toBe('InvalidRequestException');
    expect(recreate.message).toBe(
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
    expect(afterWindow.name).toBe('ResourceNotFoundException');
    expect(reused.ARN).not.toBe(ARN);
  });

  it('uses a 30-day recovery window by default', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('default-window');
    await create(sm, name);

    // Act
    const out = await sm.send(new DeleteSecretCommand({ SecretId: name }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));

    // Assert
    expect((out.DeletionDate?.getTime() ?? 0) - (described.DeletedDate?.getTime() ?? 0)).toBe(30 * DAY_S * 1000);
  });

  it('restores a secret scheduled for deletion, cancelling the deletion', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('restore');
    const { ARN } = await create(sm, name, 'kept');
    await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));

    // Act
    const restored = await sm.send(new RestoreSecretCommand({ SecretId: ARN }));
    sim().sim.advance(8 * DAY_S);
    const read = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));

    // Assert
    expect(restored).toMatchObject({ ARN, Name: name });
    expect(read.SecretString).toBe('kept');
    expect(described.DeletedDate).toBeUndefined();
  });

  it('deletes at once with ForceDeleteWithoutRecovery, also for a secret that does not exist', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('force');
    await create(sm, name);

    // Act
    const out = await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    const gone = await failure(sm.send(new DescribeSecretCommand({ SecretId: name })));
    const missing = await sm.send(
      new DeleteSecretCommand({ SecretId: unique('never'), ForceDeleteWithoutRecovery: true }),
    );
    const recreated = await create(sm, name);

    // Assert
    expect(out.Name).toBe(name);
    expect(out.DeletionDate).toBeInstanceOf(Date);
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata.httpStatusCode).toBe(200);
    expect(recreated.Name).toBe(name);
  });

  it('refuses a recovery window together with ForceDeleteWithoutRecovery, or outside 7-30 days', async () => {
    // Prepare
    const sm = sim().secrets();
    const name = unique('both');
    await create(sm, name);

    // Act
    const both = await failure(
      sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })),
    );
    const short = await failure(sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 6 })));

    // Assert
    expect(both.name).toBe('InvalidParameterException');
    expect(both.$metadata.httpStatusCode).toBe(400);
    expect(short.name).toBe('InvalidParameterException');
  });

  it('answers ResourceNotFoundException when deleting a missing secret with a recovery window', async () => {
    // Act
    const err = await failure(
      sim()
        .secrets()
        .send(new DeleteSecretCommand({ SecretId: unique('ghost') })),
    );

    // Assert
    expect(err.name).toBe('ResourceNotFoundException');
  });
});

describe('Secrets Manager simulator: BatchGetSecretValue', () => {
  it('reads a list of secrets and reports the ones it cannot read in Errors', async () => {
    // Prepare
    const sm = sim().secrets();
    const a = unique('batch-a');
    const b = unique('batch-b');
    const missing = unique('batch-missing');
    await create(sm, a, 'A');
    const { ARN: bArn } = await create(sm, b, 'B');

    // Act
    const out = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: [a, bArn ?? '', missing] }));

    // Assert
    expect(out.SecretValues?.map((v) => [v.Name, v.SecretString])).toEqual([
      [a, 'A'],
      [b, 'B'],
    ]);
    expect(out.Errors).toEqual([
      {
        SecretId: missing,
        ErrorCode: 'ResourceNotFoundException',
        Message: "Secrets Manager can't find the specified secret.",
      },
    ]);
  });

  it('reads the secrets matching filters page by page', async () => {
    // Prepare
    const sm = sim().secrets();
    const tag = unique('fleet');
    const names = [unique('fleet-1'), unique('fleet-2'), unique('fleet-3'), unique('fleet-4'), unique('fleet-5')];
    for (const n of names) await create(sm, n, `value of ${n}`, { Tags: [{ Key: tag, Value: 'true' }] });
    await create(sm, unique('not-in-fleet'));
    const filters: Filter[] = [{ Key: 'tag-key', Values: [tag] }];

    // Act
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await sm.send(new BatchGetSecretValueCommand({ Filters: filters, MaxResults: 2, NextToken: token }));
      pages.push((out.SecretValues ?? []).map((v) => v.SecretString ?? ''));
      token = out.NextToken;
    } while (token);

    // Assert
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(names.map((n) => `value of ${n}`));
  });

  it('refuses SecretIdList together with Filters, and MaxResults without Filters', async () => {
    // Prepare
    const sm = sim().secrets();

    // Act
    const both = await failure(
      sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['x'], Filters: [{ Key: 'name', Values: ['x'] }] })),
    );
    const maxOnly = await failure(sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['x'], MaxResults: 5 })));

    // Assert
    expect(both.name).toBe('InvalidParameterException');
    expect(maxOnly.name).toBe('InvalidParameterException');
  });
});

describe('Secrets Manager simulator: protocol errors and faults', () => {
  afterEach(async () => {
    await sim().admin('DELETE', '/_sim/faults');
  });

  it('throttles with ThrottlingException (400) when a throttle fault fires', async () => {
    // Prepare
    await sim().admin('POST', '/_sim/faults', { service: 'secretsmanager', action: 'ListSecrets', kind: 'throttle' });

    // Act
    const err = await failure(sim().secrets().send(new ListSecretsCommand({})));

    // Assert
    expect(err.name).toBe('ThrottlingException');
    expect(err.message).toBe('Rate exceeded');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('fails with InternalServiceError (500) when a server error fault fires', async () => {
    // Prepare
    await sim().admin('POST', '/_sim/faults', { service: 'secretsmanager', action: 'ListSecrets', kind: 'error' });

    // Act
    const err = await failure(sim().secrets().send(new ListSecretsCommand({})));

    // Assert
    expect(err.name).toBe('InternalServiceError');
    expect(err.$metadata.httpStatusCode).toBe(500);
  });

  it('answers UnknownOperationException for an operation it does not simulate', async () => {
    // Act
    const res = await fetch(sim().sim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.RotateSecret' },
      body: '{}',
    });
    const body = (await res.json()) as Record<string, unknown>;

    // Assert
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(body.__type).toBe('UnknownOperationException');
    expect(body.Message).toEqual(expect.stringContaining('RotateSecret'));
  });
});
