import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { writeLogLine } from '../../src/log';
import { METRICS_NAMESPACE, type MetricGroup } from '../../src/monitoring/operation-metrics';

// Powertools Metrics (EMF): one document per group of metrics sharing dimensions, written as one log line (CloudWatch
// Logs turns it into metrics in Lambda; locally it goes where the logs go). Imported only by the functions that emit
// metrics, so no other bundle carries it.

const UNITS = { Milliseconds: MetricUnit.Milliseconds, Count: MetricUnit.Count } as const;

export function publishMetrics(groups: MetricGroup[], stage: string): void {
  for (const g of groups) {
    const m = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'vpn-bridge', defaultDimensions: { stage } });
    for (const [k, v] of Object.entries(g.dimensions)) m.addDimension(k, v);
    for (const p of g.points) m.addMetric(p.name, UNITS[p.unit], p.value);
    writeLogLine(JSON.stringify(m.serializeMetrics()));
    m.clearMetrics();
  }
}
