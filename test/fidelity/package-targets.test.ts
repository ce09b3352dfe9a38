import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionRoles, resolveIntrinsics } from '../../local/iam-roles';
import { cfnLint, packageOffline, type Run } from './packaging';

// Fidelity: the deployment packages for long stage and region names too (every role within IAM's 64 characters:
// CloudFormation names them), each template passes cfn-lint, and local/iam-roles.ts, from which the simulator
// learns every function's role, derives each role's policy exactly as the template holds it (intrinsics and
// Conditions resolved with the same pseudo parameters). `npm run package` for stage dev in us-east-1 is
// package.test.ts's. Run: npx jest --config jest.fidelity.config.js test/fidelity/package-targets.test.ts

const ACCOUNT = '210987654321';
const TARGETS = [
  { stage: 'production', region: 'ap-southeast-1' },
  { stage: 'production', region: 'us-east-1' },
  { stage: 'dev', region: 'ap-southeast-1' },
];

interface Role {
  Type: string;
  Properties: { RoleName?: unknown; Policies?: Array<{ PolicyName: unknown; PolicyDocument: unknown }> };
}
interface Template {
  Resources: Record<string, Role>;
  Conditions?: Record<string, unknown>;
  Parameters?: Record<string, { Default?: string }>;
}

describe.each(TARGETS)('npm run package --stage $stage --region $region', (target) => {
  const work = mkdtempSync(join(tmpdir(), 'vpn-bridge-package-target-'));
  const out = join(work, 'package');
  const file = join(out, 'cloudformation-template-update-stack.json');
  let run: Run = { code: null, output: 'not run', ms: 0 };
  let template: Template = { Resources: {} };

  beforeAll(async () => {
    run = await packageOffline(join(work, 'home'), out, target);
    process.stdout.write(
      `package ${target.stage}/${target.region}: exit ${run.code} after ${Math.round(run.ms / 1000)} s\n`,
    );
    if (existsSync(file)) template = JSON.parse(readFileSync(file, 'utf8')) as Template;
  }, 20 * 60_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packages offline, naming no role (CloudFormation names them within 64 characters)', () => {
    // Act
    const named = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName !== undefined)
      .map(([id]) => id);

    // Assert
    expect({ code: run.code, tail: run.code === 0 ? '' : run.output.slice(-3000) }).toEqual({ code: 0, tail: '' });
    expect(named).toEqual([]);
  });

  it('passes cfn-lint without errors or warnings', async () => {
    // Act
    const { findings } = await cfnLint(file);

    // Assert
    expect(
      findings
        .filter((f) => f.Level === 'Error' || f.Level === 'Warning')
        .map((f) => `${f.Rule.Id} ${f.Location.Path.join('/')}: ${f.Message}`),
    ).toEqual([]);
  });

  it('holds, for every function, the role policy local/iam-roles.ts derives for the simulator', () => {
    // Prepare
    const pseudo = { partition: 'aws', region: target.region, accountId: ACCOUNT };
    const conditions = template.Conditions ?? {};
    const parameters = Object.fromEntries(
      Object.entries(template.Parameters ?? {}).map(([k, d]) => [k, String(d.Default ?? '')]),
    );
    const derived = functionRoles({ ...target, accountId: ACCOUNT });
    const inTemplate = Object.entries(template.Resources)
      .filter(
        ([id, r]) =>
          r.Type === 'AWS::IAM::Role' && id.endsWith('IamRoleLambdaExecution') && id !== 'IamRoleLambdaExecution',
      )
      .map(([id]) => id)
      .sort();

    // Act
    const compared = derived.map((role) => {
      const policy = template.Resources[role.logicalId]?.Properties.Policies?.[0];
      return {
        fn: role.functionKey,
        policyName: resolveIntrinsics(policy?.PolicyName, pseudo, conditions, parameters),
        policyDocument: resolveIntrinsics(policy?.PolicyDocument, pseudo, conditions, parameters),
      };
    });

    // Assert
    expect(derived.map((r) => r.logicalId).sort()).toEqual(inTemplate);
    expect(compared).toEqual(
      derived.map((r) => ({ fn: r.functionKey, policyName: r.policyName, policyDocument: r.policyDocument })),
    );
    expect(derived.every((r) => r.roleName.length <= 64)).toBe(true);
  });
});
