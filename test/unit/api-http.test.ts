import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseDriftRequest } from '../../src/api/drift-request';
import { ApiError, apiHandler, errorResponse, json, jsonBody, MAX_BODY_BYTES, pathName } from '../../src/api/http';
import { httpApiEvent, matchRoute } from '../../src/api/routes';
import { OperationInProgress, ProviderRejected, RecordMissing, SpecInvalid, Throttled } from '../../src/errors';
import { registerSecret, setLogSink } from '../../src/log';
import { NotConfigured } from '../../src/service/errors';

// HTTP API request parsing and the mapping from errors to status codes and bodies.

const logs: string[] = [];
beforeAll(() => setLogSink((l) => logs.push(l)));
afterAll(() => setLogSink(undefined));

function event(o: {
  method?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  name?: string;
  base64?: boolean;
}): APIGatewayProxyEventV2 {
  const e = httpApiEvent({
    method: o.method ?? 'POST',
    path: '/connections',
    headers: o.headers ?? {},
    body: Buffer.alloc(0),
    route: { method: o.method ?? 'POST', path: '/connections' },
    pathParameters: o.name === undefined ? {} : { name: o.name },
    requestId: 'req-1',
  });
  if (o.body !== undefined) {
    const buf = Buffer.from(o.body);
    e.body = o.base64 ? buf.toString('base64') : buf.toString('utf8');
    e.isBase64Encoded = o.base64 === true;
  }
  return e;
}

