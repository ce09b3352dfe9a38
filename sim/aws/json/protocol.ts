import type { ServiceResponse } from '../../core/context';
import { SimError } from '../../core/errors';

// The AWS JSON protocols (docs/sources.md#aws-aws): POST / with X-Amz-Target, a JSON body in, a JSON body out.
// Secrets Manager speaks 1.1 (error key `Message`), Step Functions 1.0 (error key `message`).
// Timestamps travel as epoch seconds (numbers, may be fractional).

export type JsonVersion = '1.0' | '1.1';

export interface JsonProtocol {
  version: JsonVersion;
  /** the key holding the error text in error bodies */
  messageKey: 'message' | 'Message';
  /** the service's error code for a missing or out-of-range parameter */
  validationCode: string;
}

export function contentType(version: JsonVersion): string {
  return `application/x-amz-json-${version}`;
}

/** 200 with a JSON body; `undefined` members are dropped by JSON.stringify. An empty object is sent as `{}`. */
export function jsonOk(version: JsonVersion, body: object = {}): ServiceResponse {
  return { status: 200, body: JSON.stringify(body), headers: { 'content-type': contentType(version) } };
}

export function jsonError(protocol: JsonProtocol, err: SimError): ServiceResponse {
  return {
    status: err.status,
    body: JSON.stringify({ __type: err.code, [protocol.messageKey]: err.message }),
    headers: { 'content-type': contentType(protocol.version) },
  };
}

/** simulated epoch milliseconds -> wire timestamp (epoch seconds) */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

export function unknownOperation(action: string): SimError {
  return new SimError('UnknownOperationException', `Operation ${action || '(none)'} is not supported.`, 400);
}

// ---------------------------------------------------------------- request readers

function typeError(key: string, expected: string): SimError {
  // What the real services answer for a member of the wrong JSON type.
  return new SimError('SerializationException', `${key}: expected ${expected}`, 400);
}

/** Typed access to the members of a JSON request body. Missing members are `undefined`. */
export class JsonParams {
  constructor(
    private readonly json: Record<string, unknown>,
    private readonly protocol: JsonProtocol,
  ) {}

  invalid(message: string): SimError {
    return new SimError(this.protocol.validationCode, message, 400);
  }

  has(key: string): boolean {
    return this.json[key] !== undefined && this.json[key] !== null;
  }

  str(key: string): string | undefined {
    const v = this.json[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw typeError(key, 'a string');
    return v;
  }

  requiredStr(key: string): string {
    const v = this.str(key);
    if (v === undefined || v === '') throw this.invalid(`The parameter ${key} is required and must not be empty.`);
    return v;
  }

  int(key: string, range?: { min: number; max: number }): number | undefined {
    const v = this.json[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(key, 'an integer');
    if (range && (v < range.min || v > range.max))
      throw this.invalid(`The parameter ${key} must be between ${range.min} and ${range.max}; got ${v}.`);
    return v;
  }

  /** a JSON number (a double: Threshold and the like) */
  num(key: string): number | undefined {
    const v = this.json[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw typeError(key, 'a number');
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.json[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw typeError(key, 'a boolean');
    return v;
  }

  strList(key: string): string[] | undefined {
    const v = this.json[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw typeError(key, 'a list of strings');
    return v as string[];
  }

  objList(key: string): Array<Record<string, unknown>> | undefined {
    const v = this.json[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'object' || x === null || Array.isArray(x)))
      throw typeError(key, 'a list of objects');
    return v as Array<Record<string, unknown>>;
  }

  /** a nested structure read with the same rules */
  child(value: Record<string, unknown>): JsonParams {
    return new JsonParams(value, this.protocol);
  }
}

// ---------------------------------------------------------------- pagination

/** An opaque page token holding the offset of the next item. */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64');
}

/** the offset in a token from `encodePageToken`, or undefined if the token is not one */
export function decodePageToken(token: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const o = (parsed as Record<string, unknown>).o;
    return typeof o === 'number' && Number.isInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}

/** one page of `items` starting at the token's offset */
export function page<T>(
  items: T[],
  maxResults: number,
  nextToken: string | undefined,
  invalidToken: () => SimError,
): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const o = decodePageToken(nextToken);
    if (o === undefined || o > items.length) throw invalidToken();
    start = o;
  }
  const end = start + maxResults;
  return { items: items.slice(start, end), nextToken: end < items.length ? encodePageToken(end) : undefined };
}
