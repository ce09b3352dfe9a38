import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  DeleteRouteCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { OPERATOR_AWS, VPN_BRIDGE_ALIBABA } from '../../local/constants';
import { demoSpec } from '../../local/demo';
import { configureEnvironment, LOCAL_REGION, LOCAL_STAGE, logTo, seedCredentials } from '../../local/environment';
import { type FunctionRole, functionRoles, simulatorPrincipals } from '../../local/iam-roles';
import { operatorDeps } from '../../local/operator';
import { lambdaInvoker, platformRunner } from '../../local/platform';
import { alibabaRamPolicy, roleCredentials } from '../../local/roles';
import { lambdaHandlers, preloadHandlers, readServerlessFunctions } from '../../local/runner';
import type { Served } from '../../local/serve';
import { type AuthLogEntry, AWS_ACCOUNT_ID, type Simulator, startSimulator } from '../../sim';
import { awaitExecution } from '../../sim/aws/step-functions';
import type { CheckResult } from '../../sim/iam/evaluate';
import { evaluateCheck } from '../../sim/iam/evaluate';
import { parsePolicy } from '../../sim/iam/policy';
import { machinesFromEnv } from '../../src/service/connections';
import { http, serveOn, slackSigned } from '../evidence/served';

// Least privilege, proven: the whole product runs once through the served HTTP API, the Slack endpoint, the
// schedule's drift check and the notifier (every function, with its role from the packaged template, and the
// vpn-bridge RAM user with iam/alibaba-ram-policy.json), on a simulator that authorises every call. From the
// simulator's authorisation log:
//   - every function was exercised, and no call was denied;
//   - every statement of every function's policy (and of the RAM policy) is the only one allowing at least one
//     call that was made: without it that call would be denied (re-evaluated with the simulator's evaluator);
//   - no policy grants an action its function never called.
// And once for real: a role without one statement makes its step fail with the provider's access-denied error.

const TIME_SCALE = 1000;
const SIGNING_SECRET = 'least-privilege-signing-secret';
const SIGNING_SECRET_NAME = 'vpn-bridge-config/slack-signing-secret';
const WEBHOOK_SECRET_NAME = 'vpn-bridge-config/slack-webhook-url';
/**
 * used by the Lambda service with the function's role, not by the function's code: the runtime's log writes, and
 * the failure destination (sqs:SendMessage to the dead-letter queue) of an asynchronously invoked function
 */
const LOGS_STATEMENT = /^(logs:|sqs:SendMessage$)/;

const logs: string[] = [];
const slackPosts: string[] = [];
let sim: Simulator;
let served: Served;
let catcher: Server;
let catcherUrl = '';
const saved = { ...process.env };

beforeAll(async () => {
  logTo(logs);
  preloadHandlers();
  catcher = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      slackPosts.push(`${req.url} ${body}`);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => catcher.listen(0, '127.0.0.1', r));
  catcherUrl = `http://127.0.0.1:${(catcher.address() as AddressInfo).port}`;
  sim = await startSimulator({
    timeScale: TIME_SCALE,
    sfnRunner: platformRunner(
      () => TIME_SCALE,
      () => undefined,
    ),
    lambdaInvoker: lambdaInvoker(),
    log: () => undefined,
  });
  configureEnvironment(sim.url);
  await seedCredentials(sim.url);
  // the Slack secrets live in Secrets Manager, as deployed (serverless.yml's default parameter names)
  const sm = new SecretsManagerClient({ endpoint: sim.url, region: LOCAL_REGION, credentials: OPERATOR_AWS });
  await sm.send(new CreateSecretCommand({ Name: SIGNING_SECRET_NAME, SecretString: SIGNING_SECRET }));
  await sm.send(
    new CreateSecretCommand({ Name: WEBHOOK_SECRET_NAME, SecretString: JSON.stringify({ url: `${catcherUrl}/hook` }) }),
  );
  sm.destroy();
  delete process.env.SLACK_SIGNING_SECRET;
  delete process.env.SLACK_WEBHOOK_URL;
  Object.assign(process.env, {
    SLACK_SIGNING_SECRET_ARN: SIGNING_SECRET_NAME,
    SLACK_WEBHOOK_SECRET_ARN: WEBHOOK_SECRET_NAME,
    SLACK_ALLOWED_TEAM_IDS: 'T0001',
    SLACK_ALLOWED_CHANNEL_IDS: '*',
    SLACK_ALLOWED_USER_IDS: 'U0001',
    SLACK_ADMIN_USER_IDS: 'U0001',
    SLACK_RESPONSE_URL_PREFIXES: `${catcherUrl}/`,
  });
  served = await serveOn(sim, TIME_SCALE);
});

