import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteRouteCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { stringify } from 'yaml';
import { handler as commandHandler } from '../../functions/chatops/command';
import { setJobDispatcher, setMessageSender, setReplySender } from '../../functions/chatops/plugs';
import { main } from '../../local/cli';
import { demoSpec } from '../../local/demo';
import { configureEnvironment, LOCAL_REGION, logTo, seedCredentials } from '../../local/environment';
import { operatorService } from '../../local/operator';
import { chatWorkerDispatcher, hostedNotifier } from '../../local/platform';
import { preloadHandlers } from '../../local/runner';
import type { Served } from '../../local/serve';
import { localSfnRunner } from '../../local/sfn-runner';
import { type Simulator, startSimulator } from '../../sim';
import { awaitExecution } from '../../sim/aws/step-functions';
import { statusChangeEvent } from '../../src/chatops/notify';
import { describeError } from '../../src/errors';
import { inventory } from '../helpers/workflow';
import { hitReport, keyMaterial, masked, scan, type Text, vpnConnectionIds } from './leak-scan';
import { type HttpAnswer, http, serveOn, slackSigned } from './served';

// The leak scan (README.md): one simulator, every workflow (both topologies in both PSK modes, a
// failing provisioning with rollback, drift clean / with drift / with repair, teardown), every HTTP route
// (with its errors), every chat command (Slack-signed through the served endpoint, and direct invokes),
// the notifications, and the CLI. Every text they produce is collected; then every key either cloud or a
// connection record ever held, the Alibaba AccessKey secret and the Slack signing secret are searched for
// in all of it. Zero hits.

const TIME_SCALE = 1000;
const SIGNING_SECRET = 'leak-scan-signing-secret-4b1d93';
/** the Alibaba AccessKey secret seedCredentials stores for the handlers */
const ALIBABA_SECRET = 'local-simulator-alibaba-secret';
const DUAL = 'leak-dual';
const SINGLE = 'leak-single';
const SINGLE_GEN = 'leak-single-gen';
const DUAL_GEN = 'leak-dual-gen';
const ROLLBACK = 'leak-rollback';

const dir = mkdtempSync(join(tmpdir(), 'vpn-bridge-leak-scan-'));
const texts: Text[] = [];
const logs: string[] = [];
/** every key either cloud or a record ever held, gathered while the workflows run (before teardown) */
const keys = new Set<string>();
/** every VPN connection id either cloud ever had */
const vpnIds = new Set<string>();
const notifications: string[] = [];
const replies: Array<{ url: string; text: string }> = [];
const pending = new Set<Promise<unknown>>();
const saved = { ...process.env };
let sim: Simulator;
let served: Served;
let requests = 0;

function collect(source: string, text: string): void {
  texts.push({ source, text });
}

function errorText(e: unknown): string {
  const d = describeError(e);
  const own = e instanceof Error ? JSON.stringify(e, Object.getOwnPropertyNames(e)) : String(e);
  return `${d.name}: ${d.message}\n${own}`;
}

function harvest(): void {
  for (const k of keyMaterial(sim)) keys.add(k);
  for (const id of vpnConnectionIds(sim)) vpnIds.add(id);
}

const worker = chatWorkerDispatcher((e) => collect('chat worker error', errorText(e)));

beforeAll(async () => {
  logTo(logs);
  preloadHandlers();
  sim = await startSimulator({
    timeScale: TIME_SCALE,
    sfnRunner: localSfnRunner({
      timeScale: () => TIME_SCALE,
      // keys are read at every step, so a key that a rollback or teardown removes is still searched for
      onRunEvent: () => harvest(),
      onFinished: (arn, r) => {
        harvest();
        // what the EventBridge rule does: the execution status change to the notify function
        const p = hostedNotifier(statusChangeEvent(arn, r))
          .then((x) => collect(`notify result ${arn}`, JSON.stringify(x)))
          .catch((e: unknown) => collect(`notify error ${arn}`, errorText(e)))
          .finally(() => pending.delete(p));
        pending.add(p);
      },
    }),
  });
  configureEnvironment(sim.url);
  await seedCredentials(sim.url);
  Object.assign(process.env, {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_ALLOWED_TEAM_IDS: 'T0001',
    SLACK_ALLOWED_CHANNEL_IDS: '*',
    SLACK_ALLOWED_USER_IDS: 'U0001',
    SLACK_ADMIN_USER_IDS: 'U0001',
    SLACK_RESPONSE_URL_PREFIXES: 'https://hooks.slack.com/',
  });
  setMessageSender({
    send: async (m) => {
      notifications.push(JSON.stringify(m));
    },
  });
  setReplySender({
    reply: async (url, m) => {
      replies.push({ url, text: JSON.stringify(m) });
    },
  });
  setJobDispatcher(worker);
  served = await serveOn(sim, TIME_SCALE, (l) => collect('serve log', l));
});

