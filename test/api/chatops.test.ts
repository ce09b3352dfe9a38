import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handler as createConnection } from '../../functions/api/create-connection';
import { handler as commandHandler, runJob } from '../../functions/chatops/command';
import { setJobDispatcher, setReplySender } from '../../functions/chatops/plugs';
import { handler as slackEndpoint } from '../../functions/chatops/slack';
import { chatWorkerDispatcher } from '../../local/platform';
import { awaitExecution } from '../../sim/aws/step-functions';
import type { ChatJob } from '../../src/chatops/slack';
import type { Submission } from '../../src/service/connections';
import { allPsks, leaks } from '../helpers/workflow';
import { apiEvent, articleSpec, executionsOf, freshWorld, parse, settle, useApiWorld } from './world';

// The Slack slash command end to end against the simulator: signed requests to the endpoint handler, the
// worker run in-process (as `serve --local` does), replies captured by a local HTTP server standing in for
// Slack's response_url; and the same commands as direct invocations (Amazon Q custom actions).

const world = useApiWorld();
const SECRET = 'chat-test-signing-secret';
const NAME = 'chat-one';

interface Captured {
  path: string;
  body: { response_type?: string; text?: string };
}

const captured: Captured[] = [];
const dispatched: ChatJob[] = [];
let server: Server;
let base = '';
const worker = chatWorkerDispatcher((e) => {
  throw e;
});
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      captured.push({
        path: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Captured['body'],
      });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_ALLOWED_TEAM_IDS: 'T0001',
    SLACK_ALLOWED_CHANNEL_IDS: 'C0001',
    SLACK_ALLOWED_USER_IDS: 'U0001,U0002',
    SLACK_ADMIN_USER_IDS: 'U0001',
    SLACK_RESPONSE_URL_PREFIXES: `${base}/`,
  });
  setReplySender(undefined);
  setJobDispatcher({
    dispatch: async (job) => {
      dispatched.push(job);
      await worker.dispatch(job);
    },
  });
  // a working connection to talk about
  const w = world();
  await freshWorld(w);
  const r = parse<Submission>(
    await createConnection(
      apiEvent({ method: 'POST', route: '/connections', path: '/connections', json: await articleSpec(w, NAME) }),
    ),
  );
  await awaitExecution(w.sim.ctx, r.body.executionArn);
});