/**
 * The local runner lets the other branch of a Parallel state finish its Task after the execution failed (Step
 * Functions would stop it): wait until the simulator has seen no request for a while before tearing down.
 */
async function quiet(idleMs = 500, maxMs = 10_000): Promise<void> {
  const started = Date.now();
  let last = -1;
  while (Date.now() - started < maxMs) {
    const total = ((await (await fetch(`${sim.url}/_sim/metrics`)).json()) as { total: number }).total;
    if (total === last) return;
    last = total;
    await new Promise((r) => setTimeout(r, idleMs));
  }
}

afterAll(async () => {
  // let every execution and the notifications of their ends finish before the world goes away
  if (sim) {
    await allExecutionsDone();
    await quiet();
  }
  process.env = saved;
  await served?.stop();
  await sim?.stop();
  await new Promise<void>((r) => catcher?.close(() => r()));
});

// ---------------------------------------------------------------- driving the product

async function api(method: string, path: string, json?: unknown) {
  const a = await http(served.url, method, path, json === undefined ? {} : { json });
  return { status: a.status, body: (a.json ?? {}) as Record<string, unknown> };
}

async function finished(arn: unknown): Promise<string> {
  return (await awaitExecution(sim.ctx, String(arn))).status;
}

async function slack(text: string): Promise<number> {
  const { body, headers } = slackSigned({ text, responseUrl: `${catcherUrl}/respond` }, { secret: SIGNING_SECRET });
  return (await http(served.url, 'POST', '/chatops/slack', { body, headers })).status;
}

async function settle(ms = 1500): Promise<void> {
  // chat workers and notifications run after their answers; give them time to finish
  await new Promise((r) => setTimeout(r, ms));
}

async function authLog(): Promise<AuthLogEntry[]> {
  const r = await fetch(`${sim.url}/_sim/iam/log`);
  return ((await r.json()) as { entries: AuthLogEntry[] }).entries;
}

async function allExecutionsDone(): Promise<void> {
  const all = Object.values(sim.ctx.state.aws.executions) as Array<{ executionArn: string; status: string }>;
  for (const e of all) if (e.status === 'RUNNING') await finished(e.executionArn);
}

/** StartExecution as the operator (not through the API), to the end */
async function directRun(machine: 'provision' | 'teardown', input: unknown): Promise<string> {
  const sfn = new SFNClient({ endpoint: sim.url, region: LOCAL_REGION, credentials: OPERATOR_AWS });
  try {
    const arn = machinesFromEnv()[machine] ?? '';
    const r = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }));
    return finished(r.executionArn);
  } finally {
    sfn.destroy();
  }
}

async function fault(rule: Record<string, unknown> | undefined): Promise<void> {
  await fetch(`${sim.url}/_sim/faults`, rule ? { method: 'POST', body: JSON.stringify(rule) } : { method: 'DELETE' });
}

