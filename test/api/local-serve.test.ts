import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteRouteCommand, EC2Client } from '@aws-sdk/client-ec2';
import { setReplySender } from '../../functions/chatops/plugs';
import { demoSpec } from '../../local/demo';
import { configureEnvironment, LOCAL_REGION, logTo, seedCredentials } from '../../local/environment';
import { lambdaInvoker, platformRunner } from '../../local/platform';
import { preloadHandlers } from '../../local/runner';
import { type Served, serve } from '../../local/serve';
import { type Simulator, startSimulator } from '../../sim';
import { awaitExecution } from '../../sim/aws/step-functions';
import { allPsks, leaks } from '../helpers/workflow';

// `vpn-bridge serve --local` end to end, over real HTTP: the routes come from serverless.yml, the handlers
// are the deployment's, the simulator's Step Functions service runs the state machines. The issue's story:
// create -> ACTIVE -> status -> drift clean -> a route deleted and a tunnel forced down behind the
// product's back -> drift reports exactly those -> repair restores the route -> teardown -> nothing of the
// connection remains and the record is DELETED.

const TIME_SCALE = 1000;
const SIGNING_SECRET = 'local-test-signing-secret';
let sim: Simulator;
let served: Served;
const logs: string[] = [];
const serveLog: string[] = [];
const responses: string[] = [];

beforeAll(async () => {
  logTo(logs);
  preloadHandlers();
  sim = await startSimulator({
    timeScale: TIME_SCALE,
    sfnRunner: platformRunner(
      () => TIME_SCALE,
      (l) => serveLog.push(l),
    ),
    lambdaInvoker: lambdaInvoker(),
  });
  configureEnvironment(sim.url);
  await seedCredentials(sim.url);
  Object.assign(process.env, {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_ALLOWED_TEAM_IDS: 'T1',
    SLACK_ALLOWED_CHANNEL_IDS: '*',
    SLACK_ALLOWED_USER_IDS: 'U1',
    SLACK_ADMIN_USER_IDS: 'U1',
    SLACK_RESPONSE_URL_PREFIXES: 'http://127.0.0.1:',
  });
  served = await serve({
    access: {
      url: sim.url,
      sim,
      simNow: async () => sim.ctx.clock.now(),
      admin: async () => ({}) as never,
      stop: async () => undefined,
    },
    port: 0,
    driftEverySimSeconds: 0,
    timeScale: () => TIME_SCALE,
    log: (l) => serveLog.push(l),
  });
});

