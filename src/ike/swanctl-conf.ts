import type { IkeEnd } from './types';

// Renders an IkeEnd as the two files one charon daemon reads: its swanctl.conf (connection + secret) and its
// strongswan.conf (plugins, retransmission = the IKEv2 DPD timeout). Pure: the caller decides where the files
// go (the PSK is in the swanctl.conf: private files only). Syntax: https://docs.strongswan.org/docs/5.9/swanctl/swanctlConf.html

/** identities and addresses contain no quote or backslash here, but quote them so spaces stay one value */
function quoted(v: string): string {
  if (/["\\\n]/.test(v)) throw new Error(`value ${JSON.stringify(v)} cannot be written into swanctl.conf`);
  return `"${v}"`;
}

/** the secret as hex (`0x...`): any byte survives, nothing needs escaping */
function hexSecret(psk: string): string {
  return `0x${Buffer.from(psk, 'utf8').toString('hex')}`;
}

export function swanctlConf(end: IkeEnd): string {
  const lines = [
    'connections {',
    `  ${end.name} {`,
    `    version = ${end.version}`,
    `    aggressive = ${end.aggressive ? 'yes' : 'no'}`,
    `    local_addrs = ${end.localAddr}`,
    `    remote_addrs = ${end.remoteAddr}`,
    `    proposals = ${end.proposals.join(', ')}`,
    `    rekey_time = ${end.ike.rekeyTime}s`,
    `    over_time = ${end.ike.overTime}s`,
    `    rand_time = ${end.ike.randTime}s`,
    `    dpd_delay = ${end.dpd.delay}s`,
    `    dpd_timeout = ${end.dpd.timeout}s`,
    '    mobike = no',
    '    local {',
    '      auth = psk',
    `      id = ${quoted(end.localId)}`,
    '    }',
    '    remote {',
    '      auth = psk',
    `      id = ${quoted(end.remoteId)}`,
    '    }',
    '    children {',
    `      ${end.name} {`,
    `        local_ts = ${end.localTs.join(', ')}`,
    `        remote_ts = ${end.remoteTs.join(', ')}`,
    `        esp_proposals = ${end.espProposals.join(', ')}`,
    `        rekey_time = ${end.child.rekeyTime}s`,
    `        life_time = ${end.child.lifeTime}s`,
    `        rand_time = ${end.child.randTime}s`,
    `        dpd_action = ${end.dpd.action}`,
    `        start_action = ${end.startAction}`,
    '      }',
    '    }',
    '  }',
    '}',
    'secrets {',
    // no ids: the one secret of this daemon belongs to its one tunnel, as each cloud binds a PSK to a tunnel
    `  ike-${end.name} {`,
    `    secret = ${hexSecret(end.psk)}`,
    '  }',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** the daemon's strongswan.conf (charon-systemd reads the `charon-systemd` section) */
export function strongswanConf(end: IkeEnd): string {
  return [
    'charon-systemd {',
    '  load_modular = yes',
    `  retransmit_tries = ${end.retransmit.tries}`,
    `  retransmit_timeout = ${end.retransmit.timeout}`,
    `  retransmit_base = ${end.retransmit.base}`,
    // a responder refuses IKEv1 aggressive mode with a PSK unless told otherwise; an end configured for it accepts it
    `  i_dont_care_about_security_and_use_aggressive_mode_psk = ${end.aggressive ? 'yes' : 'no'}`,
    '  plugins {',
    '    include /etc/strongswan.d/charon/*.conf',
    '    kernel-libipsec {',
    '      load = yes',
    '    }',
    '  }',
    '  journal {',
    '    default = -1',
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Every SA timer divided by `factor` (at least 1 s each), for watching rekeys in seconds instead of hours. DPD
 * timers are not scaled: they measure a peer's silence, not a lifetime.
 */
export function scaleLifetimes(end: IkeEnd, factor: number): IkeEnd {
  if (!(factor >= 1)) throw new RangeError(`scale factor must be >= 1, got ${factor}`);
  const s = (n: number) => (n === 0 ? 0 : Math.max(1, Math.round(n / factor)));
  const child = { rekeyTime: s(end.child.rekeyTime), lifeTime: s(end.child.lifeTime), randTime: 0 };
  if (child.lifeTime !== 0 && child.lifeTime <= child.rekeyTime) child.lifeTime = child.rekeyTime + 1;
  return {
    ...end,
    ike: { rekeyTime: s(end.ike.rekeyTime), overTime: s(end.ike.overTime), randTime: 0 },
    child,
  };
}
