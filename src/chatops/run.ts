import { describeError } from '../errors';
import { logger } from '../log';
import type { ConnectionService } from '../service/connections';
import type { ChatCommand } from './commands';
import {
  type ChatReply,
  renderDownConfirmation,
  renderDriftAll,
  renderError,
  renderHelp,
  renderList,
  renderRotateConfirmation,
  renderStatus,
  renderSubmission,
} from './render';

// One chat command -> one reply. Shared by the Slack worker (reply through response_url) and direct
// invocations (Amazon Q custom actions: the text is the Lambda's result).

export type ConnectionOps = Pick<
  ConnectionService,
  | 'listConnections'
  | 'getConnection'
  | 'submitRepair'
  | 'submitDrift'
  | 'submitDriftAll'
  | 'submitTeardown'
  | 'submitRotation'
>;

/** commands answered without touching a cloud or Step Functions (safe to answer inside Slack's 3 s) */
export function immediateReply(c: ChatCommand): ChatReply | undefined {
  if (c.verb === 'help') return renderHelp();
  if (c.verb === 'down' && !c.confirmed) return renderDownConfirmation(c.name);
  if (c.verb === 'rotate' && !c.confirmed) return renderRotateConfirmation(c.name);
  return undefined;
}

export async function runCommand(ops: ConnectionOps, c: ChatCommand, userId?: string): Promise<ChatReply> {
  const now = immediateReply(c);
  if (now) return now;
  try {
    switch (c.verb) {
      case 'list':
        return renderList(await ops.listConnections());
      case 'status':
        return renderStatus(await ops.getConnection(c.name));
      case 'up':
        return renderSubmission(await ops.submitRepair(c.name), userId);
      case 'drift':
        return c.name
          ? renderSubmission(await ops.submitDrift(c.name, { repair: false }), userId)
          : renderDriftAll(await ops.submitDriftAll({ repair: false }), userId);
      case 'down':
        return renderSubmission(await ops.submitTeardown(c.name), userId);
      case 'rotate':
        return renderSubmission(await ops.submitRotation(c.name), userId);
      default:
        return renderHelp();
    }
  } catch (e) {
    const d = describeError(e);
    logger.warn('chat command failed', { verb: c.verb, error: d.name, message: d.message });
    return renderError(e);
  }
}
