import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Credential, { RAMRoleARNCredentialsProvider, StaticAKCredentialsProvider } from '@alicloud/credentials';
import { $OpenApiUtil, ClientError } from '@alicloud/openapi-core';
import { DescribeVpcsRequest, DescribeVpnGatewaysRequest } from '@alicloud/vpc20160428';
import { DEFAULT_ALIBABA_ACCOUNT_ID, type Simulator } from '../../sim';
import { SUPPORTED_ALIBABA_ACTIONS } from '../../sim/alibaba/vpc';
import { OpenApiRpcClient } from '../helpers/openapi-rpc';
import { useSimulator } from '../helpers/sim';
import { advance, createCgw, createDualConnection, createGateway, DUAL, sdkError, seeded } from './alibaba-fixtures';
import { admin, alibabaPrincipal, authLog, ramPolicy, vpcAs } from './iam-fixtures';

// RAM enforcement on the Alibaba VPC API, through @alicloud/openapi-core (as the product's rpc-client uses it)
// and the full @alicloud/vpc20160428 SDK (ACS3 and signature v2), STS AssumeRole through @alicloud/credentials,
// and the product's least-privilege policy iam/alibaba-ram-policy.json.
const sim = useSimulator({ timeScale: 1 });
const KEY = 'LTAIiamtestuser';
const ACCT = DEFAULT_ALIBABA_ACCOUNT_ID;
const ROOT = join(__dirname, '..', '..');

