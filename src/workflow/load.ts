import type { AlibabaCloud, AwsCloud } from '../clouds/types';
import { ProviderRejected } from '../errors';
import { type Plan, planConnection } from '../plan';
import type { ConnectionRecord } from '../registry/record';
import type { AlibabaDeps, AwsDeps, ConnRef, Deps, RecordDeps } from './deps';

/** the record and its plan (with the route tables preflight resolved) */
export interface LoadedRecord {
  record: ConnectionRecord;
  arn: string;
  plan: Plan;
}
export interface AwsLoaded extends LoadedRecord {
  aws: AwsCloud;
}
export interface AlibabaLoaded extends LoadedRecord {
  alibaba: AlibabaCloud;
}
export interface Loaded extends AwsLoaded, AlibabaLoaded {}

export async function loadRecord(deps: RecordDeps, ref: ConnRef): Promise<LoadedRecord> {
  const { record, arn } = await deps.registry.require(ref.name);
  if (!record.topology || !record.resolved)
    throw new ProviderRejected(
      `the record of ${ref.name} was not validated (no topology); run provisioning from the start`,
    );
  const plan = planConnection(record.spec, record.topology);
  plan.routes.awsRouteTableIds = record.resolved.awsRouteTableIds;
  plan.routes.alibabaRouteTableId = record.resolved.alibabaRouteTableId;
  return { record, arn, plan };
}

/** the record, its plan and the EC2 adapter of its AWS region */
export async function loadAws(deps: AwsDeps, ref: ConnRef): Promise<AwsLoaded> {
  const l = await loadRecord(deps, ref);
  return { ...l, aws: deps.aws(l.record.spec.aws.region) };
}

/** the record, its plan and the Alibaba adapter of its Alibaba region */
export async function loadAlibaba(deps: AlibabaDeps, ref: ConnRef): Promise<AlibabaLoaded> {
  const l = await loadRecord(deps, ref);
  return { ...l, alibaba: await deps.alibaba(l.record.spec.alibaba.region) };
}

/** the record, its plan and both cloud adapters */
export async function load(deps: Deps, ref: ConnRef): Promise<Loaded> {
  const l = await loadRecord(deps, ref);
  return {
    ...l,
    aws: deps.aws(l.record.spec.aws.region),
    alibaba: await deps.alibaba(l.record.spec.alibaba.region),
  };
}
