import { MAX_SKEW_SECONDS } from './signature';

// A short-lived cache of the signatures of Slack requests already accepted (docs/chatops-security.md). Slack signs
// `v0:{timestamp}:{body}` and recommends refusing timestamps older than five minutes; inside those five minutes a
// captured request would verify again. Each accepted signature is kept until its timestamp leaves the window, and a
// second request with the same signature inside the window is a replay. Only requests whose signature verified are
// remembered (a forger cannot fill the cache), and the cache is bounded.
//
// It lives in the endpoint's process (a Lambda container): a replay that reaches another concurrent container is
// not seen by this one. Replayed commands stay harmless there too: a provisioning or teardown takes the connection's
// lock, so a replayed `up`/`down` joins the running operation or finds the connection gone.

/** entries kept at most (oldest first out): enough for a busy workspace's five minutes */
export const MAX_ENTRIES = 10_000;

export class ReplayCache {
  /** signature -> epoch second after which its timestamp is stale anyway */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowSeconds = MAX_SKEW_SECONDS,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  /**
   * Remember a verified request; false when the same signature was already accepted within the window (a replay).
   * `timestamp` and `now` are epoch seconds.
   */
  accept(signature: string, timestamp: number, now: number): boolean {
    this.evict(now);
    const until = this.seen.get(signature);
    if (until !== undefined && until >= now) return false;
    this.seen.delete(signature);
    this.seen.set(signature, Math.max(timestamp, now) + this.windowSeconds);
    while (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private evict(now: number): void {
    for (const [sig, until] of this.seen) if (until < now) this.seen.delete(sig);
  }
}
