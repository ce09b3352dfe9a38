// Drift-check cost at growing fleet sizes: filled in once the drift workflow lands (see bench/run.ts).
export interface DriftFigure {
  connections: number;
  apiCalls: number;
  describeCalls: number;
  wallMs: number;
}

export async function measureDrift(sizes: number[]): Promise<DriftFigure[]> {
  throw new Error(`the drift benchmark is not wired yet (sizes ${sizes.join(', ')}); run with --skip drift`);
}
