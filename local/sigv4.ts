import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';

// SigV4 for the HTTP API (service `execute-api`) with the SDK's own signer (@smithy/signature-v4), both ways:
// the CLI signs its calls to a deployed stack, and `serve` verifies them the way API Gateway's IAM authorizer does
// (recomputes the signature over the headers the caller signed; an unknown key, a wrong signature or a request
// dated more than 5 minutes away is 403).

export const API_SERVICE = 'execute-api';
/** how far a request's X-Amz-Date may be from now (AWS: "Signature expired" past 5 minutes) */
export const MAX_SKEW_MS = 5 * 60 * 1000;

const sha256 = Hash.bind(null, 'sha256');

export interface PlainRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

function httpRequest(r: PlainRequest, headers: Record<string, string>): HttpRequest {
  return new HttpRequest({
    method: r.method,
    protocol: r.url.protocol,
    hostname: r.url.hostname,
    port: r.url.port ? Number(r.url.port) : undefined,
    path: r.url.pathname,
    query: Object.fromEntries(r.url.searchParams),
    headers: { ...headers, host: r.url.host },
    body: r.body,
  });
}

/** the request with its SigV4 headers (authorization, x-amz-date, x-amz-content-sha256, x-amz-security-token) */
export async function signRequest(
  r: PlainRequest,
  credentials: AwsCredentialIdentity,
  region: string,
  signingDate?: Date,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ credentials, region, service: API_SERVICE, sha256 });
  const signed = await signer.sign(httpRequest(r, r.headers), signingDate ? { signingDate } : {});
  return signed.headers;
}

export type Verdict = { ok: true; accessKeyId: string } | { ok: false; message: string };

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function amzDate(v: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v ?? '');
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

/** API Gateway's IAM authorizer, as far as the signature goes: who signed, and whether the signature holds */
export async function verifyRequest(
  r: PlainRequest,
  secretOf: (accessKeyId: string) => string | undefined,
  now = new Date(),
): Promise<Verdict> {
  const lower = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const m = AUTH.exec(lower.authorization ?? '');
  if (!m) return { ok: false, message: 'Missing Authentication Token' };
  const [, accessKeyId = '', , region = '', service, signedHeaders = '', signature = ''] = m;
  if (service !== API_SERVICE)
    return { ok: false, message: `Credential should be scoped to correct service: '${API_SERVICE}'.` };
  const secretAccessKey = secretOf(accessKeyId);
  if (secretAccessKey === undefined)
    return { ok: false, message: 'The security token included in the request is invalid.' };
  const date = amzDate(lower['x-amz-date']);
  if (!date)
    return {
      ok: false,
      message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    };
  if (Math.abs(now.getTime() - date.getTime()) > MAX_SKEW_MS)
    return {
      ok: false,
      message: `Signature expired: ${lower['x-amz-date']} is now earlier or later than 5 min. from now.`,
    };
  // exactly the headers the caller signed (the signer adds x-amz-date; the content hash only when it was signed)
  const names = signedHeaders.split(';');
  const declared = lower['x-amz-content-sha256'];
  if (
    declared !== undefined &&
    declared !==
      createHash('sha256')
        .update(r.body ?? '')
        .digest('hex')
  )
    return { ok: false, message: 'The provided x-amz-content-sha256 header does not match what was computed.' };
  const headers = Object.fromEntries(
    names.filter((n) => n !== 'host' && lower[n] !== undefined).map((n) => [n, lower[n] as string]),
  );
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey, sessionToken: lower['x-amz-security-token'] },
    region,
    service: API_SERVICE,
    sha256,
    applyChecksum: names.includes('x-amz-content-sha256'),
  });
  const again = await signer.sign(httpRequest(r, headers), { signingDate: date });
  const expected = /Signature=([0-9a-f]{64})/.exec(again.headers.authorization ?? '')?.[1] ?? '';
  const same = expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  if (!same)
    return {
      ok: false,
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    };
  return { ok: true, accessKeyId };
}
