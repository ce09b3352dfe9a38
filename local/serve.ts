import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { httpApiEvent, matchRoute, type RouteSpec } from '../src/api/routes';
import { OPERATOR_AWS } from './constants';
import { LOCAL_REGION, type SimAccess } from './environment';
import { hosted } from './lambda-host';
import { lambdaHandlers, loadHandler, readServerlessFunctions } from './runner';
import { verifyRequest } from './sigv4';
import { ensureStateMachines } from './state-machines';

// `vpn-bridge serve --local`: the deployment's HTTP API and ChatOps endpoint on 127.0.0.1, served by the
// SAME handlers, with the routes taken from serverless.yml's httpApi events (not a second list), backed by
// the simulator (whose Step Functions service runs the state machines with the local runner). The drift
// schedule runs on a timer, scaled like everything else; finished executions go to the notifier the way
// the EventBridge rule sends them in AWS.

const MAX_BODY = 1024 * 1024;

type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2 | string>;

interface Route extends RouteSpec {
  function: string;
  handler: string;
  /** `authorizer: { type: aws_iam }` in serverless.yml: the caller must sign with SigV4 */
  iam?: boolean;
}

export interface ServeOptions {
  access: SimAccess;
  port?: number;
  host?: string;
  /** simulated seconds between scheduled drift checks (serverless.yml: rate(30 minutes)); 0 = off */
  driftEverySimSeconds?: number;
  /**
   * simulated seconds between runs of the transit gateway failover watcher (serverless.yml: rate(1 minute)), through
   * the local Lambda host with its role; 0 or absent = off (the CLI's `serve` turns it on)
   */
  failoverEverySimSeconds?: number;
  timeScale: () => number;
  log?: (line: string) => void;
  /**
   * verify SigV4 on the routes serverless.yml protects with IAM, as API Gateway does (403 otherwise); the keys it
   * knows: access key id -> secret (the CLI passes the simulator's operator key)
   */
  sigv4?: { secretOf: (accessKeyId: string) => string | undefined };
  /** extra pages served before the API routes (GET / the status page) */
  pages?: (
    method: string,
    path: string,
    query: URLSearchParams,
  ) => Promise<{ status: number; type: string; body: string } | undefined>;
}

export interface Served {
  url: string;
  routes: Route[];
  stop(): Promise<void>;
  /** start a scheduled drift check now (what the timer does) */
  scheduledDrift(): Promise<string>;
}

