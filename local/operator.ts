import { executions } from '../functions/lib/clients/executions';
import { recordDeps } from '../functions/lib/clients/registry';
import { cloudsDeps } from '../functions/lib/clouds-step';
import { ConnectionService, machinesFromEnv } from '../src/service/connections';
import type { Deps } from '../src/workflow/deps';

// The CLI's own calls (status, list, drift, the run reports) go out as the operator: the same client modules
// the functions use, outside any function invocation, so they sign with the operator's credentials (the
// environment's), not with a function's role.

export const operatorDeps = (): Deps => cloudsDeps();

export const operatorService = (): ConnectionService =>
  new ConnectionService({
    deps: recordDeps(),
    clouds: cloudsDeps(),
    executions: executions(),
    machines: machinesFromEnv(),
  });
