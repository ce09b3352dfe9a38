import { createHmac } from 'node:crypto';
import type { SimAccess } from '../../local/environment';
import { type Served, serve } from '../../local/serve';
import type { Simulator } from '../../sim';
import { inventory } from '../helpers/workflow';

// Shared by the evidence suites: `vpn-bridge serve --local` on an in-process simulator (real HTTP on
// loopback, routes from serverless.yml), calls to it, Slack-signed requests, and a snapshot of everything
// a request could create (cloud resources, Secrets Manager records, Step Functions executions).

export function accessOf(sim: Simulator): SimAccess {
  return {
    url: sim.url,
    sim,
    simNow: async () => sim.ctx.clock.now(),
    admin: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${sim.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`simulator ${method} ${path} answered ${res.status}: ${text}`);
      return JSON.parse(text) as T;
    },
    stop: async () => undefined,
  };
}

/** the local HTTP API on an ephemeral port, no drift timer */
export function serveOn(sim: Simulator, timeScale: number, log?: (line: string) => void): Promise<Served> {
  return serve({ access: accessOf(sim), port: 0, driftEverySimSeconds: 0, timeScale: () => timeScale, log });
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** the parsed JSON body, when it is JSON */
  json: unknown;
}

export async function http(
  base: string,
  method: string,
  path: string,
  o: { body?: string | Buffer; json?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = {
    ...(o.json !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(o.headers ?? {}),
  };
  const body = o.json !== undefined ? JSON.stringify(o.json) : o.body;
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    out[k] = v;
  });
  return { status: res.status, headers: out, text, json };
}

/** the `error` object of an API error body */
export function apiError(a: HttpAnswer): {
  code?: string;
  message?: string;
  fields?: Array<{ path: string; message: string }>;
} {
  const e = (a.json as { error?: unknown } | undefined)?.error;
  return typeof e === 'object' && e !== null ? (e as ReturnType<typeof apiError>) : {};
}

export interface SlackForm {
  text: string;
  user?: string;
  team?: string;
  channel?: string;
  responseUrl: string;
}

let triggers = 0;

/** a slash-command request body and headers, signed like Slack signs them (each with its own trigger_id) */
export function slackSigned(
  form: SlackForm,
  o: { secret: string; ts?: number; signature?: string; omitHeaders?: boolean; pad?: number },
): { body: string; headers: Record<string, string> } {
  const fields: Record<string, string> = {
    token: 'legacy-verification-token',
    team_id: form.team ?? 'T0001',
    team_domain: 'example',
    channel_id: form.channel ?? 'C0001',
    channel_name: 'netops',
    user_id: form.user ?? 'U0001',
    user_name: 'alice',
    command: '/vpn',
    text: form.text,
    response_url: form.responseUrl,
    trigger_id: `trigger.${++triggers}`,
  };
  if (o.pad) fields.padding = 'x'.repeat(o.pad);
  const body = new URLSearchParams(fields).toString();
  const ts = String(o.ts ?? Math.floor(Date.now() / 1000));
  const signature = o.signature ?? `v0=${createHmac('sha256', o.secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (!o.omitHeaders) {
    headers['x-slack-request-timestamp'] = ts;
    headers['x-slack-signature'] = signature;
  }
  return { body, headers };
}

export interface WorldSnapshot {
  inventory: ReturnType<typeof inventory>;
  /** every Secrets Manager secret: name, versions, last change, deletion mark */
  secrets: string[];
  /** every Step Functions execution: name and status */
  executions: string[];
}

/** what a request could have created or changed, read straight from the simulator's state */
export function snapshot(sim: Simulator): WorldSnapshot {
  const st = sim.ctx.state;
  return {
    inventory: inventory(sim),
    secrets: Object.values(st.aws.secrets)
      .flatMap((r) => Object.values(r))
      .map((s) => `${s.Name} v${s.Versions.length} ${s.LastChangedDate}${s.DeletedDate ? ' deleted' : ''}`)
      .sort(),
    executions: Object.values(st.aws.executions)
      .map((x) => `${x.name} ${x.status}`)
      .sort(),
  };
}
