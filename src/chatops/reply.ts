import type { ChatJob, JobDispatcher, SlackMessage } from './slack';

// Sending chat messages: the worker's reply through response_url, and notifications through an incoming
// webhook. Behind interfaces so tests and the local server can capture or redirect them.

export interface ReplySender {
  /** POST the message as JSON to Slack's response_url */
  reply(responseUrl: string, message: SlackMessage): Promise<void>;
}

export interface MessageSender {
  /** post a notification (e.g. to a Slack incoming webhook) */
  send(message: SlackMessage): Promise<void>;
}

const TIMEOUT_MS = 5000;

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: 'error',
  });
  // the URL itself is a credential: never part of an error message
  if (!res.ok) throw new Error(`the chat endpoint answered HTTP ${res.status}`);
  await res.arrayBuffer();
}

export const httpReplySender: ReplySender = {
  reply: (responseUrl, message) => postJson(responseUrl, message),
};

export function webhookSender(url: string): MessageSender {
  return { send: (message) => postJson(url, message) };
}

/**
 * Runs jobs in this process without awaiting them (the local server's stand-in for an InvocationType=Event
 * invoke). `idle()` resolves when every job dispatched so far has finished (tests).
 */
export function inProcessDispatcher(
  run: (job: ChatJob) => Promise<unknown>,
  onError: (e: unknown) => void = () => undefined,
): JobDispatcher & { idle(): Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  return {
    async dispatch(job) {
      const p = Promise.resolve()
        .then(() => run(job))
        .catch(onError)
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
