import { publishMetrics } from '../../functions/lib/metrics';
import { setLogSink } from '../../src/log';
import { operationMetrics } from '../../src/monitoring/operation-metrics';

// The metrics a finished execution publishes, in CloudWatch's embedded metric format (Powertools Metrics): one
// document per group of metrics that share dimensions.

interface Emf {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [key: string]: unknown;
}

function captured(run: () => void): Emf[] {
  const lines: string[] = [];
  setLogSink((l) => lines.push(l));
  try {
    run();
  } finally {
    setLogSink(undefined);
  }
  return lines.map((l) => JSON.parse(l) as Emf);
}

describe('operation metrics (EMF)', () => {
  it('publishes a drift check as its duration by operation, then its findings and tunnels down by stage', () => {
    // Prepare
    const groups = operationMetrics({
      operation: 'drift',
      status: 'SUCCEEDED',
      durationMs: 42_000,
      drift: { drifted: 2, tunnelsDown: 1, changed: true },
    });

    // Act
    const docs = captured(() => publishMetrics(groups, 'prod'));

    // Assert
    expect(docs).toHaveLength(2);
    const [byOperation, byStage] = docs;
    expect(byOperation?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'VpnBridge',
        Dimensions: [expect.arrayContaining(['service', 'stage', 'operation'])],
        Metrics: [
          { Name: 'OperationDuration', Unit: 'Milliseconds' },
          { Name: 'OperationFailed', Unit: 'Count' },
        ],
      },
    ]);
    expect(byOperation?._aws.CloudWatchMetrics[0]?.Dimensions[0]).toHaveLength(3);
    expect(byOperation).toEqual(
      expect.objectContaining({
        service: 'vpn-bridge',
        stage: 'prod',
        operation: 'drift',
        OperationDuration: 42_000,
        OperationFailed: 0,
      }),
    );
    expect(typeof byOperation?._aws.Timestamp).toBe('number');
    expect(byStage?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([expect.arrayContaining(['service', 'stage'])]);
    expect(byStage?._aws.CloudWatchMetrics[0]?.Dimensions[0]).toHaveLength(2);
    expect(byStage).toEqual(expect.objectContaining({ stage: 'prod', DriftFindings: 2, TunnelsDown: 1 }));
    expect(byStage).not.toHaveProperty('operation');
  });

  it('counts a failed operation without a duration when the times are unknown, and no drift metrics', () => {
    // Act
    const docs = captured(() => publishMetrics(operationMetrics({ operation: 'provision', status: 'FAILED' }), 'dev'));

    // Assert
    expect(docs).toHaveLength(1);
    expect(docs[0]?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([{ Name: 'OperationFailed', Unit: 'Count' }]);
    expect(docs[0]).toEqual(expect.objectContaining({ operation: 'provision', OperationFailed: 1 }));
    expect(docs[0]).not.toHaveProperty('OperationDuration');
  });
});
