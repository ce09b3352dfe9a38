import type { Context } from 'aws-lambda';
import { allowListsFromEnv, mayRun } from '../../src/chatops/allow-list';
import { type ChatCommand, parseCommandText, parseInvocation } from '../../src/chatops/commands';
import { commandArgs, renderNotAdmin } from '../../src/chatops/render';
import { runCommand } from '../../src/chatops/run';
import { type ChatJob, responseUrlAllowed, responseUrlPrefixesFromEnv, slackMessage } from '../../src/chatops/slack';
import { describeError } from '../../src/errors';
import { logger } from '../../src/log';
import { ConnectionService, machinesFromEnv } from '../../src/service/connections';
import { executions } from '../lib/clients/executions';
import { recordDeps } from '../lib/clients/registry';
import { cloudsDeps } from '../lib/clouds-step';
import { replySender } from './plugs';

// The chat command worker. Two ways in:
//  - a job from the Slack endpoint (async invoke): run it, reply through response_url;
//  - a direct invoke `{"command": "status", "name": "x"}` (Amazon Q Developer in chat custom action):
//    run it and return the text.

// every verb: status reads both clouds, up/down/drift start executions, list reads the records
const service = () =>
  new ConnectionService({
    deps: recordDeps(),
    clouds: cloudsDeps(),
    executions: executions(),
    machines: machinesFromEnv(),
  });

function isJob(event: unknown): event is ChatJob {
  const e = event as Partial<ChatJob> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    e.kind === 'slack-command' &&
    typeof e.responseUrl === 'string' &&
    typeof e.userId === 'string' &&
    typeof e.command === 'object' &&
    e.command !== null
  );
}

/** a job's command, re-checked by the parser (the worker trusts nothing it did not parse itself) */
function jobCommand(job: ChatJob): ChatCommand | undefined {
  try {
    const parsed = parseCommandText(commandArgs(job.command));
    return parsed.ok ? parsed.command : undefined;
  } catch {
    return undefined;
  }
}

export async function runJob(job: ChatJob): Promise<void> {
  if (!responseUrlAllowed(job.responseUrl, responseUrlPrefixesFromEnv())) {
    logger.warn('chat job refused: response_url not accepted', { user: job.userId });
    return;
  }
  const command = jobCommand(job);
  if (!command) {
    logger.warn('chat job refused: malformed command', { user: job.userId });
    return;
  }
  // the endpoint checked the admin list already; the worker trusts nothing it did not check itself
  const allowed = mayRun(allowListsFromEnv(), command.verb, job.userId);
  if (!allowed) logger.warn('chat job refused: not an admin', { user: job.userId, verb: command.verb });
  const reply = allowed ? await runCommand(service(), command, job.userId) : renderNotAdmin(command.verb);
  try {
    await replySender().reply(job.responseUrl, slackMessage(reply));
  } catch (e) {
    logger.error('chat reply failed', { user: job.userId, verb: command.verb, error: describeError(e).message });
    throw e;
  }
}

export interface DirectResult {
  ok: boolean;
  text: string;
}

export async function handler(event: unknown, context?: Context): Promise<DirectResult> {
  if (context) logger.addContext(context);
  if (isJob(event)) {
    await runJob(event);
    return { ok: true, text: '' };
  }
  const parsed = parseInvocation(event);
  if (!parsed.ok) return { ok: false, text: parsed.error };
  logger.info('chat command (direct invoke)', {
    verb: parsed.command.verb,
    name: 'name' in parsed.command ? parsed.command.name : undefined,
  });
  const reply = await runCommand(service(), parsed.command);
  return { ok: true, text: reply.text };
}
