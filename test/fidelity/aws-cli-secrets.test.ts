import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { useSimulator } from '../helpers/sim';

// Fidelity: the real AWS CLI (botocore, not the JS SDK) against the simulated Secrets Manager.
// Run: npx jest test/fidelity/aws-cli-secrets.test.ts (needs the AWS CLI: /root/.pyenv/shims/aws, `aws` on PATH, or AWS_CLI)

const sim = useSimulator();

const CLI = process.env.AWS_CLI ?? (existsSync('/root/.pyenv/shims/aws') ? '/root/.pyenv/shims/aws' : 'aws');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** the CLI's environment: dummy credentials, no profile or config from this machine, no pager */
function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  };
  for (const k of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL']) delete env[k];
  return env;
}

/** run `aws secretsmanager ...` against the simulator (asynchronously: the simulator runs in this process) */
function aws(...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      CLI,
      ['secretsmanager', ...args, '--endpoint-url', sim().sim.url, '--region', 'us-east-1', '--output', 'json'],
      {
        env: cliEnv(),
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`could not run the AWS CLI (${CLI}): ${error.message}`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

async function awsJson<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const r = await aws(...args);
  if (r.code !== 0) throw new Error(`aws secretsmanager ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  const probe = await new Promise<string>((resolve) => {
    execFile(CLI, ['--version'], (error, stdout, stderr) => resolve(error ? '' : `${stdout}${stderr}`));
  });
  if (!probe.startsWith('aws-cli/'))
    throw new Error(
      `The AWS CLI is required for this fidelity test but "${CLI}" did not run. Install it or set AWS_CLI=/path/to/aws.`,
    );
});

describe('AWS CLI against the simulated Secrets Manager', () => {
  const name = `vpn-bridge/cli-${Date.now()}`;

  it('creates a secret and reads its value', async () => {
    // Act
    const created = await awsJson(
      'create-secret',
      '--name',
      name,
      '--description',
      'connection record',
      '--secret-string',
      '{"status":"PROVISIONING"}',
      '--tags',
      'Key=vpn-bridge:managed,Value=true',
    );
    const read = await awsJson('get-secret-value', '--secret-id', name);

    // Assert
    expect(created.Name).toBe(name);
    expect(created.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:\\d{12}:secret:${name}-[A-Za-z0-9]{6}$`));
    expect(created.VersionId).toEqual(expect.any(String));
    expect(read).toMatchObject({
      ARN: created.ARN,
      Name: name,
      VersionId: created.VersionId,
      SecretString: '{"status":"PROVISIONING"}',
      VersionStages: ['AWSCURRENT'],
    });
    expect(read.CreatedDate).toBeDefined();
  });

  it('puts a new value that becomes AWSCURRENT', async () => {
    // Act
    const put = await awsJson('put-secret-value', '--secret-id', name, '--secret-string', '{"status":"ACTIVE"}');
    const read = await awsJson('get-secret-value', '--secret-id', name);
    const previous = await awsJson('get-secret-value', '--secret-id', name, '--version-stage', 'AWSPREVIOUS');

    // Assert
    expect(put).toMatchObject({ Name: name, VersionStages: ['AWSCURRENT'] });
    expect(read.SecretString).toBe('{"status":"ACTIVE"}');
    expect(read.VersionId).toBe(put.VersionId);
    expect(previous.SecretString).toBe('{"status":"PROVISIONING"}');
  });

  it('lists secrets with --filters, paging through them with --page-size', async () => {
    // Prepare
    const prefix = `cli-list-${Date.now()}`;
    const sm = sim().secrets();
    for (const n of ['a', 'b', 'c'])
      await sm.send(new CreateSecretCommand({ Name: `${prefix}/${n}`, SecretString: n }));

    // Act
    const byName = await awsJson<{ SecretList: Array<{ Name: string }> }>(
      'list-secrets',
      '--filters',
      `Key=name,Values=${prefix}`,
      '--page-size',
      '1',
    );
    const byTag = await awsJson<{ SecretList: Array<{ Name: string; Tags?: unknown }> }>(
      'list-secrets',
      '--filters',
      'Key=tag-key,Values=vpn-bridge:managed',
    );

    // Assert
    expect(byName.SecretList.map((s) => s.Name).sort()).toEqual([`${prefix}/a`, `${prefix}/b`, `${prefix}/c`]);
    expect(byTag.SecretList.map((s) => s.Name)).toEqual([name]);
    expect(byTag.SecretList[0]?.Tags).toEqual([{ Key: 'vpn-bridge:managed', Value: 'true' }]);
  });

  it('tags a secret and describes it with its tags and version stages', async () => {
    // Act
    const tagged = await aws('tag-resource', '--secret-id', name, '--tags', 'Key=env,Value=prod');
    const described = await awsJson<{
      Name: string;
      Description: string;
      Tags: unknown[];
      VersionIdsToStages: Record<string, string[]>;
      CreatedDate: unknown;
      LastAccessedDate: unknown;
    }>('describe-secret', '--secret-id', name);

    // Assert
    expect(tagged.code).toBe(0);
    expect(tagged.stdout.trim()).toBe('');
    expect(described.Name).toBe(name);
    expect(described.Description).toBe('connection record');
    expect(described.Tags).toEqual([
      { Key: 'vpn-bridge:managed', Value: 'true' },
      { Key: 'env', Value: 'prod' },
    ]);
    expect(Object.values(described.VersionIdsToStages).sort()).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']]);
    expect(described.CreatedDate).toBeDefined();
    expect(described.LastAccessedDate).toBeDefined();
  });

  it('force-deletes the secret, after which it cannot be found', async () => {
    // Act
    const deleted = await awsJson('delete-secret', '--secret-id', name, '--force-delete-without-recovery');
    const after = await aws('describe-secret', '--secret-id', name);

    // Assert
    expect(deleted.Name).toBe(name);
    expect(deleted.ARN).toEqual(expect.stringContaining(`:secret:${name}-`));
    expect(deleted.DeletionDate).toBeDefined();
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain('ResourceNotFoundException');
    expect(after.stderr).toContain("Secrets Manager can't find the specified secret.");
  });
});
