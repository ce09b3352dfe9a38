// The neutral description of one IKE tunnel end, as a strongSwan daemon would run it. Pure data: the mapping
// modules (aws-end.ts, alibaba-end.ts) fill it from what each cloud's API holds, swanctl-conf.ts renders it.
// docs/ike-mapping.md has the table of every line and its source.

export type IkeVersionNumber = 0 | 1 | 2;
/** what strongSwan does after a DPD timeout (swanctl.conf children.<child>.dpd_action) */
export type DpdAction = 'clear' | 'restart' | 'trap';
/** swanctl.conf children.<child>.start_action */
export type StartAction = 'none' | 'start' | 'trap';

/** what one cloud holds for one AWS tunnel (EC2 DescribeVpnConnections Options.TunnelOptions[i], response spelling) */
export interface AwsTunnelState {
  outsideIp: string;
  /** IpAddress of the AWS customer gateway behind the VPN connection */
  customerGatewayIp: string;
  /** secret: only ever written into the harness's private config files */
  psk: string;
  ikeVersions: string[];
  phase1Encryption: string[];
  phase1Integrity: string[];
  phase1DhGroups: number[];
  phase2Encryption: string[];
  phase2Integrity: string[];
  phase2DhGroups: number[];
  phase1LifetimeSeconds: number;
  phase2LifetimeSeconds: number;
  rekeyMarginTimeSeconds: number;
  rekeyFuzzPercentage: number;
  dpdTimeoutSeconds: number;
  dpdTimeoutAction: string;
  startupAction: string;
  /** VPN connection LocalIpv4NetworkCidr (customer side) / RemoteIpv4NetworkCidr (AWS side) */
  localIpv4NetworkCidr: string;
  remoteIpv4NetworkCidr: string;
}

/** what Alibaba holds for one IPsec tunnel (DescribeVpnConnection: TunnelOptions[i] or the single-tunnel top level) */
export interface AlibabaTunnelState {
  /** the gateway IP the tunnel leaves from (TunnelOptions[i].InternetIp, or the gateway InternetIp) */
  sourceIp: string;
  /** IpAddress of the tunnel's Alibaba customer gateway */
  customerGatewayIp: string;
  psk: string;
  ikeVersion: string;
  ikeMode: string;
  ikeEncAlg: string;
  ikeAuthAlg: string;
  ikePfs: string;
  ikeLifetime: number;
  /** '' = Alibaba's default (the gateway IP) */
  localId: string;
  /** '' = Alibaba's default (the customer gateway IP) */
  remoteId: string;
  ipsecEncAlg: string;
  ipsecAuthAlg: string;
  ipsecPfs: string;
  ipsecLifetime: number;
  enableDpd: boolean;
  enableNatTraversal: boolean;
  /** connection level: comma-separated CIDRs */
  localSubnet: string;
  remoteSubnet: string;
  effectImmediately: boolean;
}

export interface IkeEnd {
  cloud: 'aws' | 'alibaba';
  /** swanctl connection and child name */
  name: string;
  /** 0 = either (strongSwan initiates IKEv2) */
  version: IkeVersionNumber;
  aggressive: boolean;
  localAddr: string;
  remoteAddr: string;
  localId: string;
  remoteId: string;
  /** secret */
  psk: string;
  /** IKE (phase 1) proposals, strongSwan syntax, preferred first */
  proposals: string[];
  /** ESP (phase 2) proposals */
  espProposals: string[];
  /** IKE SA: rekey (IKEv2) / reauthentication (IKEv1) timing, seconds */
  ike: { rekeyTime: number; overTime: number; randTime: number };
  /** CHILD SA timing, seconds */
  child: { rekeyTime: number; lifeTime: number; randTime: number };
  /** delay 0 = no DPD probes; timeout applies to IKEv1, IKEv2 uses the retransmission settings */
  dpd: { delay: number; timeout: number; action: DpdAction };
  /** strongswan.conf retransmission: the IKEv2 DPD timeout is the time these take to give up */
  retransmit: { tries: number; timeout: number; base: number };
  startAction: StartAction;
  localTs: string[];
  remoteTs: string[];
  /** settings the provider has that strongSwan cannot express, or that were approximated */
  notes: string[];
}
