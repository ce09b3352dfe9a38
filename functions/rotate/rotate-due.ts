import { ConnectionService, machinesFromEnv } from '../../src/service/connections';
import { executions } from '../lib/clients/executions';
import { recordDeps } from '../lib/clients/registry';

// The rotation schedule (EventBridge, once a day): a key rotation for every connection whose
// `tunnels.rotateEveryDays` is due. Each takes the connection's lock like a rotation asked for through the API.
const service = () =>
  new ConnectionService({ deps: recordDeps(), executions: executions(), machines: machinesFromEnv() });
export const handler = async () => service().submitDueRotations();
