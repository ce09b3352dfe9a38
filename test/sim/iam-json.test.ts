import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { useSimulator } from '../helpers/sim';
import { ACCOUNT, admin, authLog, awsFailure, awsPrincipal, policy, secretsAs, sfnAs } from './iam-fixtures';

// IAM enforcement on the JSON-protocol services, through @aws-sdk/client-secrets-manager and client-sfn:
// AccessDeniedException as the SDKs surface it, tag-on-create, BatchGetSecretValue's per-secret check and the
// Step Functions state machine / execution ARNs.
const sim = useSimulator({ timeScale: 1 });
const KEY = 'AKIDIAMJSONTEST';
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:`;

beforeEach(async () => {
  sim().sim.reset();
  await admin(sim().sim, 'DELETE', '/_sim/iam/principals');
});

async function secret(name: string, tags: Array<{ Key: string; Value: string }> = []): Promise<string> {
  const out = await sim()
    .secrets()
    .send(new CreateSecretCommand({ Name: name, SecretString: `{"name":"${name}"}`, Tags: tags }));
  return out.ARN as string;
}

describe('Secrets Manager under IAM', () => {
  it('denies with AccessDeniedException (HTTP 400) naming the principal, action and secret', async () => {
    const arn = await secret('vpn-bridge/a');
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({ Effect: 'Allow', Action: 'secretsmanager:ListSecrets', Resource: '*' }),
    );

    const err = await awsFailure(
      secretsAs(sim().sim, KEY).send(new GetSecretValueCommand({ SecretId: 'vpn-bridge/a' })),
    );

    expect(err.name).toBe('AccessDeniedException');
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/vpn-bridge-test-role/test-session is not authorized to perform: ` +
        `secretsmanager:GetSecretValue on resource: ${arn} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    );
  });

  it('allows a secret matched by its ARN pattern (name prefix and random suffix)', async () => {
    await secret('vpn-bridge/a');
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: `${SECRET_ARN}vpn-bridge/a-??????`,
      }),
    );

    const out = await secretsAs(sim().sim, KEY).send(new GetSecretValueCommand({ SecretId: 'vpn-bridge/a' }));

    expect(out.SecretString).toBe('{"name":"vpn-bridge/a"}');
  });

  it('evaluates ArnLike on secretsmanager:SecretId part by part', async () => {
    await secret('vpn-bridge/a');
    await secret('other/b');
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
        Condition: { ArnLike: { 'secretsmanager:SecretId': 'arn:aws:secretsmanager:*:*:secret:vpn-bridge/*' } },
      }),
    );
    const sm = secretsAs(sim().sim, KEY);

    const ok = await sm.send(new GetSecretValueCommand({ SecretId: 'vpn-bridge/a' }));
    const err = await awsFailure(sm.send(new GetSecretValueCommand({ SecretId: 'other/b' })));

    expect(ok.Name).toBe('vpn-bridge/a');
    expect(err.name).toBe('AccessDeniedException');
  });

  it('evaluates aws:ResourceTag against the secret’s tags', async () => {
    await secret('tagged', [{ Key: 'vpn-bridge:managed', Value: 'true' }]);
    await secret('untagged');
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/vpn-bridge:managed': 'true' } },
      }),
    );
    const sm = secretsAs(sim().sim, KEY);

    const ok = await sm.send(new GetSecretValueCommand({ SecretId: 'tagged' }));
    const err = await awsFailure(sm.send(new GetSecretValueCommand({ SecretId: 'untagged' })));

    expect(ok.Name).toBe('tagged');
    expect(err.name).toBe('AccessDeniedException');
  });

  it('needs secretsmanager:TagResource too when CreateSecret carries Tags', async () => {
    const create = { Effect: 'Allow', Action: 'secretsmanager:CreateSecret', Resource: `${SECRET_ARN}vpn-bridge/*` };
    await awsPrincipal(sim().sim, KEY, policy(create));
    const sm = secretsAs(sim().sim, KEY);
    const tagged = (name: string) =>
      new CreateSecretCommand({ Name: name, SecretString: 'x', Tags: [{ Key: 'vpn-bridge:managed', Value: 'true' }] });

    const untaggedOk = await sm.send(new CreateSecretCommand({ Name: 'vpn-bridge/plain', SecretString: 'x' }));
    const err = await awsFailure(sm.send(tagged('vpn-bridge/tagged')));
    await awsPrincipal(sim().sim, KEY, policy(create, { ...create, Action: 'secretsmanager:TagResource' }));
    const taggedOk = await sm.send(tagged('vpn-bridge/tagged'));

    expect(untaggedOk.Name).toBe('vpn-bridge/plain');
    expect(err.message).toContain('secretsmanager:TagResource on resource');
    expect(taggedOk.Name).toBe('vpn-bridge/tagged');
  });

  it('reports a BatchGetSecretValue secret the caller may not read in Errors, and returns the others', async () => {
    const readable = await secret('vpn-bridge/a');
    const hidden = await secret('vpn-bridge/b');
    await awsPrincipal(
      sim().sim,
      KEY,
      policy(
        { Effect: 'Allow', Action: 'secretsmanager:BatchGetSecretValue', Resource: '*' },
        { Sid: 'OnlyA', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: readable },
      ),
    );

    const out = await secretsAs(sim().sim, KEY).send(
      new BatchGetSecretValueCommand({ SecretIdList: [readable, hidden] }),
    );
    const perSecret = (await authLog(sim().sim)).filter((e) => e.partOf === 'BatchGetSecretValue');

    expect(out.SecretValues?.map((v) => v.ARN)).toEqual([readable]);
    expect(out.Errors).toEqual([
      expect.objectContaining({
        SecretId: hidden,
        ErrorCode: 'AccessDeniedException',
        Message: expect.stringContaining(hidden),
      }),
    ]);
    expect(perSecret.map((e) => [e.checks[0]?.resource, e.decision, e.checks[0]?.statement])).toEqual([
      [readable, 'allow', 'p1#OnlyA'],
      [hidden, 'deny', undefined],
    ]);
  });

  it('needs BatchGetSecretValue itself on * before any secret is read', async () => {
    const arn = await secret('vpn-bridge/a');
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }),
    );

    const err = await awsFailure(
      secretsAs(sim().sim, KEY).send(new BatchGetSecretValueCommand({ SecretIdList: [arn] })),
    );

    expect(err.message).toContain('secretsmanager:BatchGetSecretValue on resource: *');
  });

  it('needs ListSecrets too when BatchGetSecretValue uses Filters', async () => {
    await secret('vpn-bridge/a');
    const batch = {
      Effect: 'Allow',
      Action: ['secretsmanager:BatchGetSecretValue', 'secretsmanager:GetSecretValue'],
      Resource: '*',
    };
    await awsPrincipal(sim().sim, KEY, policy(batch));
    const sm = secretsAs(sim().sim, KEY);
    const filtered = new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['vpn-bridge/'] }] });

    const err = await awsFailure(sm.send(filtered));
    await awsPrincipal(
      sim().sim,
      KEY,
      policy(batch, { Effect: 'Allow', Action: 'secretsmanager:ListSecrets', Resource: '*' }),
    );
    const out = await sm.send(filtered);

    expect(err.message).toContain('secretsmanager:ListSecrets on resource: *');
    expect(out.SecretValues?.map((v) => v.Name)).toEqual(['vpn-bridge/a']);
  });

  it('checks ListSecrets on * (no resource-level permissions)', async () => {
    await awsPrincipal(
      sim().sim,
      KEY,
      policy({ Effect: 'Allow', Action: 'secretsmanager:ListSecrets', Resource: `${SECRET_ARN}*` }),
    );

    const err = await awsFailure(secretsAs(sim().sim, KEY).send(new ListSecretsCommand({})));

    expect(err.name).toBe('AccessDeniedException');
  });
});

describe('Step Functions under IAM', () => {
  const machineArn = (name: string) => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;
  const DEFINITION = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });

  async function machine(name: string): Promise<string> {
    const out = await sim()
      .sfn()
      .send(
        new CreateStateMachineCommand({ name, definition: DEFINITION, roleArn: `arn:aws:iam::${ACCOUNT}:role/sfn` }),
      );
    return out.stateMachineArn as string;
  }

  it('allows StartExecution on the state machine ARN and denies DescribeExecution outside the execution ARNs', async () => {
    const arn = await machine('vpn-bridge-provision-dev');
    await awsPrincipal(
      sim().sim,
      KEY,
      policy(
        { Effect: 'Allow', Action: 'states:StartExecution', Resource: machineArn('vpn-bridge-provision-dev') },
        {
          Effect: 'Allow',
          Action: 'states:DescribeExecution',
          Resource: `arn:aws:states:us-east-1:${ACCOUNT}:execution:other:*`,
        },
      ),
    );
    const sfn = sfnAs(sim().sim, KEY);

    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1' }));
    const err = await awsFailure(sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn })));

    expect(started.executionArn).toBe(`arn:aws:states:us-east-1:${ACCOUNT}:execution:vpn-bridge-provision-dev:run-1`);
    expect(err.name).toBe('AccessDeniedException');
    expect(err.status).toBe(400);
    expect(err.message).toContain(`states:DescribeExecution on resource: ${started.executionArn} because`);
  });

  it('checks ListExecutions on the state machine and StopExecution on the execution', async () => {
    const arn = await machine('vpn-bridge-teardown-dev');
    const started = await sim()
      .sfn()
      .send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-2' }));
    await awsPrincipal(
      sim().sim,
      KEY,
      policy(
        { Effect: 'Allow', Action: 'states:ListExecutions', Resource: arn },
        {
          Effect: 'Allow',
          Action: 'states:StopExecution',
          Resource: `arn:aws:states:*:*:execution:vpn-bridge-teardown-dev:*`,
        },
      ),
    );
    const sfn = sfnAs(sim().sim, KEY);

    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn: started.executionArn }));
    const err = await awsFailure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn })));

    expect(listed.executions?.map((e) => e.name)).toEqual(['run-2']);
    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(err.message).toContain(`states:StartExecution on resource: ${arn} because`);
  });

  it('needs iam:PassRole on the role to create a state machine', async () => {
    await awsPrincipal(sim().sim, KEY, policy({ Effect: 'Allow', Action: 'states:CreateStateMachine', Resource: '*' }));

    const err = await awsFailure(
      sfnAs(sim().sim, KEY).send(
        new CreateStateMachineCommand({
          name: 'm',
          definition: DEFINITION,
          roleArn: `arn:aws:iam::${ACCOUNT}:role/sfn`,
        }),
      ),
    );

    expect(err.message).toContain(`iam:PassRole on resource: arn:aws:iam::${ACCOUNT}:role/sfn because`);
  });
});
