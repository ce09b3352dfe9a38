import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describeError, type FieldIssue, isVpnBridgeError, OperationInProgress, SpecInvalid } from '../errors';
import { logger, redactText } from '../log';
import { CONNECTION_NAME } from '../spec/name';

// HTTP API (API Gateway HTTP API, payload format 2.0) plumbing: request parsing, JSON responses, and the one
// mapping from errors to status codes. Handlers stay thin: `apiHandler('GET /connections', fn)`.

/** largest accepted request body (decoded), bytes */
export const MAX_BODY_BYTES = 64 * 1024;

export type ApiEvent = APIGatewayProxyEventV2;
export type ApiResult = APIGatewayProxyStructuredResultV2;

/** a request-level failure with its HTTP status */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldIssue[]; executionArn?: string; requestId: string };
}

/** header lookup, case-insensitive (API Gateway lower-cases them in 2.0; local callers may not) */
export function header(event: Pick<ApiEvent, 'headers'>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === want) return v;
  return undefined;
}

export function requestIdOf(event: ApiEvent): string {
  return event.requestContext?.requestId || randomUUID();
}

/** the raw body as bytes (API Gateway base64-encodes non-text bodies) */
export function rawBody(event: Pick<ApiEvent, 'body' | 'isBase64Encoded'>): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

function isJsonType(contentType: string): boolean {
  const media = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return media === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(media);
}

/**
 * The JSON body of a request. `optional`: an empty body (and then no content-type) is `undefined`.
 * 413 over 64 KiB, 415 for a non-JSON content-type, 400 for text that is not JSON (with the position).
 */
export function jsonBody(event: ApiEvent, opts: { optional?: boolean } = {}): unknown {
  const bytes = rawBody(event);
  if (bytes.length > MAX_BODY_BYTES)
    throw new ApiError(413, 'PayloadTooLarge', `the request body is ${bytes.length} bytes; at most ${MAX_BODY_BYTES}`);
  const contentType = header(event, 'content-type');
  if (bytes.length === 0) {
    if (opts.optional) return undefined;
    throw new ApiError(400, 'BadRequest', 'the request needs a JSON body', [
      { path: '(body)', message: 'is required' },
    ]);
  }
  if (!contentType || !isJsonType(contentType))
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body must be JSON (content-type: application/json), got ${contentType ? `'${contentType.slice(0, 100)}'` : 'no content-type'}`,
    );
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    const where = /at position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    throw new ApiError(400, 'InvalidJson', `the body is not valid JSON${where ? ` (at position ${where})` : ''}`, [
      { path: '(body)', message: 'is not valid JSON' },
    ]);
  }
}

/** the `{name}` path parameter, validated */
export function pathName(event: ApiEvent): string {
  const name = event.pathParameters?.name;
  if (name === undefined || !CONNECTION_NAME.test(name))
    throw new ApiError(400, 'BadRequest', 'invalid connection name in the path', [
      {
        path: 'name',
        message: 'must be 3-40 characters: a lowercase letter, then lowercase letters, digits or hyphens',
      },
    ]);
  return name;
}

function baseHeaders(requestId: string): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-request-id': requestId,
  };
}

/** a JSON response; every registered secret value is masked as a last line of defence */
export function json(
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): ApiResult {
  return {
    statusCode: status,
    headers: { ...baseHeaders(requestId), ...headers },
    body: redactText(JSON.stringify(body)),
  };
}

const STATUS_OF_ERROR: Record<string, [number, string]> = {
  SpecInvalid: [400, 'SpecInvalid'],
  PreflightFailed: [400, 'PreflightFailed'],
  RecordMissing: [404, 'NotFound'],
  OperationInProgress: [409, 'OperationInProgress'],
  Throttled: [503, 'ServiceUnavailable'],
  ProviderUnavailable: [503, 'ServiceUnavailable'],
  NotConfigured: [503, 'NotConfigured'],
};

/** the one mapping from a thrown value to an HTTP response */
export function errorResponse(e: unknown, requestId: string): ApiResult {
  if (e instanceof ApiError) {
    const body: ErrorBody = { error: { code: e.code, message: e.message, fields: e.fields, requestId } };
    return json(e.status, body, requestId, e.headers);
  }
  const mapped = isVpnBridgeError(e) ? STATUS_OF_ERROR[e.name] : undefined;
  if (isVpnBridgeError(e) && mapped) {
    const [status, code] = mapped;
    const fields = e instanceof SpecInvalid || e.name === 'PreflightFailed' ? (e as SpecInvalid).issues : undefined;
    const executionArn = e instanceof OperationInProgress ? e.executionArn : undefined;
    // preflight can find many problems at once: the message names the fields, `fields` says what is wrong with each
    const message =
      e.name === 'PreflightFailed' && fields && fields.length > 0
        ? `preflight failed for ${fields.map((f) => f.path).join(', ')}; nothing was created`
        : e.message;
    const body: ErrorBody = { error: { code, message, fields, executionArn, requestId } };
    return json(status, body, requestId, status === 503 ? { 'retry-after': '5' } : {});
  }
  // anything else is ours to fix: no internals in the answer, the details go to the (redacted) log
  const d = describeError(e);
  logger.error('request failed', { requestId, error: d.name, message: d.message });
  const body: ErrorBody = {
    error: { code: 'InternalError', message: `internal error; quote request id ${requestId}`, requestId },
  };
  return json(500, body, requestId);
}

export interface RouteContext {
  requestId: string;
}

/**
 * One route's Lambda handler: checks the method (405 otherwise), maps errors, logs one line per request
 * (route, status, duration; never the event).
 */
export function apiHandler(
  route: string,
  fn: (event: ApiEvent, ctx: RouteContext) => Promise<ApiResult>,
): (event: ApiEvent, context?: Context) => Promise<ApiResult> {
  const [method = 'GET'] = route.split(' ');
  return async (event, context) => {
    if (context) logger.addContext(context);
    const requestId = requestIdOf(event);
    const started = Date.now();
    let result: ApiResult;
    const actual = event.requestContext?.http?.method?.toUpperCase();
    if (actual && actual !== method) {
      result = json(
        405,
        { error: { code: 'MethodNotAllowed', message: `${actual} is not allowed here; use ${method}`, requestId } },
        requestId,
        { allow: method },
      );
    } else {
      try {
        result = await fn(event, { requestId });
      } catch (e) {
        result = errorResponse(e, requestId);
      }
    }
    logger.info('api request', { route, requestId, status: result.statusCode, ms: Date.now() - started });
    return result;
  };
}