afterAll(async () => {
  await worker.idle();
  setJobDispatcher(undefined);
  process.env = saved;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let counter = 0;

function slackRequest(text: string, o: { user?: string; ts?: number; secret?: string; base64?: boolean } = {}) {
  counter += 1;
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: 'T0001',
    team_domain: 'example',
    channel_id: 'C0001',
    channel_name: 'netops',
    user_id: o.user ?? 'U0001',
    user_name: 'alice',
    command: '/vpn',
    text,
    response_url: `${base}/commands/T0001/${counter}/token`,
    trigger_id: `trig.${counter}`,
  }).toString();
  const ts = o.ts ?? Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', o.secret ?? SECRET)
    .update(`v0:${ts}:${body}`)
    .digest('hex')}`;
  const event = apiEvent({
    method: 'POST',
    route: '/chatops/slack',
    path: '/chatops/slack',
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sig,
    },
  });
  if (o.base64 === false) {
    event.body = body;
    event.isBase64Encoded = false;
  }
  return { event, path: `/commands/T0001/${counter}/token` };
}

const texts: string[] = [];

describe('the /vpn slash command', () => {
  it('acknowledges a signed status request at once and answers through response_url with the live tunnels', async () => {
    // Prepare
    const { event, path } = slackRequest('status chat-one');
    const before = captured.length;

    // Act
    const started = Date.now();
    const ack = parse<{ response_type: string; text: string }>(await slackEndpoint(event));
    const ackMs = Date.now() - started;
    const repliedBeforeAck = captured.length - before;
    await worker.idle();

    // Assert
    expect(ack.status).toBe(200);
    expect(ack.body.response_type).toBe('ephemeral');
    expect(ack.body.text).toContain('/vpn status chat-one');
    expect(ackMs).toBeLessThan(3000);
    expect(repliedBeforeAck).toBe(0);
    const reply = captured.find((c) => c.path === path);
    expect(reply?.body.response_type).toBe('ephemeral');
    expect(reply?.body.text).toContain('*chat-one*: ACTIVE (dual-tunnel)');
    expect(reply?.body.text).toContain('2 of 2 used tunnels UP');
    expect(reply?.body.text).toMatch(/active: UP/);
    expect(reply?.body.text).toMatch(/standby: UP/);
    texts.push(ack.text, reply?.body.text ?? '');
  });

  it('accepts the body as API Gateway passes it when it is not base64-encoded', async () => {
    // Prepare
    const { event, path } = slackRequest('list', { base64: false });

    // Act
    const ack = parse(await slackEndpoint(event));
    await worker.idle();

    // Assert
    expect(ack.status).toBe(200);
    expect(captured.find((c) => c.path === path)?.body.text).toContain('chat-one: ACTIVE');
  });

  it('refuses a bad signature, a stale timestamp and a user who is not allow-listed, and does nothing', async () => {
    // Prepare
    const w = world();
    const jobs = dispatched.length;
    const replies = captured.length;
    const runs = (await executionsOf(w, 'teardown')).length;

    // Act
    const forged = await slackEndpoint(
      slackRequest('down chat-one confirm chat-one', { secret: 'not-the-secret' }).event,
    );
    const stale = await slackEndpoint(
      slackRequest('down chat-one confirm chat-one', { ts: Math.floor(Date.now() / 1000) - 600 }).event,
    );
    const stranger = await slackEndpoint(slackRequest('down chat-one confirm chat-one', { user: 'U9999' }).event);
    await worker.idle();

    // Assert
    expect(forged.statusCode).toBe(401);
    expect(stale.statusCode).toBe(401);
    expect(stranger.statusCode).toBe(403);
    expect(dispatched.length).toBe(jobs);
    expect(captured.length).toBe(replies);
    expect((await executionsOf(w, 'teardown')).length).toBe(runs);
  });

  it('refuses a signed request sent a second time within the window as a replay, and runs it once', async () => {
    // Prepare: one genuine request, captured on its way
    const w = world();
    const { event, path } = slackRequest('status chat-one');
    const jobs = dispatched.length;

    // Act
    const first = await slackEndpoint(structuredClone(event));
    const replayed = await slackEndpoint(structuredClone(event));
    await worker.idle();

    // Assert
    expect(first.statusCode).toBe(200);
    expect(replayed.statusCode).toBe(401);
    expect(dispatched.length).toBe(jobs + 1);
    expect(captured.filter((c) => c.path === path)).toHaveLength(1);
    expect(w.logs.some((l) => l.includes('"reason":"replayed"'))).toBe(true);
  });

  it('lets only admins run up and down: an allow-listed user who is not one is told so and nothing starts', async () => {
    // Prepare: U0002 may use /vpn (SLACK_ALLOWED_USER_IDS) but is not in SLACK_ADMIN_USER_IDS
    const w = world();
    const jobs = dispatched.length;
    const runs = [(await executionsOf(w, 'teardown')).length, (await executionsOf(w, 'provision')).length];

    // Act
    const down = parse<{ text: string }>(
      await slackEndpoint(slackRequest('down chat-one confirm chat-one', { user: 'U0002' }).event),
    );
    const up = parse<{ text: string }>(await slackEndpoint(slackRequest('up chat-one', { user: 'U0002' }).event));
    const status = await slackEndpoint(slackRequest('status chat-one', { user: 'U0002' }).event);
    await worker.idle();

    // Assert
    expect(down.status).toBe(200);
    expect(down.body.text).toContain('`/vpn down` changes a connection and needs an admin; nothing was done');
    expect(up.body.text).toContain('`/vpn up` changes a connection and needs an admin');
    expect(status.statusCode).toBe(200);
    expect(dispatched.length).toBe(jobs + 1);
    expect([(await executionsOf(w, 'teardown')).length, (await executionsOf(w, 'provision')).length]).toEqual(runs);
  });

  it('has the worker refuse an up or down job for a user who is not an admin, should one reach it', async () => {
    // Prepare: a job as the endpoint would never hand over
    const w = world();
    const runs = (await executionsOf(w, 'teardown')).length;
    const path = '/commands/T0001/forged/token';

    // Act
    await runJob({
      kind: 'slack-command',
      command: { verb: 'down', name: NAME, confirmed: true },
      responseUrl: `${base}${path}`,
      userId: 'U0002',
    });

    // Assert
    expect(captured.find((c) => c.path === path)?.body.text).toContain('needs an admin');
    expect((await executionsOf(w, 'teardown')).length).toBe(runs);
  });

  it('answers down without confirmation with an explanation and starts nothing', async () => {
    // Prepare
    const w = world();
    const jobs = dispatched.length;

    // Act
    const r = parse<{ text: string }>(await slackEndpoint(slackRequest('down chat-one').event));
    await worker.idle();

    // Assert
    expect(r.status).toBe(200);
    expect(r.body.text).toContain('/vpn down chat-one confirm chat-one');
    expect(dispatched.length).toBe(jobs);
    expect(await executionsOf(w, 'teardown')).toEqual([]);
  });

  it('re-runs provisioning from the stored spec for up, announcing it in the channel', async () => {
    // Prepare
    const w = world();
    const { event, path } = slackRequest('up chat-one');

    // Act
    const ack = parse(await slackEndpoint(event));
    await worker.idle();

    // Assert
    expect(ack.status).toBe(200);
    const reply = captured.find((c) => c.path === path);
    expect(reply?.body.response_type).toBe('in_channel');
    expect(reply?.body.text).toContain('<@U0001> started provisioning of *chat-one*');
    const runs = (await executionsOf(w, 'provision')).filter((x) => x.name.startsWith(`${NAME}-`));
    expect(runs).toHaveLength(2);
    const rerun = runs.find((x) => !/^chat-one-provision-0-/.test(x.name));
    expect(rerun?.name).toMatch(/^chat-one-provision-[0-9a-f]{8}-1-[0-9a-f]{6}$/);
    await settle(w);
    expect((await executionsOf(w, 'provision')).find((x) => x.name === rerun?.name)?.status).toBe('SUCCEEDED');
    texts.push(reply?.body.text ?? '');
  });
});

describe('direct invocation (Amazon Q Developer in chat custom action)', () => {
  it('returns the status text synchronously', async () => {
    // Act
    const r = await commandHandler({ command: 'status', name: NAME });

    // Assert
    expect(r.ok).toBe(true);
    expect(r.text).toContain('*chat-one*: ACTIVE');
    expect(r.text).toContain('2 of 2 used tunnels UP');
    texts.push(r.text);
  });

  it('refuses a malformed invocation and an unconfirmed down without effect', async () => {
    // Prepare
    const w = world();

    // Act
    const bad = await commandHandler({ command: 'status', name: 'chat-one; rm -rf /' });
    const down = await commandHandler({ command: 'down', name: NAME });

    // Assert
    expect(bad.ok).toBe(false);
    expect(down.ok).toBe(true);
    expect(down.text).toContain('Nothing was done');
    expect(await executionsOf(w, 'teardown')).toEqual([]);
  });
});

describe('a confirmed down', () => {
  it('starts the teardown and the connection ends DELETED', async () => {
    // Prepare
    const w = world();
    const { event, path } = slackRequest('down chat-one confirm chat-one', { user: 'U0001' });

    // Act
    await slackEndpoint(event);
    await worker.idle();
    const runs = await executionsOf(w, 'teardown');
    const done = await awaitExecution(w.sim.ctx, runs[0]?.arn ?? '');
    const status = await commandHandler({ command: 'status', name: NAME });

    // Assert
    expect(runs).toHaveLength(1);
    expect(captured.find((c) => c.path === path)?.body.text).toContain('<@U0001> started the teardown of *chat-one*');
    expect(done.status).toBe('SUCCEEDED');
    expect(status.text).toContain('*chat-one*: DELETED');
    texts.push(status.text);
  });

  it('never put a pre-shared key in a chat message or a log line', () => {
    // Prepare
    const w = world();
    const psks = allPsks(w.sim);

    // Assert
    expect(psks.length).toBeGreaterThanOrEqual(2);
    expect(texts.length).toBeGreaterThan(3);
    expect(leaks(psks, [...texts, ...captured.map((c) => JSON.stringify(c.body))].join('\n'))).toEqual([]);
    expect(leaks(psks, w.logs.join('\n'))).toEqual([]);
  });
});
