import { createHash, createHmac, randomBytes } from 'node:crypto';

// Alibaba Cloud's V3 request signature (ACS3-HMAC-SHA256), as its API reference documents it
// (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature) and as the official
// runtime (@alicloud/openapi-core, `OpenApiUtil.getAuthorization`) computes it; test/unit/alibaba-acs3.test.ts pins
// this module's output to the runtime's for the same request. Pure apart from the clock and the nonce.

export const ALGORITHM = 'ACS3-HMAC-SHA256';

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  /** an STS session's token (a RAM role), sent as x-acs-security-token */
  securityToken?: string;
}

/** RFC 3986 percent-encoding: encodeURIComponent plus ! ' ( ) * */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** RPC parameters flattened the way the SDK flattens them: `Tags.1.Key`, `TunnelOptionsSpecification.1.RemoteCaCert` */
export function flatten(params: Record<string, unknown>, prefix = '', into: Record<string, string> = {}) {
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value))
      value.forEach((item, i) => {
        if (item === undefined || item === null) return;
        if (typeof item === 'object') flatten(item as Record<string, unknown>, `${name}.${i + 1}`, into);
        else into[`${name}.${i + 1}`] = String(item);
      });
    else if (typeof value === 'object') flatten(value as Record<string, unknown>, name, into);
    else into[name] = String(value);
  }
  return into;
}

/** `a=1&b=2` with keys sorted and values percent-encoded (the canonical query string; also the wire form) */
export function canonicalQuery(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((k) => `${k}=${percentEncode(query[k] ?? '')}`)
    .join('&');
}

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');

/** `2026-12-06T09:54:08Z` */
export function acsDate(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

export interface SignInput {
  method: string;
  host: string;
  pathname: string;
  query: Record<string, string>;
  /** every header to send; host, x-acs-* and content-type are signed */
  headers: Record<string, string>;
  body: string;
  key: AccessKey;
}

/** the headers to add to a request: payload hash, session token, Authorization */
export function sign(input: SignInput): Record<string, string> {
  const added: Record<string, string> = { 'x-acs-content-sha256': sha256Hex(input.body) };
  if (input.key.securityToken) {
    added['x-acs-accesskey-id'] = input.key.accessKeyId;
    added['x-acs-security-token'] = input.key.securityToken;
  }
  const all: Record<string, string> = { ...input.headers, ...added };
  const signed: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(all)) {
    const k = name.toLowerCase();
    if (k.startsWith('x-acs-') || k === 'host' || k === 'content-type')
      signed[k] = [...(signed[k] ?? []), value.trim()];
  }
  const names = Object.keys(signed).sort();
  const canonicalHeaders = names.map((k) => `${k}:${(signed[k] ?? []).sort().join(',')}\n`).join('');
  const canonicalRequest = [
    input.method,
    input.pathname,
    canonicalQuery(input.query),
    canonicalHeaders,
    names.join(';'),
    added['x-acs-content-sha256'],
  ].join('\n');
  const stringToSign = `${ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', input.key.accessKeySecret).update(stringToSign, 'utf8').digest('hex');
  added.Authorization = `${ALGORITHM} Credential=${input.key.accessKeyId},SignedHeaders=${names.join(';')},Signature=${signature}`;
  return added;
}

/** a fresh signature nonce */
export const nonce = (): string => randomBytes(16).toString('hex');