/** the operator's transit gateway (no default association), its route table, and the VPC attached to it */
async function userTransitGateway(vpcId: string): Promise<{ transitGateway: string; routeTableId: string }> {
  const ec2 = new EC2Client({ endpoint: sim.url, region: LOCAL_REGION, credentials: OPERATOR_AWS });
  // a describe by id right after the create may not find it yet (the listing lags): look again
  const until = async (ok: () => Promise<boolean>) => {
    for (let i = 0; i < 1000 && !(await ok().catch(() => false)); i++) await new Promise((r) => setTimeout(r, 10));
  };
  try {
    const g = await ec2.send(
      new CreateTransitGatewayCommand({
        Options: { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' },
      }),
    );
    const transitGateway = g.TransitGateway?.TransitGatewayId ?? '';
    await until(
      async () =>
        (await ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [transitGateway] })))
          .TransitGateways?.[0]?.State === 'available',
    );
    const t = await ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: transitGateway }));
    const routeTableId = t.TransitGatewayRouteTable?.TransitGatewayRouteTableId ?? '';
    await until(
      async () =>
        (await ec2.send(new DescribeTransitGatewayRouteTablesCommand({ TransitGatewayRouteTableIds: [routeTableId] })))
          .TransitGatewayRouteTables?.[0]?.State === 'available',
    );
    const a = await ec2.send(
      new CreateTransitGatewayVpcAttachmentCommand({
        TransitGatewayId: transitGateway,
        VpcId: vpcId,
        SubnetIds: ['subnet-0123456789abcdef0'],
      }),
    );
    const id = a.TransitGatewayVpcAttachment?.TransitGatewayAttachmentId ?? '';
    await until(
      async () =>
        (await ec2.send(new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [id] })))
          .TransitGatewayAttachments?.[0]?.State === 'available',
    );
    return { transitGateway, routeTableId };
  } finally {
    ec2.destroy();
  }
}

