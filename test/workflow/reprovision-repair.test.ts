import { DeleteRouteEntryRequest, DeleteVpnRouteEntryRequest } from '@alicloud/vpc20160428';
import { clientsFor } from '../helpers/sim';
import { freshWorld, inventory, type LocalWorld, provision, spec, useLocalWorld } from '../helpers/workflow';

// A re-POST of an existing connection re-runs provisioning: it must restore what is missing. Alibaba answers a
// ClientToken it has seen with its first answer, and changes nothing, even after the resource was deleted (the VPC
// API's "How to ensure idempotence"); a re-run that sent the first run's tokens would be told "created" and restore
// nothing. Each provisioning run has its own tokens.

const world = useLocalWorld(1000);

function alibabaRegion(w: LocalWorld, region: string) {
  const r = w.sim.ctx.state.alibaba.regions[region];
  if (!r) throw new Error(`no region ${region}`);
  return r;
}

describe.each(['eu-central-1', 'me-east-1'])('a re-POST after parts were deleted by hand (Alibaba %s)', (region) => {
  it('restores the Alibaba VPC route entry and ends ACTIVE', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { alibabaRegion: region });
    expect((await provision(w, s)).status).toBe('ACTIVE');
    const before = inventory(w.sim);
    const entry = Object.values(alibabaRegion(w, region).routeEntries).find(
      (e) => e.DestinationCidrBlock === s.aws.cidr && e.NextHopType === 'VpnGateway',
    );
    if (!entry) throw new Error('no VPC route entry to the VPN gateway');
    await clientsFor(w.sim)
      .alibaba(region)
      .deleteRouteEntry(new DeleteRouteEntryRequest({ regionId: region, routeEntryId: entry.RouteEntryId }));
    w.sim.advance(60);
    expect(inventory(w.sim).alibabaVpcRoutes).toBe(before.alibabaVpcRoutes - 1);

    // Act
    const again = await provision(w, s);

    // Assert
    expect(again.status).toBe('ACTIVE');
    expect(inventory(w.sim)).toEqual(before);
    const restored = Object.values(alibabaRegion(w, region).routeEntries).find(
      (e) => e.DestinationCidrBlock === s.aws.cidr && e.NextHopType === 'VpnGateway',
    );
    expect(restored).toEqual(expect.objectContaining({ Status: 'Available' }));
  });

  it('restores the Alibaba VPN route entries and ends ACTIVE', async () => {
    // Prepare
    const w = world();
    await freshWorld(w);
    const s = await spec(w, { alibabaRegion: region });
    expect((await provision(w, s)).status).toBe('ACTIVE');
    const before = inventory(w.sim);
    const ali = clientsFor(w.sim).alibaba(region);
    for (const e of [...alibabaRegion(w, region).vpnRouteEntries]) {
      await ali.deleteVpnRouteEntry(
        new DeleteVpnRouteEntryRequest({
          regionId: region,
          vpnGatewayId: e.VpnInstanceId,
          routeDest: e.RouteDest,
          nextHop: e.NextHop,
          weight: e.Weight,
          overlayMode: 'Ipsec',
        }),
      );
      w.sim.advance(60);
    }
    expect(inventory(w.sim).alibabaVpnRoutes).toBe(0);

    // Act
    const again = await provision(w, s);

    // Assert
    expect(again.status).toBe('ACTIVE');
    expect(inventory(w.sim)).toEqual(before);
  });
});
