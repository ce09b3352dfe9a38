import { functionRoles } from '../../local/iam-roles';
import type { Check } from '../../sim/iam/evaluate';
import { evaluateCheck } from '../../sim/iam/evaluate';
import { parsePolicy } from '../../sim/iam/policy';

// The template's secret parameters (the Alibaba AccessKey, the Slack secrets) are documented as "a name or an
// ARN": either way the functions that read the secret are granted exactly that secret and no other. The roles are
// derived from serverless.yml as CloudFormation makes them (local/iam-roles.ts) and evaluated with the
// simulator's IAM evaluator.

const ACCOUNT = '123456789012';
const target = { stage: 'dev', region: 'us-east-1', accountId: ACCOUNT };
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:team/alibaba-key-AbCdEf`;
const OTHER_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:team/other-AbCdEf`;

function canRead(params: Record<string, string>, fn: string, secretArn: string): boolean {
  const role = functionRoles({ ...target, params }).find((r) => r.functionKey === fn);
  if (!role) throw new Error(`no role for ${fn}`);
  const check: Check = { action: 'secretsmanager:GetSecretValue', resource: secretArn, context: {} };
  return (
    evaluateCheck([parsePolicy({ name: 'role', document: role.policyDocument }, 'role')], check).decision === 'allow'
  );
}

describe.each([
  ['alibabaCredentialsSecret', 'awsCreateCustomerGateways'],
  ['slackSigningSecret', 'chatopsSlack'],
  ['slackWebhookSecret', 'notifyExecutionStatus'],
])('the %s parameter', (param, fn) => {
  it('given as an ARN grants that secret and no other', () => {
    // Act + Assert
    expect(canRead({ [param]: SECRET_ARN }, fn, SECRET_ARN)).toBe(true);
    expect(canRead({ [param]: SECRET_ARN }, fn, OTHER_ARN)).toBe(false);
  });

  it('given as a name grants that secret (name plus the six characters Secrets Manager appends) and no other', () => {
    // Act + Assert
    expect(canRead({ [param]: 'team/alibaba-key' }, fn, SECRET_ARN)).toBe(true);
    expect(canRead({ [param]: 'team/alibaba-key' }, fn, `${SECRET_ARN}x`)).toBe(false);
    expect(canRead({ [param]: 'team/alibaba-key' }, fn, OTHER_ARN)).toBe(false);
  });
});

describe('the role of every function', () => {
  it.each([
    ['dev', 'us-east-1'],
    ['production', 'ap-southeast-1'],
    ['a-sixteen-chars1', 'ap-southeast-1'],
  ])('is named within 64 characters for stage %s in %s', (stage, region) => {
    // Act
    const names = functionRoles({ stage, region, accountId: ACCOUNT }).map((r) => r.roleName);

    // Assert
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((n) => n.length > 64)).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });
});