function caught(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

const JSON_TYPE = { 'content-type': 'application/json' };

describe('jsonBody', () => {
  it('parses a JSON body, also when API Gateway base64-encoded it', () => {
    // Act
    const plain = jsonBody(event({ body: '{"a":1}', headers: JSON_TYPE }));
    const encoded = jsonBody(
      event({ body: '{"a":2}', headers: { 'Content-Type': 'application/json; charset=utf-8' }, base64: true }),
    );

    // Assert
    expect(plain).toEqual({ a: 1 });
    expect(encoded).toEqual({ a: 2 });
  });

  it('answers 400 with the position for text that is not JSON', () => {
    // Act
    const e = caught(() => jsonBody(event({ body: '{"a":', headers: JSON_TYPE })));

    // Assert
    expect(e.status).toBe(400);
    expect(e.code).toBe('InvalidJson');
    expect(e.fields?.[0]?.path).toBe('(body)');
  });

  it('answers 415 for a body that is not declared as JSON', () => {
    // Act
    const yaml = caught(() => jsonBody(event({ body: 'name: x', headers: { 'content-type': 'application/yaml' } })));
    const none = caught(() => jsonBody(event({ body: '{}' })));

    // Assert
    expect(yaml.status).toBe(415);
    expect(none.status).toBe(415);
  });

  it('answers 413 for a body over 64 KiB, before parsing it', () => {
    // Act
    const e = caught(() => jsonBody(event({ body: `"${'x'.repeat(MAX_BODY_BYTES)}"`, headers: JSON_TYPE })));

    // Assert
    expect(e.status).toBe(413);
  });

  it('treats an empty body as absent only where the body is optional', () => {
    // Act
    const optional = jsonBody(event({}), { optional: true });
    const required = caught(() => jsonBody(event({})));

    // Assert
    expect(optional).toBeUndefined();
    expect(required.status).toBe(400);
  });
});

describe('pathName and the drift body', () => {
  it('accepts a connection name and refuses anything else with a field error on name', () => {
    // Act
    const ok = pathName(event({ name: 'gdn-china' }));
    const bad = ['Gdn', 'ab', '../etc', 'a b c', 'x'.repeat(41)].map((n) => caught(() => pathName(event({ name: n }))));

    // Assert
    expect(ok).toBe('gdn-china');
    for (const e of bad) {
      expect(e.status).toBe(400);
      expect(e.fields?.[0]?.path).toBe('name');
    }
  });

  it('reads repair from an optional body and names bad fields', () => {
    // Act
    const none = parseDriftRequest(undefined);
    const yes = parseDriftRequest({ repair: true });
    const bad = caught(() => parseDriftRequest({ repair: 'true', force: true }));
    const notObject = caught(() => parseDriftRequest([true]));

    // Assert
    expect(none).toEqual({ repair: false });
    expect(yes).toEqual({ repair: true });
    expect(bad.fields?.map((f) => f.path).sort()).toEqual(['force', 'repair']);
    expect(notObject.status).toBe(400);
  });
});

describe('errorResponse', () => {
  const body = (r: ReturnType<typeof json>) => JSON.parse(r.body ?? '{}') as { error: Record<string, unknown> };

  it('maps each error class to its status, with field errors for a bad spec', () => {
    // Act
    const spec = errorResponse(new SpecInvalid([{ path: 'aws.cidr', message: 'bad' }]), 'r1');
    const missing = errorResponse(new RecordMissing('no connection named x'), 'r2');
    const busy = errorResponse(new OperationInProgress('busy', 'arn:exec'), 'r3');
    const conf = errorResponse(new NotConfigured('not set'), 'r4');
    const throttled = errorResponse(new Throttled('slow down'), 'r5');

    // Assert
    expect([spec, missing, busy, conf, throttled].map((r) => r.statusCode)).toEqual([400, 404, 409, 503, 503]);
    expect(body(spec).error.fields).toEqual([{ path: 'aws.cidr', message: 'bad' }]);
    expect(body(busy).error.executionArn).toBe('arn:exec');
    expect(body(missing).error).toEqual(expect.objectContaining({ code: 'NotFound', requestId: 'r2' }));
    expect(throttled.headers?.['retry-after']).toBe('5');
  });

  it('hides the details of an unexpected error behind the request id', () => {
    // Act
    const r = errorResponse(new ProviderRejected('secret internals at vpc-123'), 'r9');

    // Assert
    expect(r.statusCode).toBe(500);
    expect(r.body).not.toContain('vpc-123');
    expect(body(r).error.message).toContain('r9');
  });

  it('masks registered secret values in any response body', () => {
    // Prepare
    registerSecret('Sup3rSecretPsk_1');

    // Act
    const r = json(200, { cause: 'the key Sup3rSecretPsk_1 leaked' }, 'r1');

    // Assert
    expect(r.body).not.toContain('Sup3rSecretPsk_1');
    expect(r.headers?.['content-type']).toContain('application/json');
    expect(r.headers?.['x-request-id']).toBe('r1');
  });
});

describe('apiHandler and routes', () => {
  it('answers 405 with Allow for another method, and logs the route but not the body', async () => {
    // Prepare
    logs.length = 0;
    const h = apiHandler('POST /connections', async (_e, { requestId }) => json(202, { ok: true }, requestId));

    // Act
    const wrong = await h(event({ method: 'GET' }));
    const right = await h(event({ method: 'POST', body: '{"marker":"do-not-log-me"}', headers: JSON_TYPE }));

    // Assert
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers?.allow).toBe('POST');
    expect(right.statusCode).toBe(202);
    expect(logs.join('\n')).toContain('POST /connections');
    expect(logs.join('\n')).not.toContain('do-not-log-me');
  });

  it('matches routes with path parameters and tells 405 from 404', () => {
    // Prepare
    const routes = [
      { method: 'GET', path: '/connections/{name}' },
      { method: 'DELETE', path: '/connections/{name}' },
      { method: 'POST', path: '/connections' },
    ];

    // Act
    const hit = matchRoute(routes, 'DELETE', '/connections/gdn-china');
    const wrong = matchRoute(routes, 'PUT', '/connections/gdn-china');
    const none = matchRoute(routes, 'GET', '/nowhere');

    // Assert
    expect(hit).toEqual({ kind: 'match', route: routes[1], pathParameters: { name: 'gdn-china' } });
    expect(wrong).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'DELETE'] });
    expect(none).toEqual({ kind: 'not-found' });
  });
});
