import { httpReplySender, inProcessDispatcher, type MessageSender, type ReplySender } from '../../src/chatops/reply';
import type { ChatJob, JobDispatcher } from '../../src/chatops/slack';
import { registerSecret } from '../../src/log';
import { NotConfigured } from '../../src/service/errors';
import { containerIdentity } from '../lib/clients/container';
import { lambda } from '../lib/clients/lambda';
import { recordDeps } from '../lib/clients/registry';
import { lambdaDispatcher } from './lambda-dispatcher';

// What the ChatOps and notify functions plug in from their environment. In AWS:
//   SLACK_SIGNING_SECRET_ARN     secret with the Slack app's signing secret (plain, or JSON {"signingSecret": ...})
//   CHATOPS_WORKER_FUNCTION      the command worker, invoked with InvocationType Event
//   SLACK_WEBHOOK_SECRET_ARN     secret with the incoming-webhook URL for notifications (plain, or JSON {"url": ...})
// Locally: SLACK_SIGNING_SECRET / SLACK_WEBHOOK_URL directly, and `setJobDispatcher(inProcessDispatcher(runJob))`
// so the worker runs in-process; `setReplySender` / `setMessageSender` capture messages in tests.

let dispatcher: JobDispatcher | undefined;
let replies: ReplySender | undefined;
let messages: MessageSender | undefined;

export function setJobDispatcher(d: JobDispatcher | undefined): void {
  dispatcher = d;
}

export function setReplySender(s: ReplySender | undefined): void {
  replies = s;
}

export function setMessageSender(s: MessageSender | undefined): void {
  messages = s;
}

export function jobDispatcher(): JobDispatcher {
  if (dispatcher) return dispatcher;
  const fn = process.env.CHATOPS_WORKER_FUNCTION;
  if (!fn) throw new NotConfigured('CHATOPS_WORKER_FUNCTION is not set: chat commands cannot run asynchronously');
  dispatcher = lambdaDispatcher(lambda, fn);
  return dispatcher;
}

export function replySender(): ReplySender {
  return replies ?? httpReplySender;
}

/** the plugged message sender, if any (otherwise the notifier builds a webhook sender from the environment) */
export function pluggedMessageSender(): MessageSender | undefined {
  return messages;
}

export type { ChatJob };
export { inProcessDispatcher };

/** a secret's value: the plain string, or one field of a JSON object */
export function secretField(value: string, field: string): string {
  const text = value.trim();
  if (text.startsWith('{')) {
    try {
      const v = (JSON.parse(text) as Record<string, unknown>)[field];
      if (typeof v === 'string') return v;
    } catch {
      // not JSON after all: the plain value
    }
  }
  return text;
}

const cache = new Map<string, Promise<string>>();

/** a value from the environment directly (local) or from Secrets Manager by ARN (AWS); registered for redaction */
export function configuredSecret(o: { direct: string; arn: string; field: string; what: string }): Promise<string> {
  const direct = process.env[o.direct];
  if (direct) {
    registerSecret(direct);
    return Promise.resolve(direct);
  }
  const arn = process.env[o.arn];
  if (!arn) return Promise.reject(new NotConfigured(`${o.what} is not configured (${o.arn} or ${o.direct})`));
  const key = `${containerIdentity()}|${o.arn}|${arn}|${o.field}`;
  let p = cache.get(key);
  if (!p) {
    p = recordDeps()
      .registry.readSecret(arn)
      .then((v) => {
        const value = secretField(v, o.field);
        registerSecret(value);
        return value;
      });
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

export const signingSecret = (): Promise<string> =>
  configuredSecret({
    direct: 'SLACK_SIGNING_SECRET',
    arn: 'SLACK_SIGNING_SECRET_ARN',
    field: 'signingSecret',
    what: 'the Slack signing secret',
  });

export const webhookUrl = (): Promise<string> =>
  configuredSecret({
    direct: 'SLACK_WEBHOOK_URL',
    arn: 'SLACK_WEBHOOK_SECRET_ARN',
    field: 'url',
    what: 'the Slack webhook URL',
  });