afterAll(async () => {
  await worker.idle();
  await Promise.allSettled([...pending]);
  setJobDispatcher(undefined);
  setReplySender(undefined);
  setMessageSender(undefined);
  process.env = saved;
  await served?.stop();
  await sim?.stop();
});

// ---------------------------------------------------------------------------------------------------------------
// the ways in, each collecting what it produced

async function call(method: string, path: string, o: Parameters<typeof http>[3] = {}): Promise<HttpAnswer> {
  const a = await http(served.url, method, path, o);
  collect(`HTTP ${method} ${path} -> ${a.status}`, `${JSON.stringify(a.headers)}\n${a.text}`);
  return a;
}

function field(a: HttpAnswer, key: string): string {
  const v = (a.json as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? v : '';
}

async function finish(arn: string): Promise<string> {
  const done = await awaitExecution(sim.ctx, arn);
  harvest();
  return done.status;
}

/** every execution closed, every chat job done, every notification sent */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await worker.idle();
    const running = Object.values(sim.ctx.state.aws.executions).filter((x) => x.status === 'RUNNING');
    if (running.length === 0 && pending.size === 0) return;
    await Promise.all(running.map((x) => awaitExecution(sim.ctx, x.executionArn)));
    await Promise.allSettled([...pending]);
  }
}

async function slack(text: string): Promise<{ answer: HttpAnswer; reply: () => string | undefined }> {
  requests += 1;
  const responseUrl = `https://hooks.slack.com/commands/T0001/${requests}/leak`;
  const signed = slackSigned({ text, responseUrl }, { secret: SIGNING_SECRET });
  const answer = await call('POST', '/chatops/slack', { body: signed.body, headers: signed.headers });
  collect(`slack request /vpn ${text}`, `${JSON.stringify(signed.headers)}\n${signed.body}`);
  return { answer, reply: () => replies.find((r) => r.url === responseUrl)?.text };
}

async function direct(event: unknown): Promise<{ ok: boolean; text: string }> {
  const r = await commandHandler(event);
  collect(`direct invoke ${JSON.stringify(event)}`, JSON.stringify(r));
  return r;
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const logFile = join(dir, `cli-${texts.length}.jsonl`);
  try {
    const code = await main(['node', 'vpn-bridge', ...args, '--sim', sim.url, '--logs', logFile], {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
    });
    const r = { code, out: out.join('\n'), err: err.join('\n') };
    collect(`cli ${args.join(' ')} stdout`, r.out);
    collect(`cli ${args.join(' ')} stderr`, r.err);
    return r;
  } finally {
    logTo(logs);
    try {
      collect(`cli ${args.join(' ')} log file`, readFileSync(logFile, 'utf8'));
    } catch {
      // commands refused before they attach write no log
    }
  }
}

async function specFile(
  name: string,
  alibabaRegion: string,
  profile: 'recommended' | 'article-2018',
  psk: 'from-aws-config' | 'generated',
): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(await demoSpec(sim.url, { name, alibabaRegion, profile, psk })));
  return file;
}

/** the AWS route to the VGW for the Alibaba CIDR: deleted behind the product's back */
async function deleteVgwRoute(cidr: string): Promise<string> {
  const aws = sim.ctx.state.aws.regions[LOCAL_REGION];
  const table = Object.values(aws?.routeTables ?? {}).find((t) =>
    t.Routes.some((r) => r.GatewayId?.startsWith('vgw-') && r.DestinationCidrBlock === cidr),
  );
  const ec2 = new EC2Client({
    endpoint: sim.url,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
  });
  try {
    await ec2.send(new DeleteRouteCommand({ RouteTableId: table?.RouteTableId, DestinationCidrBlock: cidr }));
  } finally {
    ec2.destroy();
  }
  return table?.RouteTableId ?? '';
}

