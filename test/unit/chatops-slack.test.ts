import { createHmac } from 'node:crypto';
import { setJobDispatcher } from '../../functions/chatops/plugs';
import { handler as slackEndpoint } from '../../functions/chatops/slack';
import { httpApiEvent } from '../../src/api/routes';
import { allowListsFromEnv } from '../../src/chatops/allow-list';
import { ReplayCache } from '../../src/chatops/replay';
import { type ChatJob, decideSlackRequest, responseUrlAllowed } from '../../src/chatops/slack';
import { setLogSink } from '../../src/log';

// The slash-command endpoint's decision (signature, allow-lists, parse, answer now or hand to the worker) and
// the Lambda handler around it, with captured dispatches instead of a worker.

const SECRET = 'unit-test-signing-secret';
const NOW = Math.floor(Date.now() / 1000);
const ALLOW = allowListsFromEnv({
  SLACK_ALLOWED_TEAM_IDS: 'T1',
  SLACK_ALLOWED_CHANNEL_IDS: 'C1',
  SLACK_ALLOWED_USER_IDS: 'U1,U2',
  SLACK_ADMIN_USER_IDS: 'U1',
});
const RESPONSE_URL = 'https://hooks.slack.com/commands/T1/1/abc';

beforeAll(() => setLogSink(() => undefined));
afterAll(() => setLogSink(undefined));

function form(text: string, over: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    channel_id: 'C1',
    user_id: 'U1',
    user_name: 'alice',
    command: '/vpn',
    text,
    response_url: RESPONSE_URL,
    ...over,
  }).toString();
}

function headers(body: string, ts = NOW, secret = SECRET): Record<string, string> {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    'X-Slack-Request-Timestamp': String(ts),
    'X-Slack-Signature': sig,
    'content-type': 'application/x-www-form-urlencoded',
  };
}

function decide(body: string, h = headers(body), accept?: (signature: string, timestamp: number) => boolean) {
  return decideSlackRequest(
    { headers: h, rawBody: Buffer.from(body) },
    { signingSecret: SECRET, allowLists: ALLOW, now: NOW, responseUrlPrefixes: ['https://hooks.slack.com/'], accept },
  );
}

