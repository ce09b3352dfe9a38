import type { SimAccess } from '../environment';
import { DataplaneUnavailable } from './errors';
import { dataplaneText, runDataplane } from './run';

// The CLI glue for `vpn-bridge dataplane <name> --sim URL` and `vpn-bridge demo --dataplane`: exit 0 when every
// used tunnel came up and carried traffic (and the standby after the failover), 1 otherwise. With --json, one
// document (for the demo: the provisioning report and the dataplane report together).

export function dataplaneCommand(
  io: { out: (s: string) => void; err: (s: string) => void },
  json: boolean,
): (access: SimAccess, name: string, provision?: unknown) => Promise<number> {
  return async (access, name, provision) => {
    try {
      const report = await runDataplane({
        url: access.url,
        name,
        admin: (m, p, b) => access.admin(m, p, b),
        progress: json ? undefined : (l) => io.err(`  ${l}`),
      });
      if (json) io.out(JSON.stringify(provision === undefined ? report : { provision, dataplane: report }, null, 2));
      else io.out(dataplaneText(report));
      return report.ok ? 0 : 1;
    } catch (e) {
      if (e instanceof DataplaneUnavailable) {
        io.err(`vpn-bridge: ${e.message}`);
        return 1;
      }
      throw e;
    }
  };
}
