import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { OpenApiUtil } from '@alicloud/openapi-core';
import { DEFAULT_ALIBABA_ACCOUNT_ID } from '../../sim';
import { canonicalQuery, flatten, sign } from '../../src/clouds/alibaba/acs3';
import { roleSession } from '../../src/clouds/alibaba/ram-role';
import { AlibabaApiError, RpcClient, vpcRpcClient } from '../../src/clouds/alibaba/rpc-client';
import { AccessDenied } from '../../src/errors';
import { useSimulator } from '../helpers/sim';
import { admin, alibabaPrincipal, authLog, ramPolicy } from '../sim/iam-fixtures';

// vpn-bridge's own Alibaba RPC client (src/clouds/alibaba/rpc-client.ts, acs3.ts, ram-role.ts): its V3 signature is
// the official runtime's (@alicloud/openapi-core) for the same request, its parameters flatten the same way, and
// against the simulator it signs as the right principal, surfaces API errors like the runtime, and opens RAM role
// sessions through STS.

const sim = useSimulator({ timeScale: 1 });
const REGION = 'eu-central-1';
const KEY = { accessKeyId: 'LTAIrpcclienttest', accessKeySecret: 'rpc-client-test-secret' };
const ROLE = `acs:ram::${DEFAULT_ALIBABA_ACCOUNT_ID}:role/vpn-bridge-test`;

