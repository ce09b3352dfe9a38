import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AWS_ACCOUNT_ID, type PrincipalInput } from '../sim';
import { LOCAL_REGION, LOCAL_STAGE, VPN_BRIDGE_ALIBABA } from './constants';
import { functionRoles, simulatorPrincipals } from './iam-roles';
import { PROJECT_ROOT } from './runner';

// Who is who in the simulator: every function's role as the packaged template makes it (local/iam-roles.ts), each
// with its own access key, and the vpn-bridge RAM user with the shipped RAM policy (iam/alibaba-ram-policy.json).
// Registered principals are authorised on every call; any other key (the operator's) keeps full access.

/** a function's role credentials: the access key id names the role for the simulator (ASIA... like an STS session) */
export function roleCredentials(key: string): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
  const digest = createHash('sha256').update(`vpn-bridge-role/${key}`).digest('hex').toUpperCase();
  return {
    accessKeyId: `ASIA${digest.slice(0, 16)}`,
    secretAccessKey: digest.slice(16, 56),
    sessionToken: `local-session-${key}`,
  };
}

/** the shipped least-privilege RAM policy for the vpn-bridge RAM user or role */
export function alibabaRamPolicy(): unknown {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'iam', 'alibaba-ram-policy.json'), 'utf8'));
}

/** every principal of the local deployment */
export function localPrincipals(): PrincipalInput[] {
  const roles = functionRoles({ stage: LOCAL_STAGE, region: LOCAL_REGION, accountId: AWS_ACCOUNT_ID });
  return [
    ...simulatorPrincipals(roles, (r) => roleCredentials(r.functionKey).accessKeyId),
    {
      cloud: 'alibaba',
      accessKeyId: VPN_BRIDGE_ALIBABA.accessKeyId,
      policies: [{ name: 'vpn-bridge', document: alibabaRamPolicy() }],
    },
  ];
}
