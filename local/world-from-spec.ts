import ipaddr from 'ipaddr.js';
import type { WorldDefinitionInput } from '../sim/core/world-definition';
import type { ConnectionSpec } from '../src/spec';
import { alibabaCidrsOf, awsCidrsOf } from '../src/spec/schema';

// `vpn-bridge sim --world-from-spec spec.yaml`: the world a spec expects, with the spec's own ids (VPCs, route
// tables, vSwitches), so the spec rehearses unchanged before it runs for real. The Alibaba region's gateway kind
// follows the spec's gatewayMode (auto: dual-tunnel, Alibaba's default today); vSwitches the spec does not name are
// two, in two zones, carved from the VPC's CIDR.

function subnet(cidr: string, index: number): string {
  const [ip = '0.0.0.0', len = '16'] = cidr.split('/');
  const prefix = Number(len);
  const sub = Math.min(prefix + 4, 29);
  const base = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const n = base + index * 2 ** (32 - sub);
  return `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')}/${sub}`;
}

/** the smallest CIDR that holds every one of `cidrs` (an Alibaba VPC has one CIDR; the spec may route several inside it) */
function covering(cidrs: string[]): string {
  const parsed = cidrs.map((c) => ipaddr.IPv4.parseCIDR(c));
  const [first] = parsed;
  if (!first) return '10.0.0.0/16';
  for (let len = Math.min(...parsed.map(([, l]) => l)); len >= 0; len--)
    if (parsed.every(([ip]) => ip.match(first[0], len)))
      return `${ipaddr.IPv4.networkAddressFromCIDR(`${first[0].toString()}/${len}`).toString()}/${len}`;
  return '0.0.0.0/0';
}

export function worldFromSpec(spec: ConnectionSpec): WorldDefinitionInput {
  const region = spec.alibaba.region;
  const zones = ['a', 'b'].map((z) => (/\d$/.test(region) ? `${region}${z}` : `${region}-${z}`));
  const vsw = spec.alibaba.vSwitchIds ?? [undefined, undefined];
  const rtbs = spec.aws.routeTableIds;
  const aliCidr = covering(alibabaCidrsOf(spec));
  return {
    aws: {
      [spec.aws.region]: {
        vpcs: [
          {
            id: spec.aws.vpcId,
            name: `${spec.name}-aws`,
            cidrs: awsCidrsOf(spec),
            routeTables: rtbs ? rtbs.map((id, i) => ({ id, main: i === 0 })) : undefined,
          },
        ],
      },
    },
    alibaba: {
      [region]: {
        gatewayKind: spec.alibaba.gatewayMode === 'single-tunnel' ? 'single-tunnel' : 'dual-tunnel',
        zones,
        vpcs: [
          {
            id: spec.alibaba.vpcId,
            name: `${spec.name}-alibaba`,
            cidr: aliCidr,
            routeTableId: spec.alibaba.routeTableId,
            vSwitches: vsw.map((id, i) => ({ id, cidr: subnet(aliCidr, i), zone: zones[i % 2] ?? region })),
          },
        ],
      },
    },
  };
}
