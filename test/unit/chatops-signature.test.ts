import { createHmac } from 'node:crypto';
import { MAX_SKEW_SECONDS, slackSignature, verifySlackSignature } from '../../src/chatops/signature';

// Slack request signing (docs/sources.md#the-article-and-the-interoperability-guides-interop), checked against an HMAC computed independently here.

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = 1_767_000_000;
const BODY =
  'token=x&team_id=T1&user_id=U1&command=%2Fvpn&text=status+gdn-china&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1';

function sign(body: string, ts: number, secret = SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

function check(o: { body?: string | Buffer; ts?: string; sig?: string; now?: number }) {
  return verifySlackSignature({
    secret: SECRET,
    timestamp: o.ts ?? String(NOW),
    signature: o.sig ?? sign(BODY, NOW),
    rawBody: o.body === undefined ? Buffer.from(BODY) : Buffer.from(o.body),
    now: o.now ?? NOW,
  });
}

describe('verifySlackSignature', () => {
  it('accepts a request signed with the signing secret', () => {
    // Assert
    expect(check({})).toEqual({ ok: true });
    expect(slackSignature(SECRET, String(NOW), BODY)).toBe(sign(BODY, NOW));
  });

  it('refuses a signature made with another secret', () => {
    // Act
    const r = check({ sig: sign(BODY, NOW, 'another-secret') });

    // Assert
    expect(r).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a body changed after signing', () => {
    // Act
    const r = check({ body: BODY.replace('status', 'down') });

    // Assert
    expect(r).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a signature of a different length or format without throwing', () => {
    // Assert
    expect(check({ sig: 'v0=abc' })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(check({ sig: sign(BODY, NOW).toUpperCase() })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses timestamps more than five minutes old or ahead, even when correctly signed', () => {
    // Prepare
    const old = NOW - MAX_SKEW_SECONDS - 1;
    const ahead = NOW + MAX_SKEW_SECONDS + 1;

    // Act
    const stale = check({ ts: String(old), sig: sign(BODY, old) });
    const future = check({ ts: String(ahead), sig: sign(BODY, ahead) });
    const edge = check({ ts: String(NOW - MAX_SKEW_SECONDS), sig: sign(BODY, NOW - MAX_SKEW_SECONDS) });

    // Assert
    expect(stale).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(future).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(edge).toEqual({ ok: true });
  });

  it('refuses missing headers and non-numeric timestamps', () => {
    // Assert
    expect(
      verifySlackSignature({
        secret: SECRET,
        timestamp: undefined,
        signature: 'v0=1',
        rawBody: Buffer.from(BODY),
        now: NOW,
      }),
    ).toEqual({
      ok: false,
      reason: 'missing-headers',
    });
    expect(check({ ts: `${NOW}.5`, sig: sign(BODY, NOW) })).toEqual({ ok: false, reason: 'bad-timestamp' });
  });

  it('signs the raw bytes, so a body with non-ASCII text verifies byte for byte', () => {
    // Prepare
    const body = 'text=status+caf%C3%A9&user_name=J%C3%BCrgen';

    // Act
    const r = verifySlackSignature({
      secret: SECRET,
      timestamp: String(NOW),
      signature: sign(body, NOW),
      rawBody: Buffer.from(body, 'utf8'),
      now: NOW,
    });

    // Assert
    expect(r).toEqual({ ok: true });
  });
});
