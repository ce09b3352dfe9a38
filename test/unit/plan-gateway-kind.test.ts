import { chooseGatewayVSwitches, gatewayKindMismatch, gatewayModeOf } from '../../src/plan/gateway-kind';

// Which vSwitches CreateVpnGateway gets, and what topology to expect until the created gateway says what it is.

const TWO_ZONES = ['z-a', 'z-b'];
const VSWS = [
  { id: 'vsw-a1', zoneId: 'z-a' },
  { id: 'vsw-a2', zoneId: 'z-a' },
  { id: 'vsw-b1', zoneId: 'z-b' },
];
const base = { region: 'r-1', vpcId: 'vpc-1', zones: TWO_ZONES, vSwitches: VSWS };

describe('chooseGatewayVSwitches', () => {
  it('auto: two vSwitches in two zones, expecting a dual-tunnel gateway', () => {
    const r = chooseGatewayVSwitches({ ...base, mode: 'auto' });

    expect(r).toEqual({ vSwitchIds: ['vsw-a1', 'vsw-b1'], expected: 'dual-tunnel', errors: [], warnings: [] });
  });

  it('auto with vSwitches in one zone of a two-zone region: one vSwitch, single-tunnel expected, and a warning', () => {
    const r = chooseGatewayVSwitches({ ...base, mode: 'auto', vSwitches: VSWS.slice(0, 2) });

    expect(r.vSwitchIds).toEqual(['vsw-a1']);
    expect(r.expected).toBe('single-tunnel');
    expect(r.errors).toEqual([]);
    expect(r.warnings[0]?.path).toBe('alibaba.vSwitchIds');
  });

  it('dual-tunnel with vSwitches in one zone of a two-zone region: an error naming alibaba.vSwitchIds', () => {
    const r = chooseGatewayVSwitches({ ...base, mode: 'dual-tunnel', vSwitches: VSWS.slice(0, 2) });

    expect(r.errors).toEqual([expect.objectContaining({ path: 'alibaba.vSwitchIds' })]);
  });

  it('a single-zone region: two vSwitches of that zone make a dual-tunnel order', () => {
    const r = chooseGatewayVSwitches({ ...base, mode: 'dual-tunnel', zones: ['z-a'], vSwitches: VSWS.slice(0, 2) });

    expect(r).toEqual({ vSwitchIds: ['vsw-a1', 'vsw-a2'], expected: 'dual-tunnel', errors: [], warnings: [] });
  });

  it('single-tunnel: one vSwitch, and the second given one is ignored with a warning', () => {
    const r = chooseGatewayVSwitches({ ...base, mode: 'single-tunnel', given: ['vsw-b1', 'vsw-a1'] });

    expect(r.vSwitchIds).toEqual(['vsw-b1']);
    expect(r.expected).toBe('single-tunnel');
    expect(r.warnings).toHaveLength(1);
  });

  it('auto with two given vSwitches in one zone: an error (neither a dual-tunnel order nor a single one)', () => {
    const r = chooseGatewayVSwitches({ ...base, mode: 'auto', given: ['vsw-a1', 'vsw-a2'] });

    expect(r.errors).toEqual([expect.objectContaining({ path: 'alibaba.vSwitchIds' })]);
  });

  it('no vSwitch in a zone that offers gateways: an error', () => {
    const r = chooseGatewayVSwitches({ ...base, mode: 'auto', zones: ['z-c'] });

    expect(r.errors).toEqual([expect.objectContaining({ path: 'alibaba.vSwitchIds' })]);
    expect(r.vSwitchIds).toEqual([]);
  });
});

describe('gatewayKindMismatch', () => {
  it('accepts any gateway in auto mode and a gateway of the pinned kind', () => {
    expect(gatewayKindMismatch('auto', { id: 'vpn-1', kind: 'single-tunnel' })).toBeUndefined();
    expect(gatewayKindMismatch('dual-tunnel', { id: 'vpn-1', kind: 'dual-tunnel' })).toBeUndefined();
  });

  it('names the field, the gateway and what it is when the pinned kind differs', () => {
    const why = gatewayKindMismatch('dual-tunnel', { id: 'vpn-1', kind: 'single-tunnel' });

    expect(why).toContain('alibaba.gatewayMode is dual-tunnel');
    expect(why).toContain('vpn-1');
    expect(why).toContain('no disaster-recovery vSwitch or IP');
  });

  it('reads a record written before the field existed as auto', () => {
    expect(gatewayModeOf({ alibaba: {} })).toBe('auto');
  });
});