/** one AWS VPC in the seeded world takes one VGW: the connections live one after the other */
async function runEverything(): Promise<void> {
  const spec = (
    name: string,
    alibabaRegion: string,
    profile: 'recommended' | 'article-2018',
    psk: 'from-aws-config' | 'generated',
  ) => demoSpec(sim.url, { name, alibabaRegion, profile, psk });
  const twice = async (method: string, path: string, json?: unknown) => {
    // the same submission twice at once: the second finds the first's execution (DescribeExecution)
    const [one, other] = await Promise.all([api(method, path, json), api(method, path, json)]);
    expect(other.body.executionArn).toBe(one.body.executionArn);
    return one;
  };

  // a dual-tunnel connection through the API: provisioning (submitted twice), GET, list
  const dual = await spec('lp-dual', 'eu-central-1', 'recommended', 'from-aws-config');
  const a = await twice('POST', '/connections', dual);
  expect(a.status).toBe(202);
  expect(await finished(a.body.executionArn)).toBe('SUCCEEDED');
  expect((await api('GET', '/connections/lp-dual')).body.status).toBe('ACTIVE');
  expect((await api('GET', '/connections')).status).toBe(200);
  // the plan of the built connection: read-only, everything adopted
  const planned = await api('POST', '/plan', dual);
  expect(planned.status).toBe(200);
  expect(planned.body.summary).toEqual({ create: 0, adopt: 12 });

  // forty more records whose resources are gone: a recheck whose new findings overflow execution state into the
  // records, and the schedule's drift check over all of them (the notifier reads the records in pages)
  const registry = operatorDeps().registry;
  const template = (await registry.require('lp-dual')).record;
  const copies = Array.from({ length: 40 }, (_, i) => `lp-copy-${String(i).padStart(2, '0')}`);
  for (const name of copies)
    await registry.put({
      ...template,
      name,
      spec: { ...template.spec, name },
      resources: {
        aws: { customerGateways: {}, vpnConnections: {}, routeTableIds: [] },
        alibaba: { customerGateways: {}, connections: {} },
      },
    });
  const recheck = lambdaHandlers().recheckDrift;
  if (!recheck) throw new Error('no recheckDrift');
  const rechecked = (await recheck({ names: copies })) as { results: Array<{ written?: boolean }> };
  expect(rechecked.results.some((r) => r.written)).toBe(true);
  expect(await slack('drift')).toBe(200);
  await settle();
  await allExecutionsDone();
  for (const name of copies) await registry.markDeleted(name);

  // drift: a deleted route on each cloud, reported and repaired (submitted twice); re-creating the Alibaba route
  // starts a new ClientToken generation in the record (CollectDrift writes it)
  const table = Object.values(sim.ctx.state.aws.regions[LOCAL_REGION]?.routeTables ?? {}).find((t) =>
    t.Routes.some((r) => r.GatewayId?.startsWith('vgw-') && r.DestinationCidrBlock === dual.alibaba.cidr),
  );
  const ec2 = new EC2Client({ endpoint: sim.url, region: LOCAL_REGION, credentials: OPERATOR_AWS });
  await ec2.send(
    new DeleteRouteCommand({ RouteTableId: table?.RouteTableId, DestinationCidrBlock: dual.alibaba.cidr }),
  );
  ec2.destroy();
  const aliRoutes = sim.ctx.state.alibaba.regions['eu-central-1']?.routeEntries ?? {};
  for (const [id, e] of Object.entries(aliRoutes)) if (e.NextHopType === 'VpnGateway') delete aliRoutes[id];
  // two different drift requests at once: one runs, the other is refused (409) after finding the first
  const [d1, d2] = await Promise.all([
    api('POST', '/connections/lp-dual/drift', { repair: false }),
    api('POST', '/connections/lp-dual/drift', { repair: true }),
  ]);
  expect([d1.status, d2.status].sort()).toEqual([202, 409]);
  await finished((d1.status === 202 ? d1 : d2).body.executionArn);
  const d = await api('POST', '/connections/lp-dual/drift', { repair: true });
  expect(await finished(d.body.executionArn)).toBe('SUCCEEDED');

  // key rotation through the API: one whose first tunnel is refused by AWS (set back to its previous key, then
  // RotateFailed), then one that rotates both tunnels
  await fault({
    service: 'ec2',
    action: 'ModifyVpnTunnelOptions',
    kind: 'error',
    code: 'InvalidParameterValue',
    status: 400,
    count: 1,
  });
  const refused = await api('POST', '/connections/lp-dual/rotate');
  expect(refused.status).toBe(202);
  expect(await finished(refused.body.executionArn)).toBe('FAILED');
  await fault(undefined);
  // (submitted twice at once: the second finds the first's execution)
  const rotated = await twice('POST', '/connections/lp-dual/rotate');
  expect(await finished(rotated.body.executionArn)).toBe('SUCCEEDED');

  // the rotation schedule, twice at once, with lp-dual due (rotateEveryDays 1, last rotation two days ago): one run
  // starts its rotation, the other finds it holding the connection (DescribeExecution) and skips it
  await registry.update('lp-dual', (r) => {
    r.spec.tunnels.rotateEveryDays = 1;
    if (r.lastRotation) r.lastRotation.at = new Date(Date.now() - 2 * 86_400_000).toISOString();
    return r;
  });
  const due = lambdaHandlers().rotateDue;
  if (!due) throw new Error('no rotateDue');
  type DueResult = { started: Array<{ name: string; duplicate?: boolean }>; skipped: unknown[] };
  const runs = (await Promise.all([due({}), due({})])) as DueResult[];
  expect(runs.flatMap((x) => x.started.filter((s) => !s.duplicate).map((s) => s.name))).toEqual(['lp-dual']);
  await allExecutionsDone();
  await registry.update('lp-dual', (r) => {
    r.spec.tunnels.rotateEveryDays = undefined;
    return r;
  });

  // chat: list, status, a re-run of provisioning asked for twice
  for (const text of ['list', 'status lp-dual', 'up lp-dual', 'up lp-dual']) expect(await slack(text)).toBe(200);
  await settle();
  await allExecutionsDone();
  // chat's confirmed rotate
  expect(await slack('rotate lp-dual confirm lp-dual')).toBe(200);
  await settle();
  await allExecutionsDone();

  // a teardown stopped at once, then one that fails (RecordTeardownFailure) in the next execution slot (the
  // closed one is looked at first), then chat's confirmed down finishes it
  const stopped = await api('DELETE', '/connections/lp-dual');
  const sfn = new SFNClient({ endpoint: sim.url, region: LOCAL_REGION, credentials: OPERATOR_AWS });
  await sfn.send(new StopExecutionCommand({ executionArn: String(stopped.body.executionArn) }));
  sfn.destroy();
  expect(await finished(stopped.body.executionArn)).toBe('ABORTED');
  await fault({
    service: 'ec2',
    action: 'DeleteVpnConnection',
    kind: 'error',
    code: 'InvalidParameterValue',
    status: 400,
    count: 1,
  });
  const x = await api('DELETE', '/connections/lp-dual');
  expect(x.body.executionArn).not.toBe(stopped.body.executionArn);
  expect(await finished(x.body.executionArn)).toBe('FAILED');
  await fault(undefined);
  expect(await slack('down lp-dual confirm lp-dual')).toBe(200);
  await settle();
  await allExecutionsDone();
  expect((await api('GET', '/connections/lp-dual')).body.status).toBe('DELETED');

  // the same name again: its record, scheduled for deletion, is restored
  const again = await api('POST', '/connections', dual);
  expect(await finished(again.body.executionArn)).toBe('SUCCEEDED');
  const gone = await api('DELETE', '/connections/lp-dual');
  expect(await finished(gone.body.executionArn)).toBe('SUCCEEDED');

  // a single-tunnel connection with the article's crypto and generated keys, torn down
  const single = await spec('lp-single', 'me-east-1', 'article-2018', 'generated');
  const b = await api('POST', '/connections', single);
  expect(await finished(b.body.executionArn)).toBe('SUCCEEDED');
  // its keys rotated (single-tunnel IPsec connections change their key with ModifyVpnConnectionAttribute)
  const r = await api('POST', '/connections/lp-single/rotate');
  expect(await finished(r.body.executionArn)).toBe('SUCCEEDED');
  const z = await api('DELETE', '/connections/lp-single');
  expect(await finished(z.body.executionArn)).toBe('SUCCEEDED');

  // executions started directly (an operator with the console, not the API): their first steps take the
  // connection themselves, creating its record (a new name) or restoring it (a name torn down before)
  const direct = await spec('lp-direct', 'me-east-1', 'recommended', 'from-aws-config');
  for (const s of [direct, single]) {
    expect(await directRun('provision', { spec: s })).toBe('SUCCEEDED');
    expect((await api('GET', `/connections/${s.name}`)).body.status).toBe('ACTIVE');
    expect(await directRun('teardown', { name: s.name })).toBe('SUCCEEDED');
  }

  // a dual-tunnel connection through the operator's transit gateway (aws.attach.transitGateway, with VPC routes):
  // provisioned, its drift checked (and rechecked), its keys rotated (the routes moved off the active VPN connection
  // and back), failed over by the watcher, torn down
  const hub = await spec('lp-tgw', 'eu-central-1', 'recommended', 'from-aws-config');
  const tgw = await userTransitGateway(hub.aws.vpcId);
  const onTgw = { ...hub, aws: { ...hub.aws, attach: { ...tgw, vpcRoutes: true } } };
  expect((await api('POST', '/plan', onTgw)).status).toBe(200);
  const h = await api('POST', '/connections', onTgw);
  expect(await finished(h.body.executionArn)).toBe('SUCCEEDED');
  const hd = await api('POST', '/connections/lp-tgw/drift', { repair: false });
  expect(await finished(hd.body.executionArn)).toBe('SUCCEEDED');
  await recheck({ names: ['lp-tgw'] });
  const hr = await api('POST', '/connections/lp-tgw/rotate');
  expect(await finished(hr.body.executionArn)).toBe('SUCCEEDED');
  // the active VPN connection's used tunnel DOWN: the watcher moves the routes to the standby's attachment
  const vpn1 = Object.values(sim.ctx.state.aws.regions[LOCAL_REGION]?.vpnConnections ?? {}).find(
    (c) =>
      c.State === 'available' &&
      c.Tags?.some((t) => t.Key === 'vpn-bridge:connection' && t.Value === 'lp-tgw') &&
      c.Tags?.some((t) => t.Key === 'vpn-bridge:role' && t.Value === 'vpn-1'),
  );
  if (!vpn1) throw new Error('no vpn-1 of lp-tgw');
  sim.ctx.state.forcedDown[`aws:${vpn1.VpnConnectionId}:1`] = true;
  for (let i = 0; i < 500 && vpn1.VgwTelemetry[0]?.Status !== 'DOWN'; i++) {
    sim.ctx.tick();
    await new Promise((r) => setTimeout(r, 10));
  }
  const watcher = lambdaHandlers().tgwFailover;
  if (!watcher) throw new Error('no tgwFailover');
  expect(await watcher({})).toMatchObject({ checked: 1, switched: 1, failed: 0 });
  delete sim.ctx.state.forcedDown[`aws:${vpn1.VpnConnectionId}:1`];
  // chat's re-run of its provisioning (the worker's preflight reads the transit gateway)
  expect(await slack('up lp-tgw')).toBe(200);
  await settle();
  await allExecutionsDone();
  const hz = await api('DELETE', '/connections/lp-tgw');
  expect(await finished(hz.body.executionArn)).toBe('SUCCEEDED');

  // a tunnel that never comes up: the bounded wait ends with the diagnosis, then the rollback
  let forced = false;
  const hook = () => {
    const conn = Object.values(sim.ctx.state.aws.regions[LOCAL_REGION]?.vpnConnections ?? {}).find(
      (c) => c.State !== 'deleted' && c.Tags?.some((t) => t.Key === 'vpn-bridge:connection' && t.Value === 'lp-down'),
    );
    if (conn && !forced) {
      sim.ctx.state.forcedDown[`aws:${conn.VpnConnectionId}:1`] = true;
      forced = true;
    }
  };
  sim.ctx.tickHooks.unshift(hook);
  try {
    const t = await api('POST', '/connections', {
      ...(await spec('lp-down', 'me-east-1', 'recommended', 'from-aws-config')),
      onFailure: 'rollback',
    });
    expect(await finished(t.body.executionArn)).toBe('FAILED');
  } finally {
    sim.ctx.tickHooks.splice(sim.ctx.tickHooks.indexOf(hook), 1);
  }
  expect(forced).toBe(true);

  // a rejected Alibaba call with onFailure=rollback: RecordFailure, the rollback chains, RollbackFinish
  await fault({
    service: 'alibaba-vpc',
    action: 'CreateVpnConnection',
    kind: 'error',
    code: 'InvalidParameter',
    status: 400,
    count: 1,
  });
  const f = await api('POST', '/connections', {
    ...(await spec('lp-rollback', 'me-east-1', 'recommended', 'from-aws-config')),
    onFailure: 'rollback',
  });
  expect(await finished(f.body.executionArn)).toBe('FAILED');
  await fault(undefined);
  await settle();
}