describe('decideSlackRequest', () => {
  it('hands status to the worker and acknowledges at once', () => {
    // Act
    const d = decide(form('status gdn-china'));

    // Assert
    expect(d.kind).toBe('dispatch');
    if (d.kind !== 'dispatch') return;
    expect(d.job).toEqual({
      kind: 'slack-command',
      command: { verb: 'status', name: 'gdn-china' },
      responseUrl: RESPONSE_URL,
      userId: 'U1',
      channelId: 'C1',
      teamId: 'T1',
    });
    expect(d.reply.responseType).toBe('ephemeral');
    expect(d.reply.text).toContain('/vpn status gdn-china');
  });

  it('answers help and an unconfirmed down itself, without a job', () => {
    // Act
    const help = decide(form('help'));
    const down = decide(form('down gdn-china'));

    // Assert
    expect(help.kind).toBe('reply');
    expect(down.kind).toBe('reply');
    if (down.kind === 'reply') expect(down.reply.text).toContain('/vpn down gdn-china confirm gdn-china');
  });

  it('answers a malformed command with an explanation, without a job', () => {
    // Act
    const d = decide(form('status <!channel>'));

    // Assert
    expect(d.kind).toBe('reply');
    if (d.kind === 'reply') expect(d.reply.text).not.toContain('<!channel>');
  });

  it('refuses a bad signature, a stale request and a tampered body with 401', () => {
    // Prepare
    const body = form('status gdn-china');

    // Act
    const forged = decide(body, headers(body, NOW, 'wrong-secret'));
    const stale = decide(body, headers(body, NOW - 301));
    const tampered = decide(form('down gdn-china confirm gdn-china'), headers(body));

    // Assert
    expect(forged).toEqual({ kind: 'reject', status: 401, reason: 'bad-signature' });
    expect(stale).toEqual({ kind: 'reject', status: 401, reason: 'stale-timestamp' });
    expect(tampered).toEqual({ kind: 'reject', status: 401, reason: 'bad-signature' });
  });

  it('refuses users, channels and workspaces that are not allow-listed with 403', () => {
    // Act
    const user = decide(form('status gdn-china', { user_id: 'U666' }));
    const channel = decide(form('status gdn-china', { channel_id: 'C666' }));
    const team = decide(form('help', { team_id: 'T666' }));

    // Assert
    for (const d of [user, channel, team]) {
      expect(d.kind).toBe('reject');
      if (d.kind === 'reject') expect(d.status).toBe(403);
    }
  });

  it('refuses a verified request whose signature was already accepted (a replay) with 401', () => {
    // Prepare
    const cache = new ReplayCache();
    const accept = (sig: string, ts: number) => cache.accept(sig, ts, NOW);
    const body = form('status gdn-china');
    const h = headers(body);

    // Act
    const first = decide(body, h, accept);
    const again = decide(body, h, accept);
    const other = decide(form('status gdn-china', { trigger_id: 'another' }), undefined, accept);

    // Assert
    expect(first.kind).toBe('dispatch');
    expect(again).toEqual(expect.objectContaining({ kind: 'reject', status: 401, reason: 'replayed' }));
    expect(other.kind).toBe('dispatch');
  });

  it('does not remember a request whose signature does not verify', () => {
    // Prepare
    const cache = new ReplayCache();
    const body = form('status gdn-china');

    // Act
    const forged = decide(body, headers(body, NOW, 'wrong-secret'), (s, t) => cache.accept(s, t, NOW));

    // Assert
    expect(forged.kind).toBe('reject');
    expect(cache.size).toBe(0);
  });

  it('answers up and down by an allow-listed user who is not an admin with a refusal, without a job', () => {
    // Act
    const down = decide(form('down gdn-china confirm gdn-china', { user_id: 'U2' }));
    const unconfirmed = decide(form('down gdn-china', { user_id: 'U2' }));
    const up = decide(form('up gdn-china', { user_id: 'U2' }));
    const status = decide(form('status gdn-china', { user_id: 'U2' }));
    const admin = decide(form('down gdn-china confirm gdn-china', { user_id: 'U1' }));

    // Assert
    for (const d of [down, unconfirmed, up]) {
      expect(d.kind).toBe('reply');
      if (d.kind === 'reply') {
        expect(d.reply.text).toContain('needs an admin; nothing was done');
        expect(d.reply.responseType).toBe('ephemeral');
        expect(d.audit.denied).toBe('admin');
      }
    }
    expect(status.kind).toBe('dispatch');
    expect(admin.kind).toBe('dispatch');
  });

  it('refuses a response_url that is not Slack', () => {
    // Act
    const d = decide(form('status gdn-china', { response_url: 'http://169.254.169.254/latest/meta-data' }));

    // Assert
    expect(d).toEqual({ kind: 'reject', status: 400, reason: 'response_url not accepted' });
    expect(responseUrlAllowed('https://hooks.slack.com.evil.example/x', ['https://hooks.slack.com/'])).toBe(false);
    expect(responseUrlAllowed('https://user:pw@hooks.slack.com/x', ['https://hooks.slack.com/'])).toBe(false);
  });
});

describe('the Slack endpoint handler', () => {
  const jobs: ChatJob[] = [];
  const saved = { ...process.env };

  beforeAll(() => {
    Object.assign(process.env, {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_ALLOWED_TEAM_IDS: 'T1',
      SLACK_ALLOWED_CHANNEL_IDS: 'C1',
      SLACK_ALLOWED_USER_IDS: 'U1',
    });
    delete process.env.SLACK_RESPONSE_URL_PREFIXES;
    setJobDispatcher({ dispatch: async (j) => void jobs.push(j) });
  });
  afterAll(() => {
    setJobDispatcher(undefined);
    process.env = saved;
  });

  function event(body: string, h: Record<string, string>, base64: boolean) {
    const e = httpApiEvent({
      method: 'POST',
      path: '/chatops/slack',
      headers: h,
      body: Buffer.alloc(0),
      route: { method: 'POST', path: '/chatops/slack' },
      pathParameters: {},
      requestId: 'r1',
    });
    e.body = base64 ? Buffer.from(body).toString('base64') : body;
    e.isBase64Encoded = base64;
    return e;
  }

  it('verifies a base64-encoded body over its decoded bytes and dispatches the job', async () => {
    // Prepare
    jobs.length = 0;
    const body = form('status gdn-china');

    // Act
    const r = await slackEndpoint(event(body, headers(body), true));

    // Assert
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body ?? '{}')).toEqual(expect.objectContaining({ response_type: 'ephemeral' }));
    expect(jobs).toHaveLength(1);
  });

  it('refuses a forged request with 401 and dispatches nothing', async () => {
    // Prepare
    jobs.length = 0;
    const body = form('down gdn-china confirm gdn-china');

    // Act
    const r = await slackEndpoint(event(body, headers(body, NOW, 'guessed'), false));

    // Assert
    expect(r.statusCode).toBe(401);
    expect(jobs).toHaveLength(0);
  });
});