async function admin(method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${sim.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`simulator ${method} ${path} answered ${res.status}: ${await res.text()}`);
}

// ---------------------------------------------------------------------------------------------------------------

describe('the leak scan', () => {
  let dualSpec: Record<string, unknown>;
  let vpn1 = '';

  it('provisions a dual-tunnel connection with PSKs from the AWS configuration through the HTTP API', async () => {
    // Prepare
    dualSpec = {
      ...(await demoSpec(sim.url, {
        name: DUAL,
        alibabaRegion: 'eu-central-1',
        profile: 'recommended',
        psk: 'from-aws-config',
      })),
    };

    // Act
    const created = await call('POST', '/connections', { json: dualSpec });
    const status = await finish(field(created, 'executionArn'));
    const one = await call('GET', `/connections/${DUAL}`);
    const all = await call('GET', '/connections');

    // Assert
    expect(created.status).toBe(202);
    expect(status).toBe('SUCCEEDED');
    expect(field(one, 'status')).toBe('ACTIVE');
    expect(all.text).toContain(DUAL);
    vpn1 =
      (one.json as { resources: { aws: { vpnConnections: Record<string, string> } } }).resources.aws.vpnConnections[
        'vpn-1'
      ] ?? '';
    expect(vpn1).toMatch(/^vpn-/);
    expect(keys.size).toBeGreaterThanOrEqual(2);
  });

  it('checks drift through the HTTP API: clean, with drift, with repair, and on the schedule', async () => {
    // Act: clean
    const clean = await call('POST', `/connections/${DUAL}/drift`);
    expect(await finish(field(clean, 'executionArn'))).toBe('SUCCEEDED');
    const afterClean = await call('GET', `/connections/${DUAL}`);

    // Act: a route deleted and a tunnel forced down behind the product's back
    const table = await deleteVgwRoute(String((dualSpec.alibaba as { cidr: string }).cidr));
    await admin('POST', '/_sim/tunnels/down', { cloud: 'aws', vpnConnectionId: vpn1, tunnel: 1 });
    const drifted = await call('POST', `/connections/${DUAL}/drift`);
    expect(await finish(field(drifted, 'executionArn'))).toBe('SUCCEEDED');
    const afterDrift = await call('GET', `/connections/${DUAL}`);

    // Act: repair, then the tunnel back up and a scheduled check
    const repaired = await call('POST', `/connections/${DUAL}/drift`, { json: { repair: true } });
    expect(await finish(field(repaired, 'executionArn'))).toBe('SUCCEEDED');
    await admin('POST', '/_sim/tunnels/up', { cloud: 'aws', vpnConnectionId: vpn1, tunnel: 1 });
    const scheduled = await served.scheduledDrift();
    expect(await finish(scheduled)).toBe('SUCCEEDED');
    await settle();

    // Assert
    expect(table).toMatch(/^rtb-/);
    expect((afterClean.json as { lastDrift: { clean: boolean } }).lastDrift.clean).toBe(true);
    const rows = (afterDrift.json as { lastDrift: { rows: Array<{ kind: string }> } }).lastDrift.rows;
    expect(rows.map((r) => r.kind).sort()).toEqual(['DOWN', 'MISSING']);
    expect(notifications.length).toBeGreaterThanOrEqual(4);
  });

  it('answers every HTTP route, errors included', async () => {
    // Act: a re-run of provisioning, and while it runs the operations that conflict with it
    const rerun = await call('POST', '/connections', { json: dualSpec });
    const busyDelete = await call('DELETE', `/connections/${DUAL}`);
    const busyDrift = await call('POST', `/connections/${DUAL}/drift`);
    const during = await call('GET', `/connections/${DUAL}`);
    expect(await finish(field(rerun, 'executionArn'))).toBe('SUCCEEDED');
    const answers = [
      await call('POST', '/connections', { json: { ...dualSpec, name: 'Bad Name' } }),
      await call('POST', '/connections', { body: '{"name":', headers: { 'content-type': 'application/json' } }),
      await call('POST', '/connections', { body: 'name: x', headers: { 'content-type': 'application/yaml' } }),
      await call('POST', '/connections', { json: { ...dualSpec, padding: 'x'.repeat(70 * 1024) } }),
      await call('GET', '/connections/nobody-here'),
      await call('GET', '/connections/Bad_Name'),
      await call('DELETE', '/connections/nobody-here'),
      await call('POST', '/connections/nobody-here/drift'),
      await call('POST', `/connections/${DUAL}/drift`, { json: { repair: 'yes' } }),
      await call('PUT', '/connections'),
      await call('GET', '/nowhere'),
    ];
    await settle();

    // Assert
    expect(rerun.status).toBe(202);
    expect([busyDelete.status, busyDrift.status]).toEqual([409, 409]);
    expect(during.status).toBe(200);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 415, 413, 404, 400, 404, 404, 400, 405, 404]);
  });

  it('runs every chat command through the served Slack endpoint and as direct invokes', async () => {
    // Act: Slack, one command at a time (each run to its end)
    const asked: Array<Awaited<ReturnType<typeof slack>>> = [];
    for (const text of [
      'help',
      'list',
      `status ${DUAL}`,
      `drift ${DUAL}`,
      'drift',
      `up ${DUAL}`,
      `down ${DUAL}`,
      `down ${DUAL} confirm someone-else`,
      'reboot everything',
    ]) {
      asked.push(await slack(text));
      await settle();
    }
    // Act: the same as direct invokes
    const invoked: Array<{ ok: boolean; text: string }> = [];
    for (const event of [
      { command: 'help' },
      { command: 'list' },
      { command: 'status', name: DUAL },
      { command: 'drift', name: DUAL },
      { command: 'up', name: DUAL },
      { command: 'down', name: DUAL },
      { command: 'status', name: 'nobody-here' },
    ]) {
      invoked.push(await direct(event));
      await settle();
    }
    // Act: the confirmed down tears the connection down
    const down = await slack(`down ${DUAL} confirm ${DUAL}`);
    await settle();
    const after = await direct({ command: 'status', name: DUAL });

    // Assert
    expect(asked.map((a) => a.answer.status)).toEqual(Array(9).fill(200));
    expect(asked[2]?.reply()).toMatch(/leak-dual\*: ACTIVE \(dual-tunnel\)/);
    expect(asked[5]?.reply()).toMatch(/started provisioning of \*leak-dual\*/);
    expect(invoked.map((r) => r.ok)).toEqual([true, true, true, true, true, true, true]);
    expect(invoked[2]?.text).toMatch(/2 of 2 used tunnels UP/);
    expect(down.reply()).toMatch(/started the teardown of \*leak-dual\*/);
    expect(after.text).toMatch(/\*leak-dual\*: DELETED/);
  });

  it('provisions a single-tunnel connection with generated PSKs through the HTTP API and tears it down with DELETE', async () => {
    // Prepare
    const spec = await demoSpec(sim.url, {
      name: SINGLE_GEN,
      alibabaRegion: 'me-east-1',
      profile: 'article-2018',
      psk: 'generated',
    });

    // Act
    const created = await call('POST', '/connections', { json: spec });
    const provisioned = await finish(field(created, 'executionArn'));
    const active = await call('GET', `/connections/${SINGLE_GEN}`);
    const deleted = await call('DELETE', `/connections/${SINGLE_GEN}`);
    const tornDown = await finish(field(deleted, 'executionArn'));
    await settle();
    const gone = await call('GET', `/connections/${SINGLE_GEN}`);

    // Assert
    expect([provisioned, tornDown]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(field(active, 'topology')).toBe('single-tunnel');
    expect(deleted.status).toBe(202);
    expect(field(gone, 'status')).toBe('DELETED');
  });

  it('provisions a single-tunnel connection with PSKs from the AWS configuration through the CLI and reads it back', async () => {
    // Prepare
    const file = await specFile(SINGLE, 'me-east-1', 'recommended', 'from-aws-config');

    // Act
    const up = await cli('up', '-f', file, '--json');
    harvest();
    const reads = [
      await cli('status', SINGLE),
      await cli('status', SINGLE, '--json'),
      await cli('list'),
      await cli('list', '--json'),
      await cli('drift', SINGLE),
      await cli('drift', SINGLE, '--json'),
    ];
    const down = await cli('down', SINGLE);

    // Assert
    expect(up.code).toBe(0);
    expect((JSON.parse(up.out) as { status: string; topology: string }).topology).toBe('single-tunnel');
    expect(reads.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(reads[0]?.out).toMatch(/leak-single: ACTIVE \(single-tunnel\)/);
    expect(down.code).toBe(0);
  });

  it('provisions a dual-tunnel connection with generated PSKs through the CLI and tears it down with --json', async () => {
    // Prepare
    const file = await specFile(DUAL_GEN, 'eu-central-1', 'recommended', 'generated');

    // Act
    const up = await cli('up', '-f', file);
    harvest();
    const drift = await cli('drift');
    const down = await cli('down', DUAL_GEN, '--json');

    // Assert
    expect(up.code).toBe(0);
    expect(up.out).toMatch(/leak-dual-gen: ACTIVE \(dual-tunnel, recommended profile, PSKs generated by vpn-bridge\)/);
    expect(drift.code).toBe(0);
    expect(down.code).toBe(0);
    expect((JSON.parse(down.out) as { status: string }).status).toBe('DELETED');
  });

  it('rolls a failing provisioning back (dual-tunnel, generated PSKs)', async () => {
    // Prepare: the Alibaba VPN route is refused late, after both clouds hold the keys
    const spec = await demoSpec(sim.url, {
      name: ROLLBACK,
      alibabaRegion: 'eu-central-1',
      profile: 'recommended',
      psk: 'generated',
      onFailure: 'rollback',
    });
    await admin('POST', '/_sim/faults', {
      service: 'alibaba-vpc',
      action: 'CreateVpnRouteEntry',
      kind: 'error',
      code: 'IllegalParam.RouteDest',
      status: 400,
      count: 0,
    });
    const keysBefore = keys.size;

    // Act
    const created = await call('POST', '/connections', { json: spec });
    const status = await finish(field(created, 'executionArn'));
    await admin('DELETE', '/_sim/faults');
    await settle();
    const got = await call('GET', `/connections/${ROLLBACK}`);

    // Assert
    expect(status).toBe('FAILED');
    expect(field(got, 'status')).toBe('FAILED');
    expect(field(got, 'statusReason')).toMatch(/^rolled back after: CreateVpnRouteEntry .*IllegalParam\.RouteDest/);
    expect(keys.size).toBeGreaterThan(keysBefore);
    const left = inventory(sim);
    expect({ ...left, secrets: 0 }).toEqual(Object.fromEntries(Object.keys(left).map((k) => [k, 0])));
  });

  it('collects the errors the connection service throws', async () => {
    // Act
    const service = operatorService();
    const attempts: Array<() => Promise<unknown>> = [
      () => service.getConnection('nobody-here'),
      () => service.getConnection('Bad_Name'),
      () => service.submitTeardown(DUAL),
      () => service.submitRepair(SINGLE),
      () => service.submitDrift('nobody-here'),
      () => service.submitProvision({ ...dualSpec, aws: 'nowhere' }),
    ];
    const names: string[] = [];
    for (const attempt of attempts) {
      try {
        await attempt();
        names.push('none');
      } catch (e) {
        collect('thrown by the connection service', errorText(e));
        names.push(describeError(e).name);
      }
    }

    // Assert
    expect(names).toEqual([
      'RecordMissing',
      'SpecInvalid',
      'RecordMissing',
      'RecordMissing',
      'RecordMissing',
      'SpecInvalid',
    ]);
  });

  it('finds no key, AccessKey secret or signing secret in any text any of it produced', async () => {
    // Prepare: every execution's history (all pages, with data), input, output and cause
    await settle();
    const sfn = new SFNClient({
      endpoint: sim.url,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    });
    let executions = 0;
    let events = 0;
    try {
      let machinesToken: string | undefined;
      do {
        const machines = await sfn.send(new ListStateMachinesCommand({ nextToken: machinesToken, maxResults: 2 }));
        machinesToken = machines.nextToken;
        for (const m of machines.stateMachines ?? []) {
          let execToken: string | undefined;
          do {
            const page = await sfn.send(
              new ListExecutionsCommand({ stateMachineArn: m.stateMachineArn, nextToken: execToken, maxResults: 5 }),
            );
            execToken = page.nextToken;
            for (const x of page.executions ?? []) {
              executions += 1;
              const d = await sfn.send(new DescribeExecutionCommand({ executionArn: x.executionArn }));
              collect(
                `execution ${x.name} (DescribeExecution)`,
                JSON.stringify({ input: d.input, output: d.output, error: d.error, cause: d.cause }),
              );
              const history: HistoryEvent[] = [];
              let historyToken: string | undefined;
              do {
                const h = await sfn.send(
                  new GetExecutionHistoryCommand({
                    executionArn: x.executionArn,
                    nextToken: historyToken,
                    includeExecutionData: true,
                    maxResults: 100,
                  }),
                );
                historyToken = h.nextToken;
                history.push(...(h.events ?? []));
              } while (historyToken);
              events += history.length;
              collect(`execution ${x.name} (history)`, history.map((e) => JSON.stringify(e)).join('\n'));
            }
          } while (execToken);
        }
      } while (machinesToken);
    } finally {
      sfn.destroy();
    }
    collect('structured log', logs.join('\n'));
    for (const n of notifications) collect('notification', n);
    for (const r of replies) collect(`chat reply ${r.url}`, r.text);
    const secrets = new Map<string, string>([...keys].map((k) => [k, 'PSK']));
    secrets.set(ALIBABA_SECRET, 'Alibaba AccessKey secret');
    secrets.set(SIGNING_SECRET, 'Slack signing secret');
    // the AWS secret access key the handlers run with (configureEnvironment): a credential too
    secrets.set(process.env.AWS_SECRET_ACCESS_KEY ?? 'unset', 'AWS secret access key');

    // Act
    const hits = scan(texts, secrets);
    const control = scan([{ source: 'control', text: `before ${[...keys][0]} after` }], secrets);
    // the clouds themselves do hold the keys: the list is real key material, not strings nothing could contain
    const held = scan([{ source: 'simulator state', text: JSON.stringify(sim.ctx.state) }], secrets);

    // Assert: not vacuous
    const corpus = texts.map((t) => t.text).join('\n');
    const lines = corpus.split('\n').length;
    expect(keys.size).toBeGreaterThanOrEqual(12);
    expect(executions).toBeGreaterThanOrEqual(10);
    expect(events).toBeGreaterThan(500);
    expect(corpus.length).toBeGreaterThan(500_000);
    expect(lines).toBeGreaterThan(1000);
    // AWS VPN connections: 2 (dual) + 1 (single) + 1 (single, CLI) + 2 (dual, CLI) + 2 (rolled back);
    // Alibaba IPsec connections: 1 + 2 + 2 + 1 + at least 1 before the failure
    expect([...vpnIds].filter((id) => id.startsWith('vpn-')).length).toBeGreaterThanOrEqual(8);
    expect([...vpnIds].filter((id) => id.startsWith('vco-')).length).toBeGreaterThanOrEqual(7);
    for (const id of vpnIds) expect(corpus).toContain(id);
    for (const name of [DUAL, SINGLE_GEN, SINGLE, DUAL_GEN, ROLLBACK]) expect(corpus).toContain(name);
    for (const kind of [
      'execution',
      'structured log',
      'HTTP',
      'slack request',
      'chat reply',
      'direct invoke',
      'notification',
      'cli',
      'thrown',
    ])
      expect(texts.filter((t) => t.source.startsWith(kind)).length).toBeGreaterThan(0);
    expect(control).toEqual([
      expect.objectContaining({ source: 'control', secret: masked([...keys][0] ?? '', 'PSK') }),
    ]);
    expect(held.filter((h) => h.secret.startsWith('<PSK:')).length).toBeGreaterThan(0);
    // Assert: zero hits (the report names the place, with the secret masked)
    expect(hitReport(hits)).toBe('');
    console.log(
      `leak scan: ${secrets.size} secrets (${keys.size} PSKs) searched in ${texts.length} texts, ${lines} lines, ${corpus.length} bytes (${executions} executions, ${events} history events, ${logs.length} log lines, ${notifications.length} notifications, ${replies.length} chat replies): ${hits.length} hits; values masked by the redaction layer: ${corpus.split('[REDACTED]').length - 1}`,
    );
  });
});
