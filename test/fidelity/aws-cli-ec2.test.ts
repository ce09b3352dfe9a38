import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { useSimulator } from '../helpers/sim';

// Fidelity: the real AWS CLI (botocore's own EC2 Query serializer and XML parser, independent of the JS SDK)
// drives the simulated EC2 API end to end. Run: npx jest test/fidelity/aws-cli-ec2.test.ts

function findAwsCli(): string | undefined {
  const candidates = [
    process.env.AWS_CLI,
    ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'aws')),
    '/root/.pyenv/shims/aws',
    '/usr/local/bin/aws',
  ];
  return candidates.find((c): c is string => typeof c === 'string' && c !== '' && existsSync(c));
}

const AWS_CLI = findAwsCli();
const sim = useSimulator({ timeScale: 1 });

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** dummy credentials, no profile or config from this machine, no pager, no retries */
function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'AKIDFIDELITY',
    AWS_SECRET_ACCESS_KEY: 'fidelity-secret',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const k of [
    'AWS_PROFILE',
    'AWS_DEFAULT_PROFILE',
    'AWS_SESSION_TOKEN',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_EC2',
  ])
    delete env[k];
  return env;
}

/** run `aws ec2 ...` against the simulator (asynchronously: the simulator runs in this process) */
function run(args: string[]): Promise<CliResult> {
  const cli = AWS_CLI;
  if (!cli) throw new Error('the AWS CLI (`aws`) was not found on PATH or at /root/.pyenv/shims/aws; set AWS_CLI');
  const full = ['ec2', ...args, '--endpoint-url', sim().sim.url, '--region', 'us-east-1', '--output', 'json'];
  return new Promise((resolve, reject) => {
    execFile(cli, full, { env: cliEnv(), timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new Error(`could not run the AWS CLI (${cli}): ${err.message}`));
        return;
      }
      resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
    });
  });
}

