import type { OperationFacts } from '../chatops/notify';

// The metrics vpn-bridge publishes (CloudWatch embedded metric format, namespace VpnBridge; docs/monitoring.md):
//   OperationDuration (Milliseconds) and OperationFailed (Count), dimensions service, stage, operation
//   DriftFindings (Count: connections drifted) and TunnelsDown (Count: used tunnels DOWN), dimensions service, stage
// Pure: which metrics a finished execution gives; functions/lib/metrics.ts writes them with Powertools Metrics.

export const METRICS_NAMESPACE = 'VpnBridge';

export interface MetricPoint {
  name: 'OperationDuration' | 'OperationFailed' | 'DriftFindings' | 'TunnelsDown';
  unit: 'Milliseconds' | 'Count';
  value: number;
}

export interface MetricGroup {
  /** dimensions beyond service and stage */
  dimensions: Record<string, string>;
  points: MetricPoint[];
}

export function operationMetrics(f: OperationFacts): MetricGroup[] {
  const byOperation: MetricPoint[] = [
    { name: 'OperationFailed', unit: 'Count', value: f.status === 'SUCCEEDED' ? 0 : 1 },
  ];
  if (f.durationMs !== undefined)
    byOperation.unshift({ name: 'OperationDuration', unit: 'Milliseconds', value: f.durationMs });
  const groups: MetricGroup[] = [{ dimensions: { operation: f.operation }, points: byOperation }];
  if (f.drift)
    groups.push({
      dimensions: {},
      points: [
        { name: 'DriftFindings', unit: 'Count', value: f.drift.drifted },
        { name: 'TunnelsDown', unit: 'Count', value: f.drift.tunnelsDown },
      ],
    });
  return groups;
}
