import type { Context } from 'aws-lambda';
import { executionMessage, isStatusEvent } from '../../src/chatops/notify';
import { webhookSender } from '../../src/chatops/reply';
import { describeError } from '../../src/errors';
import { logger } from '../../src/log';
import { machinesFromEnv } from '../../src/service/connections';
import { pluggedMessageSender, webhookUrl } from '../chatops/plugs';
import { executions } from '../lib/clients/executions';
import { recordDeps } from '../lib/clients/registry';

// EventBridge "Step Functions Execution Status Change" (terminal statuses of the three state machines) ->
// a short Slack message through the incoming webhook. A failure to post is thrown, so EventBridge's async
// invoke retries it.

export async function handler(event: unknown, context?: Context): Promise<{ sent: boolean; reason?: string }> {
  if (context) logger.addContext(context);
  if (!isStatusEvent(event)) return { sent: false, reason: 'not an execution status change event' };
  const message = await executionMessage(
    { registry: recordDeps().registry, executions: executions(), machines: machinesFromEnv() },
    event,
  );
  if (!message) return { sent: false, reason: 'the execution has not finished' };
  let sender = pluggedMessageSender();
  if (!sender) {
    try {
      sender = webhookSender(await webhookUrl());
    } catch (e) {
      logger.warn('notification not sent: no webhook', { error: describeError(e).message });
      return { sent: false, reason: 'no webhook configured' };
    }
  }
  await sender.send(message);
  logger.info('notification sent', { execution: event.detail.name, status: event.detail.status });
  return { sent: true };
}