const client = (credentials = async () => KEY) =>
  vpcRpcClient({ regionId: REGION, credentials, endpoint: sim().sim.url.replace(/^http:\/\//, ''), protocol: 'http' });

beforeEach(async () => {
  sim().sim.reset();
  await admin(sim().sim, 'DELETE', '/_sim/iam/principals');
});

describe('the ACS3 signature', () => {
  const request = {
    method: 'POST',
    host: 'vpc.eu-central-1.aliyuncs.com',
    pathname: '/',
    query: flatten({
      RegionId: REGION,
      VpnGatewayId: 'vpn-gw8abc',
      Name: "a name with spaces, 'quotes' (and) *stars*!",
      Tags: [
        { Key: 'vpn-bridge:connection', Value: 'gdn-china' },
        { Key: 'Name', Value: 'vpn-bridge.dev.gdn-china.ipsec-1' },
      ],
    }),
    headers: {
      host: 'vpc.eu-central-1.aliyuncs.com',
      'x-acs-action': 'CreateVpnConnection',
      'x-acs-version': '2016-04-28',
      'x-acs-date': '2026-12-06T10:00:00Z',
      'x-acs-signature-nonce': '0123456789abcdef',
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'TunnelOptionsSpecification.1.TunnelIkeConfig.Psk=abc&TunnelOptionsSpecification.1.Role=master',
  };

  it.each([
    ['an AccessKey', KEY],
    ['an STS session', { ...KEY, securityToken: 'CAIS.session-token' }],
  ])('equals the official runtime’s Authorization for the same request, with %s', (_label, key) => {
    // Act
    const ours = sign({ ...request, key });
    const headers = { ...request.headers, ...ours };
    const theirs = OpenApiUtil.getAuthorization(
      { method: request.method, pathname: request.pathname, query: request.query, headers } as never,
      'ACS3-HMAC-SHA256',
      ours['x-acs-content-sha256'] ?? '',
      key.accessKeyId,
      key.accessKeySecret,
    );

    // Assert
    expect(ours.Authorization).toBe(theirs);
    expect(ours.Authorization).toMatch(
      /^ACS3-HMAC-SHA256 Credential=LTAIrpcclienttest,SignedHeaders=content-type;host;x-acs-/,
    );
    if ('securityToken' in key) expect(ours['x-acs-security-token']).toBe(key.securityToken);
  });

  it('changes when any signed part changes', () => {
    // Act
    const base = sign({ ...request, key: KEY }).Authorization;
    const otherBody = sign({ ...request, body: `${request.body}x`, key: KEY }).Authorization;
    const otherQuery = sign({ ...request, query: { ...request.query, RegionId: 'me-east-1' }, key: KEY }).Authorization;
    const otherSecret = sign({ ...request, key: { ...KEY, accessKeySecret: 'other' } }).Authorization;

    // Assert
    expect(new Set([base, otherBody, otherQuery, otherSecret]).size).toBe(4);
  });

  it('flattens nested parameters exactly as the runtime does', () => {
    // Prepare
    const params = {
      RegionId: REGION,
      Tags: [{ Key: 'a', Value: 'b' }, undefined, { Key: 'c', Value: 'd' }],
      Nested: { Inner: { Deep: 1 }, List: [1, 2] },
      Skipped: undefined,
      Flag: true,
    };

    // Act + Assert
    expect(flatten(params)).toEqual(OpenApiUtil.query(params));
    expect(canonicalQuery({ b: 'x y', a: "(')*!" })).toBe('a=%28%27%29%2A%21&b=x%20y');
  });
});

describe('the RPC client against the simulator', () => {
  it('signs as its AccessKey and returns the answer with camel-cased keys', async () => {
    // Prepare
    await alibabaPrincipal(
      sim().sim,
      KEY.accessKeyId,
      ramPolicy({ Effect: 'Allow', Action: 'vpc:Describe*', Resource: '*' }),
    );

    // Act
    const out = await client().call('DescribeVpcs', { RegionId: REGION });
    const entry = (await authLog(sim().sim)).at(-1);

    // Assert
    expect(out.vpcs).toEqual({ vpc: expect.any(Array) });
    expect(entry).toMatchObject({ accessKeyId: KEY.accessKeyId, operation: 'DescribeVpcs', decision: 'allow' });
  });

  it('surfaces an API error with its code, HTTP status and request id, like the runtime', async () => {
    // Prepare
    await alibabaPrincipal(
      sim().sim,
      KEY.accessKeyId,
      ramPolicy({ Effect: 'Allow', Action: 'vpc:DescribeVpcs', Resource: '*' }),
    );

    // Act
    const err = await client()
      .call('DescribeVpnGateways', { RegionId: REGION })
      .catch((e: unknown) => e);

    // Assert
    expect(err).toBeInstanceOf(AlibabaApiError);
    expect(err).toMatchObject({ code: 'Forbidden.RAM', statusCode: 403, data: { RequestId: expect.any(String) } });
  });

  it('reports an endpoint nobody answers as a transport error code', async () => {
    // Prepare: a loopback port that was just free
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));

    // Act
    const err = await vpcRpcClient({
      regionId: REGION,
      credentials: async () => KEY,
      endpoint: `127.0.0.1:${port}`,
      protocol: 'http',
    })
      .call('DescribeVpcs', { RegionId: REGION })
      .catch((e: unknown) => e);

    // Assert
    expect(err).toMatchObject({ name: 'AlibabaApiError', code: 'ECONNREFUSED' });
  });
});

describe('a RAM role session', () => {
  const sts = (key = KEY) =>
    new RpcClient({
      version: '2015-04-01',
      defaultEndpoint: 'sts.aliyuncs.com',
      regionId: '',
      endpoint: sim().sim.url.replace(/^http:\/\//, ''),
      protocol: 'http',
      credentials: async () => key,
    });

  async function registerRole(): Promise<void> {
    await admin(sim().sim, 'POST', '/_sim/iam/roles', {
      arn: ROLE,
      policies: [{ name: 'read', document: ramPolicy({ Effect: 'Allow', Action: 'vpc:DescribeVpcs', Resource: '*' }) }],
    });
    await alibabaPrincipal(
      sim().sim,
      KEY.accessKeyId,
      ramPolicy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE }),
    );
  }

  it('runs the calls as the role, and reuses the session until it nears its expiry', async () => {
    // Prepare
    await registerRole();
    let now = Date.now();
    const session = roleSession({
      sts: sts(),
      roleArn: ROLE,
      sessionName: 'unit-test',
      durationSeconds: 3600,
      now: () => now,
    });

    // Act
    await client(session).call('DescribeVpcs', { RegionId: REGION });
    await client(session).call('DescribeVpcs', { RegionId: REGION });
    const denied = await client(session)
      .call('DescribeVpnGateways', { RegionId: REGION })
      .catch((e: unknown) => e);
    now += 3600_000;
    await client(session).call('DescribeVpcs', { RegionId: REGION });
    const ops = (await authLog(sim().sim)).map((e) => e.operation);

    // Assert
    expect(ops.filter((o) => o === 'AssumeRole')).toHaveLength(2);
    expect((await authLog(sim().sim)).find((e) => e.operation === 'DescribeVpcs')?.principal).toBe(
      `acs:ram::${DEFAULT_ALIBABA_ACCOUNT_ID}:assumed-role/vpn-bridge-test/unit-test`,
    );
    expect(denied).toMatchObject({ code: 'Forbidden.RAM' });
  });

  it('fails with AccessDenied when the AccessKey may not assume the role', async () => {
    // Prepare
    await registerRole();
    const session = roleSession({
      sts: sts({ ...KEY, accessKeyId: 'LTAInotallowed' }),
      roleArn: ROLE,
      sessionName: 'denied-session',
      durationSeconds: 900,
    });
    await alibabaPrincipal(sim().sim, 'LTAInotallowed', ramPolicy({ Effect: 'Allow', Action: 'vpc:*', Resource: '*' }));

    // Act
    const err = await session().catch((e: unknown) => e);

    // Assert
    expect(err).toBeInstanceOf(AccessDenied);
    expect((err as Error).message).toContain('AssumeRole');
  });
});
