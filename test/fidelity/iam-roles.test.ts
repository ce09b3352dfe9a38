import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { functionRoles, resolveIntrinsics } from '../../local/iam-roles';

// Fidelity: local/iam-roles.ts derives each function's IAM role from serverless.yml exactly as
// `serverless package` (with serverless-iam-roles-per-function) writes it into the CloudFormation template:
// logical id, policy name and policy document (the role name is CloudFormation's to choose), for a non-default
// stage and region. The template's
// intrinsics are resolved with the same pseudo parameters before comparing.
// Run: npx jest --config jest.fidelity.config.js test/fidelity/iam-roles.test.ts

const ROOT = resolve(__dirname, '../..');
const STAGE = 'qa';
const REGION = 'eu-west-1';
const ACCOUNT = '210987654321';
/** an address nothing listens on: any attempt to reach the internet fails at once */
const DEAD_PROXY = 'http://127.0.0.1:9';

interface Role {
  Type: string;
  Properties: { RoleName?: unknown; Policies?: Array<{ PolicyName: unknown; PolicyDocument: unknown }> };
}

/** `serverless package --stage --region --package <dir>` offline: empty HOME, no AWS credentials */
function packageOffline(home: string, outDir: string): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    TMPDIR: tmpdir(),
    LANG: 'C.UTF-8',
    HTTPS_PROXY: DEAD_PROXY,
    https_proxy: DEAD_PROXY,
    HTTP_PROXY: DEAD_PROXY,
    http_proxy: DEAD_PROXY,
  };
  const args = ['serverless', 'package', '--stage', STAGE, '--region', REGION, '--package', outDir];
  return new Promise((done) => {
    const child = spawn('npx', args, { cwd: ROOT, env });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.on('error', (err) => done({ code: -1, output: `${output}\n${err.message}` }));
    child.on('close', (code) => done({ code, output }));
  });
}

describe('local/iam-roles.ts against the packaged CloudFormation template', () => {
  let work = '';
  let resources: Record<string, Role> = {};
  let conditions: Record<string, unknown> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vpn-bridge-iam-roles-'));
    const out = join(work, 'package');
    const run = await packageOffline(join(work, 'home'), out);
    if (run.code !== 0) throw new Error(`serverless package failed (${run.code}):\n${run.output.slice(-4000)}`);
    const template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as {
      Resources: Record<string, Role>;
      Conditions?: Record<string, unknown>;
    };
    resources = template.Resources;
    conditions = template.Conditions ?? {};
  }, 20 * 60_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const pseudo = { partition: 'aws', region: REGION, accountId: ACCOUNT };
  const derived = () => functionRoles({ stage: STAGE, region: REGION, accountId: ACCOUNT });

  it('derives one role per function role in the template, with the same logical ids', () => {
    const inTemplate = Object.entries(resources)
      .filter(
        ([id, r]) =>
          r.Type === 'AWS::IAM::Role' && id.endsWith('IamRoleLambdaExecution') && id !== 'IamRoleLambdaExecution',
      )
      .map(([id]) => id)
      .sort();

    expect(
      derived()
        .map((r) => r.logicalId)
        .sort(),
    ).toEqual(inTemplate);
    expect(inTemplate.length).toBeGreaterThan(0);
  });

  it('derives each role’s policy name and policy document exactly as packaged, and leaves the name to CloudFormation', () => {
    for (const role of derived()) {
      const r = resources[role.logicalId];
      const policy = r?.Properties.Policies?.[0];

      expect({
        fn: role.functionKey,
        roleName: r?.Properties.RoleName,
        policyName: resolveIntrinsics(policy?.PolicyName, pseudo, conditions),
        policyDocument: resolveIntrinsics(policy?.PolicyDocument, pseudo, conditions),
        policies: r?.Properties.Policies?.length,
      }).toEqual({
        fn: role.functionKey,
        roleName: undefined,
        policyName: role.policyName,
        policyDocument: role.policyDocument,
        policies: 1,
      });
      expect(role.roleName.length).toBeLessThanOrEqual(64);
    }
  });
});
