import { createHmac, timingSafeEqual } from 'node:crypto';

// Slack request signing (docs/sources.md#the-article-and-the-interoperability-guides-interop): `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`),
// compared in constant time; a timestamp more than 5 minutes from now (either direction) is refused (replay).

export const MAX_SKEW_SECONDS = 5 * 60;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature' };

export function slackSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`v0:${timestamp}:`, 'utf8');
  mac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
  return `v0=${mac.digest('hex')}`;
}

export function verifySlackSignature(o: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  /** epoch seconds now */
  now: number;
}): SignatureCheck {
  if (!o.timestamp || !o.signature || !o.secret) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(o.timestamp)) return { ok: false, reason: 'bad-timestamp' };
  if (Math.abs(o.now - Number(o.timestamp)) > MAX_SKEW_SECONDS) return { ok: false, reason: 'stale-timestamp' };
  const expected = Buffer.from(slackSignature(o.secret, o.timestamp, o.rawBody), 'utf8');
  const given = Buffer.from(o.signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length difference says nothing about the secret
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-signature' };
  return { ok: true };
}
