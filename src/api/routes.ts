import type { APIGatewayProxyEventV2 } from 'aws-lambda';

// Route matching and event building for running the HTTP API in-process (`vpn-bridge serve --local`): the
// routes come from serverless.yml's httpApi events; API Gateway does this matching in the deployment.

export interface RouteSpec {
  method: string;
  /** `/connections/{name}` */
  path: string;
}

export type RouteMatch<R extends RouteSpec> =
  | { kind: 'match'; route: R; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/').filter(Boolean);
  const p = path.split('/').filter(Boolean);
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i] ?? '';
    const actual = p[i] ?? '';
    const param = /^\{([A-Za-z0-9_]+)\}$/.exec(seg)?.[1];
    if (param) {
      try {
        params[param] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (seg !== actual) return undefined;
  }
  return params;
}

/** which route answers `method path`; 405 when the path exists with other methods */
export function matchRoute<R extends RouteSpec>(routes: R[], method: string, path: string): RouteMatch<R> {
  const allow: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method.toUpperCase() === method.toUpperCase() || route.method === '*')
      return { kind: 'match', route, pathParameters: params };
    allow.push(route.method.toUpperCase());
  }
  return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
}

/** an API Gateway HTTP API (payload 2.0) event for a local request; binary-safe (body base64-encoded) */
export function httpApiEvent(req: {
  method: string;
  path: string;
  query?: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  route: RouteSpec;
  pathParameters: Record<string, string>;
  requestId: string;
  sourceIp?: string;
}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k.toLowerCase()] = [v].flat().join(',');
  const routeKey = `${req.route.method.toUpperCase()} ${req.route.path}`;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: req.path,
    rawQueryString: req.query ?? '',
    headers,
    queryStringParameters: req.query ? Object.fromEntries(new URLSearchParams(req.query)) : undefined,
    pathParameters: Object.keys(req.pathParameters).length > 0 ? req.pathParameters : undefined,
    isBase64Encoded: req.body.length > 0,
    body: req.body.length > 0 ? req.body.toString('base64') : undefined,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method.toUpperCase(),
        path: req.path,
        protocol: 'HTTP/1.1',
        sourceIp: req.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: req.requestId,
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
  };
}
