import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokePath } from '../aws/lambda';
import { authorize } from '../iam/enforce';
import type { Service, ServiceRequest, ServiceResponse, SimContext } from './context';
import { isAssumedCode, UNKNOWN_CODE } from './error-codes';
import { SimError } from './errors';
import type { FaultInjector, ServiceName } from './faults';
import type { Metrics } from './metrics';

// One loopback port serves every simulated API, told apart by protocol exactly as the real SDKs speak:
//   x-amz-target: secretsmanager.*      -> Secrets Manager (JSON 1.1)
//   x-amz-target: AWSStepFunctions.*    -> Step Functions (JSON 1.0)
//   x-amz-target: GraniteServiceVersion20100801.* -> CloudWatch (JSON 1.0, query-compatible errors)
//   x-acs-action header, or Action with Version=2016-04-28 -> Alibaba VPC RPC
//   Version=2015-04-01 (query or x-acs-version)             -> Alibaba STS RPC (AssumeRole)
//   form body / query with Action (Version=2016-11-15)      -> EC2 Query
//   /_sim/*                                                 -> the admin API

const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** actions that only read (every service names them so): they leave the world as it was */
const READ_ONLY = /^(Describe|List|Get|BatchGet)/;
/** the services whose resources the derived state (tunnel status) is computed from */
const NETWORK: ReadonlySet<ServiceName> = new Set(['ec2', 'alibaba-vpc']);

export type AdminHandler = (method: string, path: string, body: string) => Promise<ServiceResponse> | ServiceResponse;

export interface ServerDeps {
  ctx: SimContext;
  services: Record<ServiceName, Service>;
  faults: FaultInjector;
  metrics: Metrics;
  admin: AdminHandler;
  log?: (line: string) => void;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new SimError('RequestEntityTooLarge', `request body over ${MAX_BODY_BYTES} bytes`, 413));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function awsRegionOf(req: IncomingMessage): string {
  const auth = req.headers.authorization ?? '';
  const m = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\//.exec(auth);
  return m?.[1] ?? 'us-east-1';
}

function paramsOf(url: URL, body: string, contentType: string | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  if (body && (!contentType || contentType.includes('application/x-www-form-urlencoded'))) {
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
  }
  return params;
}

interface Identified {
  service: ServiceName;
  action: string;
  params: Record<string, string>;
  json: Record<string, unknown>;
  region: string;
}

function identify(req: IncomingMessage, url: URL, body: string): Identified {
  const lambdaFunction = invokePath(url.pathname);
  if (lambdaFunction !== undefined) {
    let json: unknown = null;
    if (body.trim()) {
      try {
        json = JSON.parse(body);
      } catch {
        throw new SimError('InvalidRequestContentException', 'Could not parse request body into json', 400);
      }
    }
    return {
      service: 'lambda',
      action: 'Invoke',
      params: { FunctionName: lambdaFunction },
      json: json as Record<string, unknown>,
      region: awsRegionOf(req),
    };
  }
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix, action = ''] = target.split('.');
    const service: ServiceName | undefined =
      prefix === 'secretsmanager'
        ? 'secretsmanager'
        : prefix === 'AWSStepFunctions'
          ? 'stepfunctions'
          : prefix === 'GraniteServiceVersion20100801'
            ? 'cloudwatch'
            : undefined;
    if (!service) throw new SimError('UnknownOperationException', `unsupported X-Amz-Target ${target}`, 400);
    let json: Record<string, unknown> = {};
    if (body.trim()) {
      try {
        const parsed: unknown = JSON.parse(body);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        json = parsed as Record<string, unknown>;
      } catch {
        throw new SimError('SerializationException', 'the request body is not a JSON object', 400);
      }
    }
    return { service, action, params: {}, json, region: awsRegionOf(req) };
  }
  const params = paramsOf(url, body, req.headers['content-type']);
  const acsAction = req.headers['x-acs-action'];
  if (params.Version === '2015-04-01' || req.headers['x-acs-version'] === '2015-04-01') {
    const action = typeof acsAction === 'string' && acsAction ? acsAction : (params.Action ?? '');
    return { service: 'alibaba-sts', action, params, json: {}, region: params.RegionId ?? '' };
  }
  if (typeof acsAction === 'string' && acsAction) {
    return { service: 'alibaba-vpc', action: acsAction, params, json: {}, region: params.RegionId ?? '' };
  }
  const action = params.Action;
  if (!action) throw new SimError('MissingAction', 'the request names no action', 400);
  if (params.Version === '2016-04-28' || req.headers['x-acs-version'] === '2016-04-28') {
    return { service: 'alibaba-vpc', action, params, json: {}, region: params.RegionId ?? '' };
  }
  return { service: 'ec2', action, params, json: {}, region: awsRegionOf(req) };
}

