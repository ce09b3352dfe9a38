import type { Context } from 'aws-lambda';
import { executionNotice, isStatusEvent } from '../../src/chatops/notify';
import { webhookSender } from '../../src/chatops/reply';
import { describeError } from '../../src/errors';
import { logger } from '../../src/log';
import { operationMetrics } from '../../src/monitoring/operation-metrics';
import { machinesFromEnv } from '../../src/service/connections';
import { pluggedMessageSender, webhookUrl } from '../chatops/plugs';
import { executions } from '../lib/clients/executions';
import { recordDeps, stage } from '../lib/clients/registry';
import { publishMetrics } from '../lib/metrics';

// EventBridge "Step Functions Execution Status Change" (terminal statuses of the three state machines) ->
// the operation's metrics (EMF) and, when something changed, a short Slack message (Block Kit) through the incoming
// webhook. A failure to post is thrown, so EventBridge's async invoke retries it (then the failure destination).

export async function handler(event: unknown, context?: Context): Promise<{ sent: boolean; reason?: string }> {
  if (context) logger.addContext(context);
  if (!isStatusEvent(event)) return { sent: false, reason: 'not an execution status change event' };
  const notice = await executionNotice(
    { registry: recordDeps().registry, executions: executions(), machines: machinesFromEnv() },
    event,
  );
  if (!notice) return { sent: false, reason: 'the execution has not finished' };
  publishMetrics(operationMetrics(notice.facts), stage());
  if (!notice.message) return { sent: false, reason: notice.quiet ?? 'nothing to say' };
  let sender = pluggedMessageSender();
  if (!sender) {
    try {
      sender = webhookSender(await webhookUrl());
    } catch (e) {
      logger.warn('notification not sent: no webhook', { error: describeError(e).message });
      return { sent: false, reason: 'no webhook configured' };
    }
  }
  await sender.send(notice.message);
  logger.info('notification sent', { execution: event.detail.name, status: event.detail.status });
  return { sent: true };
}
