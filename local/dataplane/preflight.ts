import { accessSync, constants, existsSync } from 'node:fs';
import { DataplaneUnavailable } from './errors';
import { run } from './system';

// What the harness needs from the machine, checked before it makes anything. Each missing piece is named with
// the way to get it; nothing is skipped silently.

export const DEBIAN_PACKAGES = [
  'strongswan-swanctl',
  'charon-systemd',
  'libcharon-extra-plugins',
  'libstrongswan-extra-plugins',
] as const;
export const INSTALL_HINT = `apt-get install -y --no-install-recommends ${DEBIAN_PACKAGES.join(' ')}`;

const BINARIES: Array<[string, string]> = [
  ['/usr/sbin/charon-systemd', `the strongSwan IKE daemon (${INSTALL_HINT})`],
  ['/usr/sbin/swanctl', `strongSwan's control tool (${INSTALL_HINT})`],
  ['/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so', `user-space ESP, kernel-libipsec (${INSTALL_HINT})`],
  ['/usr/bin/nsenter', 'nsenter (Debian package util-linux)'],
  ['/usr/bin/unshare', 'unshare (Debian package util-linux)'],
  ['/usr/bin/setpriv', 'setpriv (Debian package util-linux)'],
];

function executable(path: string): boolean {
  try {
    accessSync(path, path.endsWith('.so') ? constants.R_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** every missing requirement, described (empty = ready) */
export async function missingRequirements(): Promise<string[]> {
  const missing: string[] = [];
  if (process.platform !== 'linux') return ['Linux network namespaces (this is not Linux)'];
  if (process.getuid?.() !== 0)
    missing.push('root: network namespaces and a daemon per tunnel end need root (run as root, e.g. with sudo)');
  for (const [path, what] of BINARIES) if (!executable(path)) missing.push(`${path}: ${what}`);
  if (!existsSync('/dev/net/tun'))
    missing.push('/dev/net/tun: the TUN device user-space ESP sends through (modprobe tun)');
  try {
    await run('ip', ['netns', 'list'], 5000);
  } catch {
    missing.push('`ip netns`: iproute2 with network namespace support (Debian package iproute2)');
  }
  return missing;
}

export async function assertDataplaneReady(): Promise<void> {
  const missing = await missingRequirements();
  if (missing.length > 0)
    throw new DataplaneUnavailable(
      `the dataplane harness cannot run on this machine; missing:\n${missing.map((m) => `  - ${m}`).join('\n')}`,
    );
}