export function routesFromServerless(): Route[] {
  const fns = readServerlessFunctions();
  const out: Route[] = [];
  for (const [key, events] of Object.entries(fns.http)) {
    const handler = fns.handlers[key];
    if (!handler) continue;
    for (const e of events)
      out.push({ method: e.method, path: e.path, function: key, handler, ...(e.iam ? { iam: true } : {}) });
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // keep reading up to the cap: the handler answers 413 for what API Gateway would still pass on
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(status: number, body: unknown, extra: Record<string, string> = {}) {
  return { status, headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(body) };
}

export async function serve(o: ServeOptions): Promise<Served> {
  const log = o.log ?? (() => undefined);
  const arns = await ensureStateMachines(o.access.url);
  const routes = routesFromServerless();
  if (routes.length === 0) throw new Error('serverless.yml declares no httpApi routes');
  const handlers = new Map<string, HttpHandler>();
  const handlerOf = (r: Route) => {
    let h = handlers.get(r.function);
    if (!h) {
      h = hosted(r.function, loadHandler(r.handler)) as HttpHandler;
      handlers.set(r.function, h);
    }
    return h;
  };

  const server: Server = createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      let out: { status: number; headers: Record<string, string>; body: string };
      try {
        const body = await readBody(req);
        const m = matchRoute(routes, req.method ?? 'GET', url.pathname);
        const page =
          m.kind === 'match' ? undefined : await o.pages?.(req.method ?? 'GET', url.pathname, url.searchParams);
        const denied =
          m.kind === 'match' && m.route.iam && o.sigv4
            ? await verifyRequest(
                {
                  method: req.method ?? 'GET',
                  url: new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`),
                  headers: Object.fromEntries(
                    Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
                  ),
                  body: body.toString('utf8'),
                },
                o.sigv4.secretOf,
              )
            : undefined;
        if (page) out = { status: page.status, headers: { 'content-type': page.type }, body: page.body };
        else if (denied && !denied.ok)
          // API Gateway's answer when IAM authorization fails
          out = json(403, { message: denied.message }, { 'x-amzn-errortype': 'ForbiddenException' });
        else if (m.kind === 'not-found')
          out = json(404, { error: { code: 'NotFound', message: `no route ${url.pathname}` } });
        else if (m.kind === 'method-not-allowed')
          out = json(
            405,
            { error: { code: 'MethodNotAllowed', message: `use ${m.allow.join(', ')}` } },
            { allow: m.allow.join(', ') },
          );
        else {
          const event = httpApiEvent({
            method: req.method ?? 'GET',
            path: url.pathname,
            query: url.search.replace(/^\?/, ''),
            headers: req.headers,
            body,
            route: m.route,
            pathParameters: m.pathParameters,
            requestId: randomUUID(),
          });
          const r = await handlerOf(m.route)(event);
          const result: APIGatewayProxyStructuredResultV2 = typeof r === 'string' ? { statusCode: 200, body: r } : r;
          const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
          const text =
            result.isBase64Encoded && result.body
              ? Buffer.from(result.body, 'base64').toString('utf8')
              : (result.body ?? '');
          out = { status: result.statusCode ?? 200, headers, body: text };
        }
      } catch (e) {
        // a handler that throws is a 500 from API Gateway too; no internals leak
        log(`serve: handler error: ${(e as Error).message}`);
        out = json(500, { error: { code: 'InternalError', message: 'internal error' } });
      }
      res.writeHead(out.status, { ...out.headers, 'content-length': String(Buffer.byteLength(out.body)) });
      res.end(out.body);
      log(`${req.method} ${url.pathname} -> ${out.status} (${Math.round(performance.now() - started)} ms)`);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 3000, o.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;

  const sfn = new SFNClient({
    endpoint: o.access.url,
    region: LOCAL_REGION,
    credentials: OPERATOR_AWS,
  });
  const scheduledDrift = async () => {
    // what the EventBridge schedule does: StartExecution of the drift machine with {"repair": false}
    const r = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: arns.drift,
        name: `scheduled-${new Date()
          .toISOString()
          .replace(/[^0-9]/g, '')
          .slice(0, 14)}-${randomUUID().slice(0, 6)}`,
        input: JSON.stringify({ repair: false }),
      }),
    );
    log(`scheduled drift check started: ${r.executionArn}`);
    return r.executionArn ?? '';
  };
  const every = o.driftEverySimSeconds ?? 1800;
  const timer =
    every > 0
      ? setInterval(
          () => {
            scheduledDrift().catch((e: unknown) =>
              log(`scheduled drift check failed to start: ${(e as Error).message}`),
            );
          },
          Math.max(1000, (every * 1000) / o.timeScale()),
        )
      : undefined;
  timer?.unref();
  // what the tgwFailover schedule does: invoke the watcher (its result and errors go to the log)
  const failoverEvery = o.failoverEverySimSeconds ?? 0;
  const watcher = lambdaHandlers().tgwFailover;
  let watching = false;
  const failoverTimer =
    failoverEvery > 0 && watcher
      ? setInterval(
          () => {
            if (watching) return;
            watching = true;
            watcher({ source: 'aws.events', 'detail-type': 'Scheduled Event' })
              .then((r) => {
                const run = r as { switched?: number; failed?: number };
                if (run.switched || run.failed) log(`failover watcher: ${JSON.stringify(r)}`);
              })
              .catch((e: unknown) => log(`failover watcher failed: ${(e as Error).message}`))
              .finally(() => {
                watching = false;
              });
          },
          Math.max(1000, (failoverEvery * 1000) / o.timeScale()),
        )
      : undefined;
  failoverTimer?.unref();

  return {
    url: `http://${address.address}:${address.port}`,
    routes,
    scheduledDrift,
    stop: async () => {
      if (timer) clearInterval(timer);
      if (failoverTimer) clearInterval(failoverTimer);
      sfn.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