// ---------------------------------------------------------------- the analysis

interface Grant {
  /** who: the function (or the RAM user) */
  owner: string;
  policy: unknown;
  entries: AuthLogEntry[];
}

/** statements of `policy` whose removal denies none of the calls made (`skip`: statements not meant for calls) */
function unneededStatements(g: Grant, skip: (actions: string[]) => boolean): string[] {
  const doc = g.policy as { Statement: Array<{ Action: string | string[] }> };
  const checks: CheckResult[] = g.entries.flatMap((e) => e.checks).filter((c) => c.decision === 'allow');
  const out: string[] = [];
  doc.Statement.forEach((s, i) => {
    const actions = [s.Action].flat();
    if (skip(actions)) return;
    const without = parsePolicy(
      { name: 'p', document: { ...doc, Statement: doc.Statement.filter((_, j) => j !== i) } },
      'p',
    );
    const needed = checks.some((c) => evaluateCheck([without], c).decision !== 'allow');
    if (!needed) out.push(`${g.owner} statement ${i} (${actions.join(', ')})`);
  });
  return out;
}

/** actions `policy` grants that no call of its owner used */
function unusedActions(g: Grant, skip: (a: string) => boolean): string[] {
  const doc = g.policy as { Statement: Array<{ Action: string | string[] }> };
  const used = new Set(g.entries.flatMap((e) => e.checks.map((c) => c.action.toLowerCase())));
  const granted = new Set(doc.Statement.flatMap((s) => [s.Action].flat()).filter((a) => !skip(a)));
  return [...granted].filter((a) => !used.has(a.toLowerCase())).map((a) => `${g.owner}: ${a}`);
}

