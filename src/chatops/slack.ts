import { type AllowLists, checkAllowed, mayRun } from './allow-list';
import { type ChatCommand, parseCommandText } from './commands';
import { type ChatReply, renderAck, renderInvalid, renderNotAdmin } from './render';
import { immediateReply } from './run';
import { verifySlackSignature } from './signature';

// The Slack slash-command endpoint's decision, with no I/O: verify the signature over the raw body, check the
// allow-lists, parse the command, and either answer at once (help, errors, `down` without confirmation) or
// hand a job to the asynchronous worker and acknowledge (Slack wants an answer within 3 s; the worker
// replies through response_url).

/** work for the command worker (in AWS: the payload of an InvocationType=Event invoke) */
export interface ChatJob {
  kind: 'slack-command';
  command: ChatCommand;
  /** where the worker posts the reply (a capability: never logged) */
  responseUrl: string;
  userId: string;
  channelId?: string;
  teamId?: string;
}

/** runs a job later without making the caller wait for it */
export interface JobDispatcher {
  dispatch(job: ChatJob): Promise<void>;
}

/** a Slack message as response_url and incoming webhooks take it */
export interface SlackMessage {
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  text: string;
  blocks?: unknown[];
}

export function slackMessage(r: ChatReply): SlackMessage {
  return { response_type: r.responseType, replace_original: false, text: r.text };
}

export interface SlackEndpointConfig {
  signingSecret: string;
  allowLists: AllowLists;
  /** epoch seconds */
  now: number;
  /** response_url must start with one of these (default: Slack's own host) */
  responseUrlPrefixes: string[];
  /**
   * remembers a verified request; false when the same signed request was already accepted within the window (a
   * replay). Without it, replays inside the window are not detected.
   */
  accept?: (signature: string, timestamp: number) => boolean;
}

export type SlackDecision =
  | { kind: 'reject'; status: 400 | 401 | 403; reason: string; reply?: ChatReply }
  | { kind: 'reply'; reply: ChatReply; audit: Audit }
  | { kind: 'dispatch'; job: ChatJob; reply: ChatReply; audit: Audit };

export interface Audit {
  /** set when the command was refused for lack of a role */
  denied?: 'admin';
  userId?: string;
  teamId?: string;
  channelId?: string;
  verb?: string;
  name?: string;
}

export const DEFAULT_RESPONSE_URL_PREFIXES = ['https://hooks.slack.com/'];

export function responseUrlPrefixesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = (env.SLACK_RESPONSE_URL_PREFIXES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length > 0 ? list : DEFAULT_RESPONSE_URL_PREFIXES;
}

export function responseUrlAllowed(url: string, prefixes: string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  return prefixes.some((p) => url.startsWith(p));
}

export function decideSlackRequest(
  req: { headers: Record<string, string | undefined>; rawBody: Buffer },
  cfg: SlackEndpointConfig,
): SlackDecision {
  const h = (name: string) => {
    for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === name) return v;
    return undefined;
  };
  const sig = verifySlackSignature({
    secret: cfg.signingSecret,
    timestamp: h('x-slack-request-timestamp'),
    signature: h('x-slack-signature'),
    rawBody: req.rawBody,
    now: cfg.now,
  });
  if (!sig.ok) return { kind: 'reject', status: 401, reason: sig.reason };
  // a verified request seen before within the window is a replay (its signature is its identity)
  if (cfg.accept && !cfg.accept(h('x-slack-signature') ?? '', Number(h('x-slack-request-timestamp'))))
    return { kind: 'reject', status: 401, reason: 'replayed' };

  const form = new URLSearchParams(req.rawBody.toString('utf8'));
  const audit: Audit = {
    userId: form.get('user_id') ?? undefined,
    teamId: form.get('team_id') ?? undefined,
    channelId: form.get('channel_id') ?? undefined,
  };
  const allowed = checkAllowed(cfg.allowLists, audit);
  if (!allowed.ok)
    return {
      kind: 'reject',
      status: 403,
      reason: `${allowed.denied} not allow-listed`,
      reply: { responseType: 'ephemeral', text: 'You are not allowed to use /vpn here.' },
    };
  if (form.get('ssl_check') === '1') return { kind: 'reply', reply: { responseType: 'ephemeral', text: '' }, audit };

  const parsed = parseCommandText(form.get('text') ?? '');
  if (!parsed.ok) return { kind: 'reply', reply: renderInvalid(parsed.error), audit };
  const c = parsed.command;
  const withCommand: Audit = { ...audit, verb: c.verb, name: 'name' in c ? c.name : undefined };
  if (!mayRun(cfg.allowLists, c.verb, audit.userId))
    return { kind: 'reply', reply: renderNotAdmin(c.verb), audit: { ...withCommand, denied: 'admin' } };
  const now = immediateReply(c);
  if (now) return { kind: 'reply', reply: now, audit: withCommand };

  const responseUrl = form.get('response_url') ?? '';
  if (!responseUrlAllowed(responseUrl, cfg.responseUrlPrefixes))
    return { kind: 'reject', status: 400, reason: 'response_url not accepted' };
  if (!audit.userId) return { kind: 'reject', status: 400, reason: 'no user_id' };
  return {
    kind: 'dispatch',
    job: {
      kind: 'slack-command',
      command: c,
      responseUrl,
      userId: audit.userId,
      channelId: audit.channelId,
      teamId: audit.teamId,
    },
    reply: renderAck(c),
    audit: withCommand,
  };
}
