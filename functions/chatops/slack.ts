import type { Context } from 'aws-lambda';
import { type ApiEvent, type ApiResult, json, MAX_BODY_BYTES, rawBody, requestIdOf } from '../../src/api/http';
import { allowListsFromEnv } from '../../src/chatops/allow-list';
import { ReplayCache } from '../../src/chatops/replay';
import { decideSlackRequest, responseUrlPrefixesFromEnv, slackMessage } from '../../src/chatops/slack';
import { describeError } from '../../src/errors';
import { logger } from '../../src/log';
import { jobDispatcher, signingSecret } from './plugs';

// POST /chatops/slack: the Slack slash command `/vpn ...`. Verifies the signature over the raw body (base64
// bodies decoded first), refuses a replay of a request it already accepted, checks the allow-lists (and the admin
// list for `up`/`down`), answers help/errors/unconfirmed `down` at once, and hands everything else to the worker
// asynchronously with an immediate ephemeral acknowledgement.

/** signatures accepted by this container in the last five minutes (src/chatops/replay.ts) */
const replays = new ReplayCache();

export async function handler(event: ApiEvent, context?: Context): Promise<ApiResult> {
  if (context) logger.addContext(context);
  const requestId = requestIdOf(event);
  const method = event.requestContext?.http?.method?.toUpperCase();
  if (method && method !== 'POST')
    return json(405, { error: { code: 'MethodNotAllowed', message: 'use POST', requestId } }, requestId, {
      allow: 'POST',
    });
  const body = rawBody(event);
  if (body.length > MAX_BODY_BYTES)
    return json(413, { error: { code: 'PayloadTooLarge', message: 'request too large', requestId } }, requestId);
  let secret: string;
  try {
    secret = await signingSecret();
  } catch (e) {
    logger.error('slack signing secret unavailable', { requestId, error: describeError(e).message });
    return json(503, { error: { code: 'NotConfigured', message: 'chat is not configured', requestId } }, requestId);
  }
  const d = decideSlackRequest(
    { headers: event.headers ?? {}, rawBody: body },
    {
      signingSecret: secret,
      allowLists: allowListsFromEnv(),
      now: Math.floor(Date.now() / 1000),
      responseUrlPrefixes: responseUrlPrefixesFromEnv(),
      accept: (signature, timestamp) => replays.accept(signature, timestamp, Math.floor(Date.now() / 1000)),
    },
  );
  if (d.kind === 'reject') {
    logger.warn('slack request refused', { requestId, status: d.status, reason: d.reason });
    return json(
      d.status,
      d.reply ? slackMessage(d.reply) : { error: { code: 'Refused', message: 'request refused', requestId } },
      requestId,
    );
  }
  logger.info('chat command', { requestId, ...d.audit, async: d.kind === 'dispatch' });
  if (d.kind === 'dispatch') {
    try {
      await jobDispatcher().dispatch(d.job);
    } catch (e) {
      logger.error('chat command could not be dispatched', { requestId, error: describeError(e).message });
      return json(
        200,
        slackMessage({ responseType: 'ephemeral', text: 'Could not start the command right now; try again shortly.' }),
        requestId,
      );
    }
  }
  if (!d.reply.text) return { statusCode: 200, headers: { 'x-request-id': requestId }, body: '' };
  return json(200, slackMessage(d.reply), requestId);
}