function rpcAs(s: Simulator, config: Partial<$OpenApiUtil.Config>): OpenApiRpcClient {
  return new OpenApiRpcClient(
    new $OpenApiUtil.Config({ regionId: DUAL, endpoint: s.url.replace(/^http:\/\//, ''), protocol: 'http', ...config }),
  );
}

const rpcWithKey = (s: Simulator, accessKeyId: string) => rpcAs(s, { accessKeyId, accessKeySecret: 'any-secret' });

beforeEach(async () => {
  sim().sim.reset();
  await admin(sim().sim, 'DELETE', '/_sim/iam/principals');
});

describe('Alibaba VPC under RAM', () => {
  it('denies with Forbidden.RAM (403) and an AccessDeniedDetail the SDK surfaces', async () => {
    await alibabaPrincipal(sim().sim, KEY, ramPolicy({ Effect: 'Allow', Action: 'vpc:DescribeVpcs', Resource: '*' }));

    const err = await sdkError(rpcWithKey(sim().sim, KEY).call('DescribeVpnGateways', { RegionId: DUAL }));

    expect(err).toBeInstanceOf(ClientError);
    expect(err.code).toBe('Forbidden.RAM');
    expect(err.statusCode).toBe(403);
    expect((err as unknown as { accessDeniedDetail: Record<string, string> }).accessDeniedDetail).toMatchObject({
      AuthAction: 'vpc:DescribeVpnGateways',
      NoPermissionType: 'ImplicitDeny',
      AuthPrincipalDisplayName: `acs:ram::${ACCT}:user/${KEY}`,
      EncodedDiagnosticMessage: expect.any(String),
    });
  });

  it('identifies the caller from the ACS3 Authorization header of the full SDK', async () => {
    await alibabaPrincipal(sim().sim, KEY, ramPolicy({ Effect: 'Allow', Action: 'vpc:Describe*', Resource: '*' }));

    const out = await vpcAs(sim().sim, KEY).describeVpcs(new DescribeVpcsRequest({ regionId: DUAL }));
    const entry = (await authLog(sim().sim)).at(-1);

    expect(out.body?.vpcs?.vpc?.length).toBe(1);
    expect(entry).toMatchObject({ accessKeyId: KEY, operation: 'DescribeVpcs', decision: 'allow' });
  });

  it('identifies the caller from the AccessKeyId parameter of a signature-v2 request', async () => {
    await alibabaPrincipal(sim().sim, KEY, ramPolicy({ Effect: 'Deny', Action: 'vpc:*', Resource: '*' }));

    const err = await sdkError(
      vpcAs(sim().sim, KEY, DUAL, { signatureAlgorithm: 'v2' }).describeVpcs(
        new DescribeVpcsRequest({ regionId: DUAL }),
      ),
    );

    expect(err.code).toBe('Forbidden.RAM');
    expect((err as unknown as { accessDeniedDetail: Record<string, string> }).accessDeniedDetail.NoPermissionType).toBe(
      'ExplicitDeny',
    );
  });

  it('checks a gateway by its ARN, so a statement on one gateway does not cover another', async () => {
    const mine = await createGateway(sim().alibaba(DUAL), sim().sim, DUAL);
    const other = await createGateway(sim().alibaba(DUAL), sim().sim, DUAL);
    await alibabaPrincipal(
      sim().sim,
      KEY,
      ramPolicy({
        Effect: 'Allow',
        Action: 'vpc:DescribeVpnGateway',
        Resource: `acs:vpc:${DUAL}:*:vpngateway/${mine}`,
      }),
    );
    const rpc = rpcWithKey(sim().sim, KEY);

    const ok = await rpc.call('DescribeVpnGateway', { RegionId: DUAL, VpnGatewayId: mine });
    const err = await sdkError(rpc.call('DescribeVpnGateway', { RegionId: DUAL, VpnGatewayId: other }));

    expect(ok.vpnGatewayId).toBe(mine);
    expect(err.code).toBe('Forbidden.RAM');
  });

  it('lets a Deny override an Allow', async () => {
    await alibabaPrincipal(
      sim().sim,
      KEY,
      ramPolicy(
        { Effect: 'Allow', Action: 'vpc:*', Resource: '*' },
        { Effect: 'Deny', Action: 'vpc:Describe*Gateways', Resource: '*' },
      ),
    );
    const rpc = rpcWithKey(sim().sim, KEY);

    await rpc.call('DescribeVpcs', { RegionId: DUAL });
    const err = await sdkError(rpc.call('DescribeVpnGateways', { RegionId: DUAL }));

    expect(err.code).toBe('Forbidden.RAM');
  });

  it('keeps full access for an AccessKey that is not registered', async () => {
    await alibabaPrincipal(sim().sim, KEY, ramPolicy({ Effect: 'Deny', Action: '*', Resource: '*' }));

    const out = await sim()
      .alibaba(DUAL)
      .describeVpnGateways(new DescribeVpnGatewaysRequest({ regionId: DUAL }));

    expect(out.body?.totalCount).toBe(0);
  });

  it('checks CreateVpnConnection on the VPN gateway and on each tunnel’s customer gateway', async () => {
    const gw = await createGateway(sim().alibaba(DUAL), sim().sim, DUAL);
    const c1 = await createCgw(sim().alibaba(DUAL), DUAL, '3.120.0.1');
    const c2 = await createCgw(sim().alibaba(DUAL), DUAL, '3.120.0.2');
    await alibabaPrincipal(
      sim().sim,
      KEY,
      ramPolicy({
        Effect: 'Allow',
        Action: 'vpc:CreateVpnConnection',
        Resource: [`acs:vpc:*:*:vpngateway/${gw}`, `acs:vpc:*:*:customergateway/${c1}`],
      }),
    );

    const err = await sdkError(createDualConnection(vpcAs(sim().sim, KEY), sim().sim, gw, [c1, c2]));
    const denied = (await authLog(sim().sim)).at(-1)?.checks.filter((c) => c.decision !== 'allow');

    expect(err.code).toBe('Forbidden.RAM');
    expect(denied?.map((c) => c.resource)).toEqual([`acs:vpc:${DUAL}:${ACCT}:customergateway/${c2}`]);
  });
});

describe('Alibaba STS AssumeRole', () => {
  const ROLE = `acs:ram::${ACCT}:role/vpn-bridge`;

  /** @alicloud/credentials' ram_role_arn provider with its STS endpoint on the simulator */
  function roleCredential(s: Simulator, accessKeyId: string): Credential {
    const provider = RAMRoleARNCredentialsProvider.builder()
      .withCredentialsProvider(
        StaticAKCredentialsProvider.builder().withAccessKeyId(accessKeyId).withAccessKeySecret('any-secret').build(),
      )
      .withRoleArn(ROLE)
      .withRoleSessionName('vpn-bridge-test')
      .withDurationSeconds(900)
      .withStsEndpoint(s.url.replace(/^http:\/\//, ''))
      .build();
    // the provider always builds https:// URLs; its doRequest hook (documented "for mock") is the one place to
    // send the same request over the simulator's plain HTTP
    const hooked = provider as unknown as { doRequest: (req: { protocol: string }) => Promise<unknown> };
    const send = hooked.doRequest;
    hooked.doRequest = (req) => {
      req.protocol = 'http';
      return send(req);
    };
    return new Credential(null, provider);
  }

  async function registerRole(): Promise<void> {
    await admin(sim().sim, 'POST', '/_sim/iam/roles', {
      arn: ROLE,
      policies: [
        {
          name: 'read-gateways',
          document: ramPolicy({ Effect: 'Allow', Action: 'vpc:DescribeVpnGateways', Resource: '*' }),
        },
      ],
    });
  }

  it('issues temporary credentials whose calls run under the role’s policies', async () => {
    await registerRole();
    await alibabaPrincipal(sim().sim, KEY, ramPolicy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE }));
    const rpc = rpcAs(sim().sim, { credential: roleCredential(sim().sim, KEY) });

    const allowed = await rpc.call('DescribeVpnGateways', { RegionId: DUAL });
    const err = await sdkError(rpc.call('DescribeVpcs', { RegionId: DUAL }));
    const entries = await authLog(sim().sim);

    expect(allowed.totalCount).toBe(0);
    expect(err.code).toBe('Forbidden.RAM');
    expect(entries.map((e) => [e.operation, e.decision])).toEqual([
      ['AssumeRole', 'allow'],
      ['DescribeVpnGateways', 'allow'],
      ['DescribeVpcs', 'deny'],
    ]);
    expect(entries[1]?.principal).toBe(`acs:ram::${ACCT}:assumed-role/vpn-bridge/vpn-bridge-test`);
    expect(entries[1]?.accessKeyId).toMatch(/^STS\./);
  });

  it('refuses AssumeRole to a RAM user without sts:AssumeRole on the role', async () => {
    await registerRole();
    await alibabaPrincipal(sim().sim, KEY, ramPolicy({ Effect: 'Allow', Action: 'vpc:*', Resource: '*' }));

    const err = await sdkError(
      rpcAs(sim().sim, { credential: roleCredential(sim().sim, KEY) }).call('DescribeVpnGateways', { RegionId: DUAL }),
    );

    expect(String((err as Error).message)).toContain('NoPermission');
  });

  it('answers an unknown role with EntityNotExist.Role', async () => {
    const err = await sdkError(
      rpcAs(sim().sim, { credential: roleCredential(sim().sim, 'LTAIunregistered') }).call('DescribeVpcs', {
        RegionId: DUAL,
      }),
    );

    expect(String((err as Error).message)).toContain('EntityNotExist.Role');
  });

  it('rejects a session key presented with another security token', async () => {
    await registerRole();
    const cred = roleCredential(sim().sim, 'LTAIunregistered');
    const model = await cred.getCredential();

    const err = await sdkError(
      rpcAs(sim().sim, {
        accessKeyId: model.accessKeyId,
        accessKeySecret: model.accessKeySecret,
        securityToken: 'CAISnot-the-token',
      }).call('DescribeVpnGateways', { RegionId: DUAL }),
    );

    expect(err.code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
  });
});

describe('the product’s RAM policy (iam/alibaba-ram-policy.json)', () => {
  const policyDoc = JSON.parse(readFileSync(join(ROOT, 'iam', 'alibaba-ram-policy.json'), 'utf8')) as {
    Statement: Array<{ Sid: string; Action: string | string[] }>;
  };
  /** every VPC action src/clouds/alibaba/vpc-adapter.ts calls (its quoted action names) */
  const productActions = (() => {
    const src = readFileSync(join(ROOT, 'src', 'clouds', 'alibaba', 'vpc-adapter.ts'), 'utf8');
    const quoted = new Set([...src.matchAll(/'([A-Z][A-Za-z]+)'/g)].map((m) => m[1] as string));
    return [...quoted].filter((a) => SUPPORTED_ALIBABA_ACTIONS.includes(a)).sort();
  })();

  it('allows exactly the actions the product calls', () => {
    const allowed = new Set(policyDoc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

    expect([...allowed].map((a) => a.replace(/^vpc:/, '')).sort()).toEqual(productActions);
  });

  it('lets every product call through on real resources, uses every statement, and denies another action', async () => {
    const net = seeded(sim().sim, DUAL);
    const full = sim().alibaba(DUAL);
    const gw = await createGateway(full, sim().sim, DUAL);
    const spareGw = await createGateway(full, sim().sim, DUAL);
    const c1 = await createCgw(full, DUAL, '3.120.0.1');
    const c2 = await createCgw(full, DUAL, '3.120.0.2');
    const spareCgw = await createCgw(full, DUAL, '3.120.0.3');
    const conn = await createDualConnection(full, sim().sim, gw, [c1, c2]);
    await alibabaPrincipal(sim().sim, KEY, policyDoc);
    const rpc = rpcWithKey(sim().sim, KEY);
    const R = { RegionId: DUAL };
    const calls: Record<string, () => Promise<unknown>> = {
      DescribeVpnGatewayAvailableZones: () => rpc.call('DescribeVpnGatewayAvailableZones', { ...R, Spec: '10M' }),
      DescribeVpcs: () => rpc.call('DescribeVpcs', { ...R, VpcId: net.vpcId }),
      DescribeVSwitches: () => rpc.call('DescribeVSwitches', { ...R, VpcId: net.vpcId }),
      DescribeRouteTableList: () => rpc.call('DescribeRouteTableList', { ...R, VpcId: net.vpcId }),
      DescribeRouteEntryList: () => rpc.call('DescribeRouteEntryList', { ...R, RouteTableId: net.systemTableId }),
      CreateVpnGateway: () =>
        rpc.call('CreateVpnGateway', {
          ...R,
          VpcId: net.vpcId,
          VSwitchId: net.vswitchIds[0],
          DisasterRecoveryVSwitchId: net.vswitchIds[1],
          Bandwidth: 10,
          InstanceChargeType: 'POSTPAY',
          AutoPay: true,
        }),
      DescribeVpnGateways: () => rpc.call('DescribeVpnGateways', R),
      CreateCustomerGateway: () => rpc.call('CreateCustomerGateway', { ...R, IpAddress: '3.120.0.9' }),
      DescribeCustomerGateways: () => rpc.call('DescribeCustomerGateways', R),
      CreateVpnConnection: () =>
        rpc.call(
          'CreateVpnConnection',
          { ...R, VpnGatewayId: gw, LocalSubnet: '0.0.0.0/0', RemoteSubnet: '0.0.0.0/0' },
          {
            TunnelOptionsSpecification: [
              { Role: 'master', CustomerGatewayId: c1 },
              { Role: 'slave', CustomerGatewayId: c2 },
            ],
          },
        ),
      DescribeVpnConnections: () => rpc.call('DescribeVpnConnections', { ...R, VpnGatewayId: gw }),
      CreateVpnRouteEntry: () =>
        rpc.call('CreateVpnRouteEntry', {
          ...R,
          VpnGatewayId: gw,
          RouteDest: '172.80.64.0/19',
          NextHop: conn,
          Weight: 0,
          PublishVpc: false,
        }),
      DescribeVpnRouteEntries: () => rpc.call('DescribeVpnRouteEntries', { ...R, VpnGatewayId: gw }),
      DeleteVpnRouteEntry: () =>
        rpc.call('DeleteVpnRouteEntry', {
          ...R,
          VpnGatewayId: gw,
          RouteDest: '172.80.64.0/19',
          NextHop: conn,
          Weight: 0,
        }),
      CreateRouteEntry: () =>
        rpc.call('CreateRouteEntry', {
          ...R,
          RouteTableId: net.systemTableId,
          DestinationCidrBlock: '172.80.64.0/19',
          NextHopType: 'VpnGateway',
          NextHopId: gw,
        }),
      DeleteRouteEntry: () =>
        rpc.call('DeleteRouteEntry', {
          ...R,
          RouteTableId: net.systemTableId,
          DestinationCidrBlock: '172.80.64.0/19',
          NextHopId: gw,
        }),
      // key rotation: one tunnel of a dual-tunnel connection, and a single-tunnel connection's key
      ModifyTunnelAttribute: () =>
        rpc.call(
          'ModifyTunnelAttribute',
          { ...R, VpnConnectionId: conn, TunnelId: 'tun-rotated' },
          { TunnelOptionsSpecification: { TunnelIkeConfig: { Psk: 'Rotated.key.0123' } } },
        ),
      ModifyVpnConnectionAttribute: () =>
        rpc.call('ModifyVpnConnectionAttribute', { ...R, VpnConnectionId: conn, Name: 'rotated' }),
      DeleteVpnConnection: () => rpc.call('DeleteVpnConnection', { ...R, VpnConnectionId: conn }),
      DeleteCustomerGateway: () => rpc.call('DeleteCustomerGateway', { ...R, CustomerGatewayId: spareCgw }),
      DeleteVpnGateway: () => rpc.call('DeleteVpnGateway', { ...R, VpnGatewayId: spareGw }),
    };
    expect(Object.keys(calls).sort()).toEqual(productActions);

    for (const call of Object.values(calls)) {
      // provider-side refusals (a gateway still configuring, a missing resource) are not the question here
      await call().catch((e: { code?: string }) => {
        if (e.code === 'Forbidden.RAM') throw e;
      });
      advance(sim().sim, 'alibaba.vpnGateway.update');
    }
    const denied = await sdkError(rpc.call('DeleteVpc', { ...R, VpcId: net.vpcId }));
    const entries = (await authLog(sim().sim)).filter((e) => e.accessKeyId === KEY);
    const used = new Set(entries.flatMap((e) => e.checks.flatMap((c) => c.matched)));

    expect(
      entries
        .filter((e) => e.decision === 'allow')
        .map((e) => e.operation)
        .sort(),
    ).toEqual(productActions);
    expect(policyDoc.Statement.map((s) => `p1#${s.Sid}`).filter((id) => !used.has(id))).toEqual([]);
    expect(denied.code).toBe('Forbidden.RAM');
  });
});
