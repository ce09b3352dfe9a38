import type { SimContext } from './core/context';

// PLACEHOLDER: the tunnel negotiation model (written next).
export class NegotiationModel {
  constructor(private readonly ctx: SimContext) {}
  refresh(_now: number): void {}
  reset(): void {}
  report(): unknown[] {
    return [];
  }
  forceKey(o: Record<string, unknown>): string {
    return `aws:${String(o.vpnConnectionId)}:${String(o.tunnel)}`;
  }
}
