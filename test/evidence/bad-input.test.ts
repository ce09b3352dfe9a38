import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { handler as createConnection } from '../../functions/api/create-connection';
import { handler as getConnection } from '../../functions/api/get-connection';
import { handler as commandHandler } from '../../functions/chatops/command';
import { setJobDispatcher, setReplySender } from '../../functions/chatops/plugs';
import { main } from '../../local/cli';
import { logTo } from '../../local/environment';
import { chatWorkerDispatcher } from '../../local/platform';
import type { Served } from '../../local/serve';
import { awaitExecution } from '../../sim/aws/step-functions';
import type { ApiEvent, ApiResult } from '../../src/api/http';
import type { ChatJob } from '../../src/chatops/slack';
import { apiEvent, articleSpec, parse, useApiWorld } from '../api/world';
import {
  CLI_CASES,
  type CliCase,
  DIRECT_CASES,
  edited,
  HTTP_CASES,
  type HttpCase,
  LIVE,
  SLACK_CASES,
  type SlackCase,
} from './bad-input-corpus';
import { apiError, type HttpAnswer, http, serveOn, slackSigned, snapshot } from './served';

// The bad-input corpus (test/evidence/bad-input-corpus.ts) through the three ways in: spec files through
// `vpn-bridge up`, requests through the served HTTP API, and chat commands (Slack-signed requests to the served
// endpoint, direct invokes of the command function). Every case must be refused with the problem named, and
// nothing may change: no cloud resource, no Secrets Manager record, no Step Functions execution. The one
// exception is a schema-valid spec that preflight rejects: the API accepts it (202; preflight needs the clouds
// and runs in the workflow's ValidateSpec step), and the execution fails there with PreflightFailed naming the
// field; ValidateSpec throws before it writes the record, so still no record and no resource exists.

const world = useApiWorld();
const SECRET = 'bad-input-signing-secret';
const dir = mkdtempSync(join(tmpdir(), 'vpn-bridge-bad-input-'));
const replies: Array<{ url: string; text: string }> = [];
const dispatched: ChatJob[] = [];
const worker = chatWorkerDispatcher();
const saved = { ...process.env };
const table: Array<{ channel: string; input: string; answer: string }> = [];
let served: Served;
let base: Record<string, unknown>;
let requests = 0;

beforeAll(async () => {
  const w = world();
  Object.assign(process.env, {
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_ALLOWED_TEAM_IDS: 'T0001',
    SLACK_ALLOWED_CHANNEL_IDS: '*',
    SLACK_ALLOWED_USER_IDS: 'U0001',
    SLACK_ADMIN_USER_IDS: 'U0001',
    SLACK_RESPONSE_URL_PREFIXES: 'https://hooks.slack.com/',
  });
  setReplySender({
    reply: async (url, message) => {
      replies.push({ url, text: message.text });
    },
  });
  setJobDispatcher({
    dispatch: async (job) => {
      dispatched.push(job);
      await worker.dispatch(job);
    },
  });
  served = await serveOn(w.sim, 500);
  // the bad specs route a part of the Alibaba VPC, so preflight's route-table clash check (the live connection
  // routes all of it) does not add a second problem to the one each case is about
  base = edited(await articleSpec(w, 'bad-input'), { set: { 'alibaba.cidr': '192.168.0.0/17' } });
  // a working connection the bad requests name: none of them may touch it
  const live = await http(served.url, 'POST', '/connections', { json: await articleSpec(w, LIVE) });
  const arn = (live.json as { executionArn?: string } | undefined)?.executionArn ?? '';
  const done = await awaitExecution(w.sim.ctx, arn);
  if (done.status !== 'SUCCEEDED') throw new Error(`the live connection failed: ${done.error}: ${done.cause}`);
});