describe('least privilege, from the authorisation log of a whole run', () => {
  let entries: AuthLogEntry[] = [];
  let roles: FunctionRole[] = [];
  const grants = (): Grant[] => [
    ...roles.map((r) => ({
      owner: r.functionKey,
      policy: r.policyDocument,
      entries: entries.filter((e) => e.accessKeyId === roleCredentials(r.functionKey).accessKeyId),
    })),
    {
      owner: 'vpn-bridge RAM user',
      policy: alibabaRamPolicy(),
      entries: entries.filter((e) => e.accessKeyId === VPN_BRIDGE_ALIBABA.accessKeyId),
    },
  ];

  beforeAll(async () => {
    await runEverything();
    entries = await authLog();
    roles = functionRoles({ stage: LOCAL_STAGE, region: LOCAL_REGION, accountId: AWS_ACCOUNT_ID });
  }, 600_000);

  it('exercised every function of serverless.yml, each signing as its own role, and nothing was denied', () => {
    // Act
    const used = new Set(entries.map((e) => e.accessKeyId));
    const idle = Object.keys(readServerlessFunctions().handlers).filter(
      (k) => !used.has(roleCredentials(k).accessKeyId),
    );
    const denied = entries.filter((e) => e.decision !== 'allow').map((e) => `${e.principal} ${e.operation}`);

    // Assert
    expect(idle).toEqual([]);
    expect(denied).toEqual([]);
    expect(slackPosts.some((p) => p.startsWith('/respond'))).toBe(true);
    expect(slackPosts.some((p) => p.startsWith('/hook'))).toBe(true);
  });

  it('needs every statement: without any one of them a call that was made is denied', () => {
    // Act
    const unneeded = grants().flatMap((g) =>
      unneededStatements(g, (actions) => actions.every((a) => LOGS_STATEMENT.test(a))),
    );

    // Assert
    expect(unneeded).toEqual([]);
  });

  it('grants no action a function never calls, and no wildcard action', () => {
    // Act
    const unused = grants().flatMap((g) => unusedActions(g, (a) => LOGS_STATEMENT.test(a)));
    const wildcards = grants().flatMap((g) =>
      (g.policy as { Statement: Array<{ Action: string | string[] }> }).Statement.flatMap((s) =>
        [s.Action].flat(),
      ).filter((a) => a.includes('*')),
    );

    // Assert
    expect(unused).toEqual([]);
    expect(wildcards).toEqual([]);
  });

  it('fails the step with the provider’s access-denied error when its role lacks a statement (attach on the VPC)', async () => {
    // Prepare: awsAttachVgw without the statement that allows AttachVpnGateway on the user's VPC
    const role = roles.find((r) => r.functionKey === 'awsAttachVgw');
    if (!role) throw new Error('no awsAttachVgw role');
    const withoutVpc = {
      ...role,
      policyDocument: {
        ...role.policyDocument,
        Statement: role.policyDocument.Statement.filter((s) => !JSON.stringify(s.Resource ?? '').includes(':vpc/')),
      },
    };
    expect(withoutVpc.policyDocument.Statement.length).toBe(role.policyDocument.Statement.length - 1);
    const [principal] = simulatorPrincipals([withoutVpc], (r) => roleCredentials(r.functionKey).accessKeyId);
    await fetch(`${sim.url}/_sim/iam/principals`, { method: 'POST', body: JSON.stringify(principal) });
    const spec = await demoSpec(sim.url, {
      name: 'lp-denied',
      alibabaRegion: 'me-east-1',
      profile: 'recommended',
      psk: 'from-aws-config',
    });

    // Act
    const r = await api('POST', '/connections', spec);
    const status = await finished(r.body.executionArn);
    const got = await api('GET', '/connections/lp-denied');

    // Assert
    expect(status).toBe('FAILED');
    expect(String(got.body.statusReason)).toMatch(/^AccessDenied: AttachVpnGateway .*UnauthorizedOperation/);
    expect(String(got.body.statusReason)).toContain(
      'ec2:AttachVpnGateway on resource: arn:aws:ec2:us-east-1:123456789012:vpc/',
    );
  }, 120_000);
});
