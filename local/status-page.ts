import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent as SfnEvent } from '@aws-sdk/client-sfn';
import { criticalPathSeconds, planConnection } from '../src/plan';
import { type HistoryEvent, timelineOf } from '../src/plan/timeline';
import type { ConnectionView } from '../src/service/connections';
import { OPERATOR_AWS } from './constants';
import { LOCAL_REGION, type SimAccess } from './environment';
import { operatorService } from './operator';
import { type PageConnection, renderStatusPage } from './status-html';

// The data behind the status page: every connection (or `?name=`), its live view (the API's GET), and its last
// operation's steps from the execution history in the simulator's Step Functions (timestamps on the simulated clock).

function historyEvents(events: SfnEvent[]): HistoryEvent[] {
  return events.flatMap((e) => {
    const name = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
    return e.timestamp && e.type ? [{ type: e.type, at: e.timestamp.getTime(), state: name }] : [];
  });
}

async function history(access: SimAccess, arn: string): Promise<SfnEvent[]> {
  const sfn = new SFNClient({ endpoint: access.url, region: LOCAL_REGION, credentials: OPERATOR_AWS });
  try {
    const out: SfnEvent[] = [];
    let nextToken: string | undefined;
    do {
      const r = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: arn, nextToken, maxResults: 1000, includeExecutionData: false }),
      );
      out.push(...(r.events ?? []));
      nextToken = r.nextToken;
    } while (nextToken);
    return out;
  } finally {
    sfn.destroy();
  }
}

export async function pageConnection(access: SimAccess, view: ConnectionView): Promise<PageConnection> {
  const arn = view.operation?.executionArn;
  if (!arn) return { view };
  const events = await history(access, arn).catch(() => []);
  const t = timelineOf(historyEvents(events), { failed: view.operation?.result === 'FAILED' });
  const config = await access
    .admin<{ latencies: Record<string, number> }>('GET', '/_sim/config')
    .catch(() => undefined);
  const plan =
    view.operation?.kind === 'provision' && view.spec && view.topology && config
      ? criticalPathSeconds(planConnection(view.spec, view.topology as 'dual-tunnel'), config.latencies).seconds
      : undefined;
  return { view, timeline: { ...t, planCriticalSeconds: plan, clock: 'simulated' } };
}

/** `serve`'s extra pages: GET / (every connection) and GET /?name=<connection> */
export function statusPageFor(access: SimAccess) {
  return async (method: string, path: string, query: URLSearchParams) => {
    if (method !== 'GET' || path !== '/') return undefined;
    const service = operatorService();
    const only = query.get('name');
    const names = only ? [only] : (await service.listConnections()).map((c) => c.name);
    const connections: PageConnection[] = [];
    for (const n of names) {
      const view = await service.getConnection(n).catch(() => undefined);
      if (view) connections.push(await pageConnection(access, view));
    }
    return {
      status: 200,
      type: 'text/html; charset=utf-8',
      body: renderStatusPage({
        title: only ? `vpn-bridge: ${only}` : 'vpn-bridge connections',
        source: access.url,
        connections,
      }),
    };
  };
}