afterAll(async () => {
  await worker.idle();
  setJobDispatcher(undefined);
  setReplySender(undefined);
  process.env = saved;
  await served?.stop();
  const width = Math.max(...table.map((r) => r.input.length));
  const lines = table.map((r) => `${r.channel.padEnd(7)} ${r.input.padEnd(width)}  ${r.answer}`);
  console.log(
    `bad-input corpus: ${table.length} cases\n${'channel'.padEnd(7)} ${'input'.padEnd(width)}  answer\n${lines.join('\n')}`,
  );
});

/** one line of the answer for the table: status or exit code, and the first thing it names */
function record(channel: string, input: string, answer: string): void {
  table.push({ channel, input, answer: answer.replace(/\s+/g, ' ').slice(0, 110) });
}

function logsSince(mark: number): string {
  return world().logs.slice(mark).join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// (a) spec files through `vpn-bridge up -f <file> --sim URL`

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(['node', 'vpn-bridge', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    // the CLI points the handlers' log at its file: back to this suite's collector
    logTo(world().logs);
  }
}

function specFile(c: CliCase, i: number): string {
  const file = join(dir, `case-${i}.${'edit' in c.input && c.input.format === 'json' ? 'json' : 'yaml'}`);
  if ('missing' in c.input) return join(dir, 'does-not-exist.yaml');
  if ('text' in c.input) writeFileSync(file, c.input.text);
  else {
    const value = edited(base, c.input.edit);
    writeFileSync(file, c.input.format === 'json' ? JSON.stringify(value, null, 2) : stringify(value));
  }
  return file;
}

describe('(a) bad spec files through vpn-bridge up', () => {
  CLI_CASES.forEach((c, i) => {
    it(`refuses ${c.title}: exit 1, the problem named, nothing created`, async () => {
      // Prepare
      const w = world();
      const file = specFile(c, i);
      const before = snapshot(w.sim);
      const callsBefore = w.sim.metrics.snapshot().total;

      // Act
      const r = await cli('up', '-f', file, '--sim', w.url, '--logs', join(dir, `case-${i}.jsonl`));

      // Assert
      expect(r.code).toBe(1);
      if (c.stage === 'schema') {
        // refused before anything runs: no request reached either cloud
        expect(r.out).toBe('');
        for (const n of c.names) expect(r.err).toMatch(n);
        expect(w.sim.metrics.snapshot().total).toBe(callsBefore);
        // user text is echoed inertly: no raw control characters reach the terminal
        expect(r.err).not.toMatch(/[^\P{Cc}\n]/u);
        record('cli', c.title, `exit 1: ${r.err.split('\n')[1] ?? r.err}`);
      } else {
        // the ValidateSpec step ran and failed: the summary says so, with the cause naming the field
        const failed = r.out.split('\n').find((l) => / FAILED: PreflightFailed: /.test(l)) ?? '';
        expect(r.out).toMatch(/: FAILED\n/);
        expect(failed).toMatch(/^ {2}execution \S+-provision-\S+ FAILED: PreflightFailed: preflight failed: /);
        for (const n of c.names) expect(failed).toMatch(n);
        record('cli', c.title, `exit 1: ${failed.replace(/^.*FAILED: /, '')}`);
      }
      expect(snapshot(w.sim)).toEqual(before);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// (b) requests through the served HTTP API

async function send(c: HttpCase): Promise<HttpAnswer> {
  const b = c.body;
  if (!b) return http(served.url, c.method, c.path);
  if ('spec' in b) return http(served.url, c.method, c.path, { json: edited(base, b.spec) });
  if ('json' in b) return http(served.url, c.method, c.path, { json: b.json });
  if ('bytes' in b) return http(served.url, c.method, c.path, { body: Buffer.from(b.bytes) });
  return http(served.url, c.method, c.path, {
    body: b.raw,
    headers: b.contentType ? { 'content-type': b.contentType } : {},
  });
}

describe('(b) bad requests through the HTTP API', () => {
  for (const c of HTTP_CASES) {
    it(`answers ${c.status} for ${c.title}, and creates nothing`, async () => {
      // Prepare
      const w = world();
      const before = snapshot(w.sim);

      // Act
      const a = await send(c);

      // Assert
      expect(a.status).toBe(c.status);
      expect(a.headers['content-type']).toMatch(/^application\/json/);
      const e = apiError(a);
      expect(e.code).toBe(c.code);
      const paths = (e.fields ?? []).map((f) => f.path);
      for (const p of c.fields ?? []) expect(paths).toContain(p);
      if (c.says) expect([e.message ?? '', ...(e.fields ?? []).map((f) => f.message)].join('\n')).toMatch(c.says);
      // the answer stays small, whatever the input's size
      expect(a.text.length).toBeLessThan(2048);
      expect(a.headers['x-injected']).toBeUndefined();
      expect(snapshot(w.sim)).toEqual(before);
      const first = e.fields?.[0];
      record(
        'http',
        `${c.method} ${c.title}`,
        `${a.status} ${e.code}${first ? `: ${first.path}: ${first.message}` : `: ${e.message}`}`,
      );
    });
  }
});

describe('(b) bad API Gateway events straight to the handlers (what only API Gateway can send)', () => {
  const cases: Array<{
    title: string;
    handler: (e: ApiEvent) => Promise<ApiResult>;
    event: () => ApiEvent;
    status: number;
    code: string;
    field?: string;
  }> = [
    {
      title: 'a base64 body that decodes to more than 64 KiB',
      handler: createConnection,
      event: () =>
        apiEvent({ method: 'POST', route: '/connections', path: '/connections', json: { pad: 'x'.repeat(66_000) } }),
      status: 413,
      code: 'PayloadTooLarge',
    },
    {
      title: 'a plain (not base64) body that is not JSON',
      handler: createConnection,
      event: () => {
        const e = apiEvent({ method: 'POST', route: '/connections', path: '/connections', json: {} });
        return { ...e, isBase64Encoded: false, body: 'name=gdn-china' };
      },
      status: 400,
      code: 'InvalidJson',
      field: '(body)',
    },
    {
      title: 'an event without path parameters',
      handler: getConnection,
      event: () => apiEvent({ method: 'GET', route: '/connections/{name}', path: '/connections/' }),
      status: 400,
      code: 'BadRequest',
      field: 'name',
    },
    {
      title: 'a DELETE routed to the create handler',
      handler: createConnection,
      event: () => apiEvent({ method: 'DELETE', route: '/connections', path: '/connections', json: {} }),
      status: 405,
      code: 'MethodNotAllowed',
    },
  ];
  for (const c of cases) {
    it(`answers ${c.status} for ${c.title}, and creates nothing`, async () => {
      // Prepare
      const w = world();
      const before = snapshot(w.sim);

      // Act
      const r = parse<{ error: { code: string; message: string; fields?: Array<{ path: string }> } }>(
        await c.handler(c.event()),
      );

      // Assert
      expect(r.status).toBe(c.status);
      expect(r.body.error.code).toBe(c.code);
      if (c.field) expect(r.body.error.fields?.map((f) => f.path)).toContain(c.field);
      expect(snapshot(w.sim)).toEqual(before);
      record('event', c.title, `${r.status} ${r.body.error.code}: ${r.body.error.message}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// (c) chat commands

async function slack(c: SlackCase): Promise<{ answer: HttpAnswer; responseUrl: string }> {
  requests += 1;
  const responseUrl =
    c.tamper === 'foreign-url'
      ? 'https://evil.example/collect'
      : `https://hooks.slack.com/commands/T0001/${requests}/x`;
  const form = { text: c.text, responseUrl, user: c.tamper === 'stranger' ? 'U9999' : 'U0001' };
  const signed = slackSigned(form, {
    secret: c.tamper === 'forged' ? 'not-the-signing-secret' : SECRET,
    ts: c.tamper === 'stale' ? Math.floor(Date.now() / 1000) - 600 : undefined,
    omitHeaders: c.tamper === 'unsigned',
    pad: c.tamper === 'oversize' ? 70 * 1024 : undefined,
  });
  const answer = await http(served.url, 'POST', '/chatops/slack', { body: signed.body, headers: signed.headers });
  return { answer, responseUrl };
}

describe('(c) bad chat commands through the served Slack endpoint', () => {
  for (const c of SLACK_CASES) {
    it(`refuses ${c.title} (${c.status}) and does nothing`, async () => {
      // Prepare
      const w = world();
      const before = snapshot(w.sim);
      const jobs = dispatched.length;
      const mark = w.logs.length;

      // Act
      const { answer, responseUrl } = await slack(c);
      await worker.idle();

      // Assert
      expect(answer.status).toBe(c.status);
      const reply = replies.find((r) => r.url === responseUrl)?.text;
      const shown = c.where === 'answer' ? answer.text : c.where === 'reply' ? (reply ?? '') : logsSince(mark);
      expect(shown).toMatch(c.says);
      // only a well-formed command for an existing-looking name reaches the worker, and it refuses there
      expect(dispatched.length).toBe(jobs + (c.where === 'reply' ? 1 : 0));
      if (c.where !== 'reply') expect(reply).toBeUndefined();
      // user text is never reflected as markup
      expect(`${answer.text}\n${reply ?? ''}`).not.toMatch(/<script/i);
      expect(snapshot(w.sim)).toEqual(before);
      const said = (answer.json as { text?: string } | undefined)?.text ?? apiError(answer).code ?? answer.text;
      const detail = c.where === 'log' ? ` (log: ${c.says.source})` : c.where === 'reply' ? `, reply: ${reply}` : '';
      record('slack', c.title, `${answer.status} ${said}${detail}`);
    });
  }
});

describe('(c) bad direct invokes of the chat command function', () => {
  for (const c of DIRECT_CASES) {
    it(`refuses ${c.title} and does nothing`, async () => {
      // Prepare
      const w = world();
      const before = snapshot(w.sim);
      const sent = replies.length;
      const mark = w.logs.length;

      // Act
      const r = await commandHandler(c.event);

      // Assert
      expect(r.ok).toBe(c.ok);
      expect(c.where === 'text' ? r.text : logsSince(mark)).toMatch(c.says);
      if (c.where === 'log') expect(r.text).toBe('');
      expect(replies.length).toBe(sent);
      expect(snapshot(w.sim)).toEqual(before);
      record(
        'direct',
        c.title,
        c.where === 'text' ? `ok=${r.ok}: ${r.text}` : `ok=${r.ok}, nothing run (log: ${c.says.source})`,
      );
    });
  }
});

describe('the corpus', () => {
  it('has at least 40 cases across the three channels and left the live connection as it was', async () => {
    // Prepare
    const w = world();

    // Act
    const got = await http(served.url, 'GET', `/connections/${LIVE}`);

    // Assert
    expect(CLI_CASES.length + HTTP_CASES.length + SLACK_CASES.length + DIRECT_CASES.length).toBeGreaterThanOrEqual(40);
    expect(CLI_CASES.length).toBeGreaterThanOrEqual(10);
    expect(HTTP_CASES.length).toBeGreaterThanOrEqual(10);
    expect(SLACK_CASES.length + DIRECT_CASES.length).toBeGreaterThanOrEqual(10);
    expect(got.status).toBe(200);
    expect((got.json as { status?: string }).status).toBe('ACTIVE');
    const live = Object.values(w.sim.ctx.state.aws.executions).filter((x) => x.name.startsWith(`${LIVE}-`));
    expect(live.map((x) => `${x.name} ${x.status}`)).toEqual([
      expect.stringMatching(new RegExp(`^${LIVE}-provision-0-[0-9a-f]{6} SUCCEEDED$`)),
    ]);
  });
});
