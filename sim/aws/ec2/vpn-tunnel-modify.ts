import type { AwsTunnelOptions } from '../../types';
import { type Ec2Call, lookup } from './call';
import { assumedIncorrectState, bad, dryRun, missing } from './errors';
import { Params } from './params';
import { insideCidrProblem, parseTunnel } from './tunnel-options';
import { checkPskStorage, gatewayOf, vpnXml } from './vpn-connections';
import type { XmlObject } from './xml';

// ModifyVpnTunnelOptions (the EC2 API reference): changes the options of ONE tunnel, named by its outside IP
// ("you can only modify one tunnel at a time"). Options not given keep their values; a list given replaces the list.
// The change replaces the tunnel's endpoint (the user guide's "Tunnel endpoint replacements": "The modified tunnel is
// unavailable during the update"): the connection is `modifying` (Terraform's waiter for this call) and that tunnel is
// down until `aws.vpnTunnel.replace` elapsed; the other tunnel keeps working. The outside IP does not change. A second
// modification while one runs is refused (assumed code: IncorrectState). SkipTunnelReplacement only applies to a change
// of EnableTunnelLifecycleControl alone (the API reference), which then replaces nothing.

/** the stored options of a tunnel, written back as a request (the spelling parseTunnel reads) */
function asRequest(t: AwsTunnelOptions): Record<string, string> {
  const out: Record<string, string> = {
    TunnelInsideCidr: t.TunnelInsideCidr,
    PreSharedKey: t.PreSharedKey,
    Phase1LifetimeSeconds: String(t.Phase1LifetimeSeconds),
    Phase2LifetimeSeconds: String(t.Phase2LifetimeSeconds),
    RekeyMarginTimeSeconds: String(t.RekeyMarginTimeSeconds),
    RekeyFuzzPercentage: String(t.RekeyFuzzPercentage),
    ReplayWindowSize: String(t.ReplayWindowSize),
    DPDTimeoutSeconds: String(t.DpdTimeoutSeconds),
    DPDTimeoutAction: t.DpdTimeoutAction,
    StartupAction: t.StartupAction,
    EnableTunnelLifecycleControl: String(t.EnableTunnelLifecycleControl),
  };
  const list = (name: string, values: Array<string | number>) =>
    values.forEach((v, i) => {
      out[`${name}.${i + 1}.Value`] = String(v);
    });
  list('Phase1EncryptionAlgorithm', t.Phase1EncryptionAlgorithms);
  list('Phase2EncryptionAlgorithm', t.Phase2EncryptionAlgorithms);
  list('Phase1IntegrityAlgorithm', t.Phase1IntegrityAlgorithms);
  list('Phase2IntegrityAlgorithm', t.Phase2IntegrityAlgorithms);
  list('Phase1DHGroupNumber', t.Phase1DHGroupNumbers);
  list('Phase2DHGroupNumber', t.Phase2DHGroupNumbers);
  list('IKEVersion', t.IkeVersions);
  return out;
}

const LISTS = [
  'Phase1EncryptionAlgorithm',
  'Phase2EncryptionAlgorithm',
  'Phase1IntegrityAlgorithm',
  'Phase2IntegrityAlgorithm',
  'Phase1DHGroupNumber',
  'Phase2DHGroupNumber',
  'IKEVersion',
];

/** the request's keys over the stored ones: scalars one by one, a list as a whole */
function merged(current: AwsTunnelOptions, given: Params): Params {
  const kept = Object.entries(asRequest(current)).filter(([k]) => {
    const list = LISTS.find((l) => k.startsWith(`${l}.`));
    return list ? given.absent(list) : given.str(k) === undefined;
  });
  return new Params({ ...Object.fromEntries(kept), ...given.entries() }, 'TunnelOptions');
}

export function modifyVpnTunnelOptions(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const id = p.required('VpnConnectionId');
  const outsideIp = p.required('VpnTunnelOutsideIpAddress');
  checkPskStorage(p);
  if (p.absent('TunnelOptions')) throw missing('TunnelOptions');
  const given = p.sub('TunnelOptions');
  const conn = lookup(call, 'vpn-connection', region.vpnConnections, id);
  const index = conn.TunnelOptions.findIndex((t) => t.OutsideIpAddress === outsideIp);
  const current = conn.TunnelOptions[index];
  if (!current)
    throw bad(`Invalid value '${outsideIp}' for VpnTunnelOutsideIpAddress: no tunnel of ${id} has this outside IP`);
  const next = parseTunnel(index + 1, merged(current, given));
  const inside = next.TunnelInsideCidr ?? current.TunnelInsideCidr;
  if (inside !== current.TunnelInsideCidr) {
    const problem = insideCidrProblem(inside);
    if (problem) throw bad(`Invalid value for TunnelInsideCidr: ${problem}`);
    const gateway = gatewayOf(conn);
    const taken = Object.values(region.vpnConnections).some(
      (c) =>
        c.State !== 'deleted' &&
        gatewayOf(c) === gateway &&
        c.TunnelOptions.some((t, i) => t.TunnelInsideCidr === inside && !(c === conn && i === index)),
    );
    if (taken) throw bad(`Invalid value for TunnelInsideCidr: ${inside} is already in use on ${gateway}`);
  }
  const lifecycleOnly = onlyLifecycle(given);
  const skip = p.bool('SkipTunnelReplacement') === true;
  if (skip && !lifecycleOnly)
    throw bad('SkipTunnelReplacement applies only to a change of EnableTunnelLifecycleControl alone');
  // one modification at a time: the connection must be available (assumed code)
  if (conn.State !== 'available')
    throw assumedIncorrectState(
      `The VPN connection '${id}' is in state '${conn.State}'; it must be 'available' to modify a tunnel.`,
    );
  if (p.dryRun()) throw dryRun();

  conn.TunnelOptions[index] = {
    ...next,
    OutsideIpAddress: current.OutsideIpAddress,
    TunnelInsideCidr: inside,
    PreSharedKey: next.PreSharedKey ?? current.PreSharedKey,
  };
  if (!(skip && lifecycleOnly)) {
    conn.State = 'modifying';
    conn.Replacing = (index + 1) as 1 | 2;
    ctx.after('aws.vpnTunnel.replace', `vpn ${id} tunnel ${index + 1} endpoint replaced`, () => {
      if (conn.State !== 'modifying') return;
      conn.State = 'available';
      conn.Replacing = undefined;
    });
  }
  return { vpnConnection: vpnXml(call, conn) };
}

/** the request changes nothing but EnableTunnelLifecycleControl */
function onlyLifecycle(given: Params): boolean {
  return given.str('EnableTunnelLifecycleControl') !== undefined && Object.keys(flatKeys(given)).length === 1;
}

function flatKeys(p: Params): Record<string, true> {
  const out: Record<string, true> = {};
  for (const k of [
    'TunnelInsideCidr',
    'PreSharedKey',
    'Phase1LifetimeSeconds',
    'Phase2LifetimeSeconds',
    'RekeyMarginTimeSeconds',
    'RekeyFuzzPercentage',
    'ReplayWindowSize',
    'DPDTimeoutSeconds',
    'DPDTimeoutAction',
    'StartupAction',
    'EnableTunnelLifecycleControl',
    'TunnelInsideIpv6Cidr',
  ])
    if (p.str(k) !== undefined) out[k] = true;
  for (const l of LISTS) if (!p.absent(l)) out[l] = true;
  if (!p.absent('LogOptions')) out.LogOptions = true;
  return out;
}