afterAll(async () => {
  setReplySender(undefined);
  await served?.stop();
  await sim?.stop();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${served.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  responses.push(text);
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function finish(arn: unknown): Promise<{ status: string; output?: string }> {
  const e = await awaitExecution(sim.ctx, String(arn));
  return { status: e.status, output: e.output };
}

interface Row {
  cloud: string;
  resource: string;
  attribute: string;
  kind: string;
  repairable: boolean;
}

describe('the local HTTP API served from serverless.yml', () => {
  it('answers 404 for a path serverless.yml does not route and 405 for a wrong method', async () => {
    expect((await call('GET', '/nowhere')).status).toBe(404);
    expect((await call('PUT', '/connections')).status).toBe(405);
  });

  it('runs the whole life of a connection: create, status, drift, repair, teardown', async () => {
    // Prepare
    const spec = await demoSpec(sim.url, {
      name: 'gdn-china',
      alibabaRegion: 'eu-central-1',
      profile: 'recommended',
      psk: 'from-aws-config',
    });

    // Act: two concurrent creates
    const [a, b] = await Promise.all([call('POST', '/connections', spec), call('POST', '/connections', spec)]);

    // Assert: one execution, ACTIVE
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.json.executionArn).toBe(b.json.executionArn);
    expect((await finish(a.json.executionArn)).status).toBe('SUCCEEDED');
    const got = await call('GET', '/connections/gdn-china');
    expect(got.status).toBe(200);
    expect(got.json.status).toBe('ACTIVE');
    const tunnels = got.json.tunnels as Array<{ role: string; aws: { status: string }; alibaba?: { status: string } }>;
    expect(tunnels.map((t) => [t.role, t.aws.status])).toEqual([
      ['active', 'UP'],
      ['unused', 'DOWN'],
      ['standby', 'UP'],
      ['unused', 'DOWN'],
    ]);
    const list = await call('GET', '/connections');
    expect(JSON.stringify(list.json)).toContain('gdn-china');

    // Act: drift on a fresh connection
    const d1 = await call('POST', '/connections/gdn-china/drift');
    expect(d1.status).toBe(202);
    expect((await finish(d1.json.executionArn)).status).toBe('SUCCEEDED');
    const clean = await call('GET', '/connections/gdn-china');
    expect((clean.json.lastDrift as { clean: boolean }).clean).toBe(true);

    // Act: behind the product's back, delete the AWS route to the VGW and force tunnel 1 down
    const aws = sim.ctx.state.aws.regions[LOCAL_REGION];
    const table = Object.values(aws?.routeTables ?? {}).find((t) =>
      t.Routes.some((r) => r.GatewayId?.startsWith('vgw-')),
    );
    expect(table).toBeDefined();
    const ec2 = new EC2Client({ endpoint: sim.url, region: LOCAL_REGION });
    await ec2.send(
      new DeleteRouteCommand({ RouteTableId: table?.RouteTableId, DestinationCidrBlock: spec.alibaba.cidr }),
    );
    ec2.destroy();
    const resources = clean.json.resources as { aws: { vpnConnections: Record<string, string> } };
    const vpn1 = resources.aws.vpnConnections['vpn-1'];
    const forced = await fetch(`${sim.url}/_sim/tunnels/down`, {
      method: 'POST',
      body: JSON.stringify({ cloud: 'aws', vpnConnectionId: vpn1, tunnel: 1 }),
    });
    expect(forced.status).toBe(200);

    // Act: drift again
    const d2 = await call('POST', '/connections/gdn-china/drift');
    const d2Done = await finish(d2.json.executionArn);

    // Assert: exactly those two
    expect(d2Done.status).toBe('SUCCEEDED');
    const drifted = await call('GET', '/connections/gdn-china');
    const rows = (drifted.json.lastDrift as { clean: boolean; rows: Row[] }).rows;
    expect(rows.map((r) => [r.cloud, r.kind, r.repairable])).toEqual(
      expect.arrayContaining([
        ['aws', 'MISSING', true],
        ['aws', 'DOWN', false],
      ]),
    );
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.kind === 'MISSING')?.resource).toContain(table?.RouteTableId ?? '?');
    expect(rows.find((r) => r.kind === 'DOWN')?.resource).toBe('tunnel/vpn-1/1');

    // Act: repair
    const d3 = await call('POST', '/connections/gdn-china/drift', { repair: true });
    expect((await finish(d3.json.executionArn)).status).toBe('SUCCEEDED');

    // Assert: the route is back, only the forced-down tunnel remains
    expect(
      table?.Routes.some((r) => r.DestinationCidrBlock === spec.alibaba.cidr && r.GatewayId?.startsWith('vgw-')),
    ).toBe(true);
    const repaired = await call('GET', '/connections/gdn-china');
    expect((repaired.json.lastDrift as { rows: Row[] }).rows.map((r) => r.kind)).toEqual(['DOWN']);

    // Act: teardown
    const del = await call('DELETE', '/connections/gdn-china');
    expect(del.status).toBe(202);
    expect((await finish(del.json.executionArn)).status).toBe('SUCCEEDED');

    // Assert: nothing of the connection remains, the record says DELETED
    const after = await call('GET', '/connections/gdn-china');
    expect(after.json.status).toBe('DELETED');
    const st = sim.ctx.state;
    const live = <T extends { State: string }>(xs: T[]) => xs.filter((x) => x.State !== 'deleted').length;
    expect(live(Object.values(aws?.vpnGateways ?? {}))).toBe(0);
    expect(live(Object.values(aws?.customerGateways ?? {}))).toBe(0);
    expect(live(Object.values(aws?.vpnConnections ?? {}))).toBe(0);
    const ali = st.alibaba.regions['eu-central-1'];
    expect(Object.keys(ali?.vpnGateways ?? {})).toEqual([]);
    expect(Object.keys(ali?.customerGateways ?? {})).toEqual([]);
    expect(Object.keys(ali?.vpnConnections ?? {})).toEqual([]);
    expect(Object.values(ali?.routeEntries ?? {}).filter((e) => e.NextHopType === 'VpnGateway')).toEqual([]);
    expect(
      Object.values(aws?.routeTables ?? {})
        .flatMap((t) => t.Routes)
        .filter((r) => r.GatewayId?.startsWith('vgw-')),
    ).toEqual([]);

    // Assert: no key in any response or log line
    const psks = allPsks(sim);
    expect(psks.length).toBeGreaterThan(0);
    expect(leaks(psks, responses.join('\n'))).toEqual([]);
    expect(leaks(psks, logs.join('\n'))).toEqual([]);
  });

  it('takes a signed Slack command through the served endpoint and replies through response_url', async () => {
    // Prepare: a stand-in for Slack's response_url
    const replies: string[] = [];
    const slack: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        replies.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => slack.listen(0, '127.0.0.1', () => r()));
    const responseUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/reply`;
    const body = new URLSearchParams({
      team_id: 'T1',
      channel_id: 'C1',
      user_id: 'U1',
      command: '/vpn',
      text: 'list',
      response_url: responseUrl,
    }).toString();
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;

    try {
      // Act
      const ack = await fetch(`${served.url}/chatops/slack`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': ts,
          'x-slack-signature': sig,
        },
        body,
      });
      const forged = await fetch(`${served.url}/chatops/slack`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': ts,
          'x-slack-signature': 'v0=00',
        },
        body,
      });
      for (let i = 0; i < 100 && replies.length === 0; i++) await new Promise((r) => setTimeout(r, 50));

      // Assert
      expect(ack.status).toBe(200);
      expect(forged.status).toBe(401);
      expect(replies).toHaveLength(1);
      // the earlier story deleted its connection: nothing managed is left to list
      expect(JSON.parse(replies[0] ?? '{}')).toEqual(expect.objectContaining({ text: 'No managed connections.' }));
    } finally {
      slack.close();
    }
  });
});
