import { pollWhileNotReady, simulatedTimeScale } from '../../functions/lib/poll';
import { allStates, loadDefinition } from '../../local/runner';
import { POLL_BUDGET, waitSeconds } from '../../scripts/statemachines';
import { DEFAULT_LATENCIES } from '../../sim/core/latencies';
import { NotReady, Throttled } from '../../src/errors';
import { PROVIDER_LATENCIES } from '../../src/plan/latencies';

// The waits: the product plans them around the same provider latencies the simulator models; a Wait state covers
// most of a latency and the task checks for the rest without failing while the resource is merely not ready.

describe('the provider latencies the waits plan around', () => {
  it('are the latencies the simulator models, key for key', () => {
    // Assert
    expect(PROVIDER_LATENCIES).toEqual(DEFAULT_LATENCIES);
  });

  it('give every provisioning wait a Wait state ending one check interval before the typical moment', () => {
    // Prepare
    const def = loadDefinition('provision.asl.json');
    const waits = Object.fromEntries(
      allStates(def as never)
        .filter(([, s]) => s.Type === 'Wait')
        .map(([name, s]) => [name, s.Seconds]),
    );

    // Assert
    expect(waits.AlibabaWaitGatewayTypical).toBe(PROVIDER_LATENCIES['alibaba.vpnGateway.create'] - 1);
    expect(waits.AwsWaitVpnConnectionsTypical).toBe(PROVIDER_LATENCIES['aws.vpnConnection.create'] - 1);
    expect(waits.AwsWaitCustomerGatewaysTypical).toBe(PROVIDER_LATENCIES['aws.customerGateway.create'] - 1);
    expect(waits.AwsWaitVgwTypical).toBe(PROVIDER_LATENCIES['aws.vpnGateway.create'] - 2);
  });

  it('skips the Wait state when what is left of the latency is shorter than two checks', () => {
    // Assert
    expect(waitSeconds({ latency: 'aws.vpnConnectionRoute.create', every: 2 })).toBe(0);
    expect(waitSeconds({ latency: 'tunnel.negotiation', elapsed: 6, every: 1 })).toBe(13);
    expect(waitSeconds({})).toBe(0);
  });
});

describe('pollWhileNotReady', () => {
  const fast = <T>(fn: () => Promise<T>) => simulatedTimeScale.run(1000, fn);

  it('checks again while the step answers NotReady and returns what it returns once ready', async () => {
    // Prepare
    let calls = 0;
    const check = async () => {
      calls++;
      if (calls < 4) throw new NotReady('pending');
      return { ready: true };
    };

    // Act
    const out = await fast(() => pollWhileNotReady(check, { everySeconds: 2, forSeconds: POLL_BUDGET }));

    // Assert
    expect(out).toEqual({ ready: true });
    expect(calls).toBe(4);
  });

  it('throws the last NotReady once the budget is spent (1 + budget / interval checks)', async () => {
    // Prepare
    let calls = 0;
    const check = async (): Promise<never> => {
      calls++;
      throw new NotReady(`pending ${calls}`);
    };

    // Act
    const run = fast(() => pollWhileNotReady(check, { everySeconds: 5, forSeconds: 20 }));

    // Assert
    await expect(run).rejects.toThrow('pending 5');
    expect(calls).toBe(5);
  });

  it('lets every other error leave at once', async () => {
    // Prepare
    let calls = 0;
    const check = async (): Promise<never> => {
      calls++;
      throw new Throttled('slow down');
    };

    // Act
    const run = fast(() => pollWhileNotReady(check, { everySeconds: 1, forSeconds: 20 }));

    // Assert
    await expect(run).rejects.toMatchObject({ name: 'Throttled' });
    expect(calls).toBe(1);
  });

  it('checks once without a plan (a task input without `poll`)', async () => {
    // Prepare
    let calls = 0;
    const check = async (): Promise<never> => {
      calls++;
      throw new NotReady('pending');
    };

    // Act
    const run = pollWhileNotReady(check, undefined);

    // Assert
    await expect(run).rejects.toMatchObject({ name: 'NotReady' });
    expect(calls).toBe(1);
  });

  it('pauses on the simulated clock when a local run gives its time scale', async () => {
    // Prepare
    let calls = 0;
    const check = async () => {
      calls++;
      if (calls < 3) throw new NotReady('pending');
      return 'ok';
    };
    const t0 = performance.now();

    // Act: two 20 s pauses at time scale 1000 take 40 ms, not 40 s
    await simulatedTimeScale.run(1000, () => pollWhileNotReady(check, { everySeconds: 20, forSeconds: 50 }));

    // Assert
    expect(calls).toBe(3);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(35);
  });
});
