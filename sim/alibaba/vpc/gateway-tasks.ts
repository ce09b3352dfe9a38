import { SimError } from '../../core/errors';
import type { AliRegionState, AliVpnGateway } from '../../types';
import type { Call } from './common';
import { vpnGatewayNotFound } from './errors';

// Per-gateway serialization (docs/sources.md#alibaba-cloud-alibaba): every mutating VPN call needs an `active` gateway, moves it
// to `updating`, and the gateway returns to `active` after the `alibaba.vpnGateway.update` latency.

export function findGateway(r: AliRegionState, id: string): AliVpnGateway {
  const gw = r.vpnGateways[id];
  if (!gw) throw vpnGatewayNotFound(id);
  return gw;
}

/**
 * Rejects a change unless the gateway is `active`: `updating` -> 400 VpnGateway.Configuring (documented);
 * `init` (unpaid order), `provisioning`, `deleting` -> 400 IncorrectStatus.VpnGateway (the code exists, its
 * exact use is unconfirmed).
 */
export function assertGatewayIdle(gw: AliVpnGateway): void {
  if (gw.Status === 'active') return;
  if (gw.Status === 'updating')
    throw new SimError('VpnGateway.Configuring', 'The specified service is configuring.', 400);
  throw new SimError(
    'IncorrectStatus.VpnGateway',
    `The status of the VPN gateway ${gw.VpnGatewayId} is ${gw.Status}; the operation needs an active gateway.`,
    400,
  );
}

/** accept a change: the gateway is `updating` until the update latency elapsed, then `done` runs */
export function startGatewayChange(
  call: Call,
  r: AliRegionState,
  gw: AliVpnGateway,
  label: string,
  done: () => void,
): void {
  gw.Status = 'updating';
  const id = gw.VpnGatewayId;
  call.ctx.after('alibaba.vpnGateway.update', `${id} ${label}`, () => {
    const g = r.vpnGateways[id];
    if (!g) return;
    if (g.Status === 'updating') g.Status = 'active';
    done();
  });
}
