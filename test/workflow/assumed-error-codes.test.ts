import { operatorDeps } from '../../local/operator';
import { isVpnBridgeError } from '../../src/errors';
import {
  alibabaDeleteCustomerGateways,
  alibabaDeleteGateway,
  alibabaDeleteNextConnection,
  awsDeleteCustomerGateways,
  awsDeleteVgw,
} from '../../src/workflow/teardown';
import { freshWorld, inventory, type LocalWorld, provision, spec, teardown, useLocalWorld } from '../helpers/workflow';

// Several codes the simulator answers are assumed: no provider document gives them for the case (docs/error-codes.md;
// DependencyViolation.* on Alibaba deletes, IncorrectState for a customer gateway in use, ...). With
// `assumedErrorCodes: 'unknown'` the simulator answers each of them as a code nothing recognises. Where the order of
// deletes matters, a teardown step must decide from state it re-reads, not from the refusal: run early (before what
// depends on its target is gone) it waits (NotReady); the whole teardown ends DELETED with nothing left.

const world = useLocalWorld(1000);

async function active(w: LocalWorld, region: string) {
  await freshWorld(w);
  const s = await spec(w, { alibabaRegion: region });
  expect((await provision(w, s)).status).toBe('ACTIVE');
  w.sim.configure({ assumedErrorCodes: 'unknown' });
  w.sim.metrics.reset();
  return s;
}

/** the name of the error a step fails with ('ok' when it does not) */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (e) {
    return isVpnBridgeError(e) ? e.name : `${(e as Error).name}: ${(e as Error).message}`;
  }
}

afterEach(() => world().sim.configure({ assumedErrorCodes: 'as-is' }));

describe('a teardown step run before what depends on its target is gone', () => {
  const early = [
    ['alibabaDeleteGateway (IPsec connections still on the gateway)', alibabaDeleteGateway],
    ['alibabaDeleteNextConnection (VPN route entries still use the connection)', alibabaDeleteNextConnection],
    ['alibabaDeleteCustomerGateways (an IPsec connection still uses them)', alibabaDeleteCustomerGateways],
    ['awsDeleteCustomerGateways (VPN connections still use them)', awsDeleteCustomerGateways],
    ['awsDeleteVgw (still attached, VPN connections on it)', awsDeleteVgw],
  ] as const;

  it.each(early)('%s waits (NotReady), decided from re-read state, and deletes nothing', async (_what, step) => {
    // Prepare
    const w = world();
    const s = await active(w, 'eu-central-1');
    const before = inventory(w.sim);

    // Act
    const result = await outcome(() => step(operatorDeps(), { name: s.name }));

    // Assert
    expect(result).toBe('NotReady');
    expect(inventory(w.sim)).toEqual(before);
  });
});

describe.each(['eu-central-1', 'me-east-1'])(
  'with every assumed code answered as an unknown one (Alibaba %s)',
  (region) => {
    it('a teardown ends DELETED with nothing left', async () => {
      // Prepare
      const w = world();
      const s = await active(w, region);

      // Act
      const report = await teardown(w, s.name);

      // Assert
      expect(report.status).toBe('DELETED');
      expect(inventory(w.sim)).toEqual(Object.fromEntries(Object.keys(inventory(w.sim)).map((k) => [k, 0])));
    });

    it('a teardown whose deletes lose their answers (each retried) ends DELETED with nothing left', async () => {
      // Prepare
      const w = world();
      const s = await active(w, region);
      const deletes = [
        'DeleteVpnConnection',
        'DeleteCustomerGateway',
        'DeleteVpnRouteEntry',
        'DeleteRouteEntry',
        'DeleteVpnGateway',
      ];
      await w.access.admin(
        'POST',
        '/_sim/faults',
        deletes.map((action) => ({ service: 'alibaba-vpc', action, kind: 'lost-response', count: 1 })),
      );

      // Act
      const report = await teardown(w, s.name);

      // Assert
      expect(report.status).toBe('DELETED');
      expect(inventory(w.sim)).toEqual(Object.fromEntries(Object.keys(inventory(w.sim)).map((k) => [k, 0])));
    });
  },
);
