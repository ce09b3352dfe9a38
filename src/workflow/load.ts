import type { AlibabaCloud, AwsCloud } from '../clouds/types';
import { ProviderRejected } from '../errors';
import { type Plan, planConnection } from '../plan';
import type { ConnectionRecord } from '../registry/record';
import type { ConnRef, Deps } from './deps';

export interface Loaded {
  record: ConnectionRecord;
  arn: string;
  plan: Plan;
  aws: AwsCloud;
  alibaba: AlibabaCloud;
}

/** the record, its plan (with the resolved route tables) and both cloud adapters */
export async function load(deps: Deps, ref: ConnRef): Promise<Loaded> {
  const { record, arn } = await deps.registry.require(ref.name);
  if (!record.topology || !record.resolved)
    throw new ProviderRejected(
      `the record of ${ref.name} was not validated (no topology); run provisioning from the start`,
    );
  const plan = planConnection(record.spec, record.topology);
  plan.routes.awsRouteTableIds = record.resolved.awsRouteTableIds;
  plan.routes.alibabaRouteTableId = record.resolved.alibabaRouteTableId;
  return {
    record,
    arn,
    plan,
    aws: deps.aws(record.spec.aws.region),
    alibaba: await deps.alibaba(record.spec.alibaba.region),
  };
}