/** run a CLI command that must succeed; returns its parsed JSON output ({} for commands that print nothing) */
async function aws<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const r = await run(args);
  if (r.code !== 0) throw new Error(`aws ec2 ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return (r.stdout.trim() ? JSON.parse(r.stdout) : {}) as T;
}

function advance(key: keyof ReturnType<typeof sim>['sim']['ctx']['latencies']): void {
  sim().sim.advance(sim().sim.ctx.latencies[key] + 1);
}

interface Vpcs {
  Vpcs: Array<{ VpcId: string; CidrBlock: string; State: string; IsDefault: boolean }>;
}
interface RouteTables {
  RouteTables: Array<{ RouteTableId: string; Routes: Array<Record<string, string>> }>;
}
interface VgwOut {
  VpnGateway: { VpnGatewayId: string; State: string; Type: string; AmazonSideAsn: number };
}
interface CgwOut {
  CustomerGateway: { CustomerGatewayId: string; State: string; IpAddress: string; BgpAsn: string };
}
interface Tunnel {
  OutsideIpAddress: string;
  PreSharedKey: string;
  TunnelInsideCidr: string;
  IkeVersions: unknown[];
}
interface Vpn {
  VpnConnectionId: string;
  State: string;
  CustomerGatewayConfiguration?: string;
  Options: { StaticRoutesOnly: boolean; TunnelOptions: Tunnel[] };
  VgwTelemetry: Array<{ OutsideIpAddress: string; Status: string; LastStatusChange: string }>;
  Routes: Array<{ DestinationCidrBlock: string; State: string }>;
}

jest.setTimeout(180_000);

it('finds the AWS CLI', () => {
  expect(AWS_CLI).toBeDefined();
});

it('drives the VPN lifecycle through the AWS CLI with the expected JSON output', async () => {
  // Prepare: the seeded VPC and its main route table
  const vpcs = await aws<Vpcs>('describe-vpcs');
  const vpc = vpcs.Vpcs[0];
  expect(vpc).toMatchObject({ CidrBlock: '172.80.64.0/19', State: 'available', IsDefault: false });
  const vpcId = vpc?.VpcId as string;
  const tables = await aws<RouteTables>(
    'describe-route-tables',
    '--filters',
    `Name=vpc-id,Values=${vpcId}`,
    'Name=association.main,Values=true',
  );
  const rtbId = tables.RouteTables[0]?.RouteTableId as string;
  expect(rtbId).toMatch(/^rtb-/);

  // VPN gateway: create, attach
  const vgw = await aws<VgwOut>('create-vpn-gateway', '--type', 'ipsec.1');
  expect(vgw.VpnGateway).toMatchObject({ State: 'pending', Type: 'ipsec.1', AmazonSideAsn: 64512 });
  const vgwId = vgw.VpnGateway.VpnGatewayId;
  advance('aws.vpnGateway.create');
  const attach = await aws('attach-vpn-gateway', '--vpn-gateway-id', vgwId, '--vpc-id', vpcId);
  expect(attach).toEqual({ VpcAttachment: { VpcId: vpcId, State: 'attaching' } });
  advance('aws.vpnGateway.attach');

  // customer gateway
  const cgw = await aws<CgwOut>(
    'create-customer-gateway',
    '--type',
    'ipsec.1',
    '--ip-address',
    '47.254.72.128',
    '--bgp-asn',
    '65000',
  );
  expect(cgw.CustomerGateway).toMatchObject({ State: 'pending', IpAddress: '47.254.72.128', BgpAsn: '65000' });
  const cgwId = cgw.CustomerGateway.CustomerGatewayId;
  advance('aws.customerGateway.create');

  // VPN connection
  const created = await aws<{ VpnConnection: Vpn }>(
    'create-vpn-connection',
    '--type',
    'ipsec.1',
    '--customer-gateway-id',
    cgwId,
    '--vpn-gateway-id',
    vgwId,
    '--options',
    '{"StaticRoutesOnly":true}',
  );
  const vpn = created.VpnConnection;
  expect(vpn.State).toBe('pending');
  expect(vpn.Options.StaticRoutesOnly).toBe(true);
  expect(vpn.Options.TunnelOptions.map((t) => t.OutsideIpAddress)).toEqual(['34.194.44.159', '34.198.177.52']);
  expect(vpn.Options.TunnelOptions[0]?.IkeVersions).toEqual([]);
  for (const t of vpn.Options.TunnelOptions) {
    expect(vpn.CustomerGatewayConfiguration).toContain(`<ip_address>${t.OutsideIpAddress}</ip_address>`);
    expect(vpn.CustomerGatewayConfiguration).toContain(`<pre_shared_key>${t.PreSharedKey}</pre_shared_key>`);
  }
  advance('aws.vpnConnection.create');

  const described = await aws<{ VpnConnections: Vpn[] }>(
    'describe-vpn-connections',
    '--vpn-connection-ids',
    vpn.VpnConnectionId,
  );
  const current = described.VpnConnections[0];
  expect(current?.State).toBe('available');
  expect(current?.Options.TunnelOptions).toEqual(vpn.Options.TunnelOptions);
  expect(current?.VgwTelemetry.map((t) => [t.OutsideIpAddress, t.Status])).toEqual([
    ['34.194.44.159', 'DOWN'],
    ['34.198.177.52', 'DOWN'],
  ]);
  expect(Number.isNaN(Date.parse(current?.VgwTelemetry[0]?.LastStatusChange ?? ''))).toBe(false);

  // a static VPN route, then a VPC route to the VGW
  await aws(
    'create-vpn-connection-route',
    '--vpn-connection-id',
    vpn.VpnConnectionId,
    '--destination-cidr-block',
    '192.168.0.0/16',
  );
  const route = await aws(
    'create-route',
    '--route-table-id',
    rtbId,
    '--destination-cidr-block',
    '192.168.0.0/16',
    '--gateway-id',
    vgwId,
  );
  expect(route).toEqual({ Return: true });
  const withRoute = await aws<RouteTables>('describe-route-tables', '--route-table-ids', rtbId);
  expect(withRoute.RouteTables[0]?.Routes).toContainEqual({
    DestinationCidrBlock: '192.168.0.0/16',
    GatewayId: vgwId,
    Origin: 'CreateRoute',
    State: 'active',
  });

  // tear down
  await aws('delete-route', '--route-table-id', rtbId, '--destination-cidr-block', '192.168.0.0/16');
  await aws('delete-vpn-connection', '--vpn-connection-id', vpn.VpnConnectionId);
  advance('aws.vpnConnection.delete');
  const deleted = await aws<{ VpnConnections: Vpn[] }>(
    'describe-vpn-connections',
    '--filters',
    'Name=state,Values=deleted',
  );
  expect(deleted.VpnConnections.map((c) => c.VpnConnectionId)).toEqual([vpn.VpnConnectionId]);
  expect(deleted.VpnConnections[0]?.CustomerGatewayConfiguration).toBeUndefined();
  await aws('delete-customer-gateway', '--customer-gateway-id', cgwId);
  await aws('detach-vpn-gateway', '--vpn-gateway-id', vgwId, '--vpc-id', vpcId);
  advance('aws.vpnGateway.detach');
  await aws('delete-vpn-gateway', '--vpn-gateway-id', vgwId);
  const gateways = await aws<{ VpnGateways: Array<{ State: string }> }>(
    'describe-vpn-gateways',
    '--vpn-gateway-ids',
    vgwId,
  );
  expect(gateways.VpnGateways[0]?.State).toBe('deleting');
});

it('surfaces EC2 error codes through the AWS CLI', async () => {
  const r = await run(['describe-vpn-gateways', '--vpn-gateway-ids', 'vgw-0000000000000000a']);

  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('(InvalidVpnGatewayID.NotFound)');
  expect(r.stderr).toContain('vgw-0000000000000000a');
});