function send(res: ServerResponse, r: ServiceResponse, requestId: string, service?: ServiceName): void {
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  if (service === 'alibaba-vpc' || service === 'alibaba-sts') headers['x-acs-request-id'] = requestId;
  else {
    headers['x-amzn-requestid'] = requestId;
    headers['x-amz-request-id'] = requestId;
  }
  headers['content-length'] = String(Buffer.byteLength(r.body));
  res.writeHead(r.status, headers);
  res.end(r.body);
}

function isAssumed(service: ServiceName, err: SimError): boolean {
  return err.assumedUse || isAssumedCode(service, err.code);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function listen(deps: ServerDeps, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    void handle(deps, req, res);
  });
  // longer than SDK agents keep idle sockets, so a reused connection is not closed under a request in flight
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { ctx, services, faults, metrics } = deps;
  const requestId = ctx.ids.requestId();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  let body: string;
  try {
    body = await readBody(req);
  } catch (e) {
    const err = e instanceof SimError ? e : new SimError('InvalidRequest', String(e), 400);
    send(res, { status: err.status, body: JSON.stringify({ code: err.code, message: err.message }) }, requestId);
    return;
  }

  if (url.pathname.startsWith('/_sim')) {
    try {
      ctx.tick();
      if (req.method !== 'GET') ctx.touch();
      const r = await deps.admin(req.method ?? 'GET', url.pathname, body);
      if (req.method !== 'GET') ctx.touch();
      send(res, { ...r, headers: { 'content-type': 'application/json', ...(r.headers ?? {}) } }, requestId);
    } catch (e) {
      const err = e instanceof SimError ? e : new SimError('InternalError', String(e), 500);
      send(
        res,
        {
          status: err.status,
          body: JSON.stringify({ code: err.code, message: err.message }),
          headers: { 'content-type': 'application/json' },
        },
        requestId,
      );
    }
    return;
  }

  let id: Identified;
  try {
    id = identify(req, url, body);
  } catch (e) {
    const err = e instanceof SimError ? e : new SimError('InvalidRequest', String(e), 400);
    send(
      res,
      {
        status: err.status,
        body: JSON.stringify({ __type: err.code, message: err.message }),
        headers: { 'content-type': 'application/json' },
      },
      requestId,
    );
    return;
  }
  const service = services[id.service];
  const sreq: ServiceRequest = { ...id, headers: req.headers, requestId };
  let response: ServiceResponse;
  try {
    ctx.tick();
    authorize(ctx, sreq);
  } catch (e) {
    const err = e instanceof SimError ? e : new SimError('InternalError', String(e), 500);
    response = service.renderError(err, sreq);
    metrics.record(id.service, id.action, response.status, false);
    send(res, response, requestId, id.service);
    return;
  }
  const fired = faults.match(id.service, id.action);
  try {
    for (const f of fired) if (f.kind === 'latency') await sleep(f.latencyMs);
    const blocking = fired.find((f) => f.kind === 'throttle' || f.kind === 'error');
    if (blocking?.kind === 'throttle') throw service.throttle();
    if (blocking?.kind === 'error') {
      const base = service.serverError();
      throw new SimError(blocking.code ?? base.code, blocking.message ?? base.message, blocking.status ?? base.status);
    }
    ctx.tick();
    try {
      response = await service.handle(ctx, sreq);
    } finally {
      // a read, or a call to a service without network resources, changes nothing the derived state depends on
      if (NETWORK.has(id.service) && !READ_ONLY.test(id.action)) ctx.touch();
    }
    ctx.tick();
    if (fired.some((f) => f.kind === 'lost-response')) throw service.serverError();
  } catch (e) {
    let err: SimError;
    if (e instanceof SimError) err = e;
    else {
      deps.log?.(`[sim] ${id.service}.${id.action} crashed: ${e instanceof Error ? e.stack : String(e)}`);
      const base = service.serverError();
      err = new SimError(base.code, `${base.message} (${e instanceof Error ? e.message : String(e)})`, base.status);
    }
    // an assumed code (one no provider document gives for the case) answered as an unknown one, on request: the
    // product must not depend on it (docs/error-codes.md). Codes a test injects on purpose are left as they are.
    if (ctx.assumedErrorCodes === 'unknown' && !fired.some((f) => f.kind !== 'latency') && isAssumed(id.service, err)) {
      metrics.recordAssumed(id.service, id.action, err.code);
      err = new SimError(
        UNKNOWN_CODE,
        `(an assumed code, ${err.code}, answered as an unknown one) ${err.message}`,
        err.status,
      );
    }
    response = service.renderError(err, sreq);
  }
  metrics.record(id.service, id.action, response.status, fired.length > 0);
  send(res, response, requestId, id.service);
}
