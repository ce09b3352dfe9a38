import type { SimContext } from '../../core/context';
import type { AwsRegionState } from '../../types';
import { type KINDS, notFound, type ResourceKind } from './errors';
import type { Params } from './params';
import type { XmlObject } from './xml';

/** one EC2 request as the action handlers see it */
export interface Ec2Call {
  ctx: SimContext;
  /** the SigV4 region name */
  regionName: string;
  region: AwsRegionState;
  p: Params;
  action: string;
}

export type Ec2Handler = (call: Ec2Call) => XmlObject;

/**
 * Eventual consistency (sim/core/consistency.ts): for `ec2.byId` simulated seconds after a create, asking for the
 * object by id answers NotFound.
 */
export function propagated(ctx: SimContext, createdAt: number | undefined): boolean {
  return ctx.seen('ec2.byId', createdAt);
}

interface Lifecycle {
  State?: string;
  CreatedAt?: number;
}

/** the lifecycle fields of any world object (VPCs and route tables have none) */
const lifecycle = (o: object): Lifecycle => o as Lifecycle;

/**
 * The object named `id` in `map` as a by-id request sees it: NotFound when absent, not yet propagated, or
 * (unless `deleted` is allowed) already deleted.
 */
export function lookup<T extends object>(
  call: Ec2Call,
  kind: ResourceKind,
  map: Record<string, T>,
  id: string,
  opts: { deleted?: boolean } = {},
): T {
  const o = Object.hasOwn(map, id) ? map[id] : undefined;
  if (!o || !propagated(call.ctx, lifecycle(o).CreatedAt) || (lifecycle(o).State === 'deleted' && !opts.deleted))
    throw notFound(kind, id);
  return o;
}

/** Describe by ids: every id must be visible (deleted-but-visible objects included); order of the request */
export function describeByIds<T extends object>(
  call: Ec2Call,
  kind: keyof typeof KINDS,
  map: Record<string, T>,
  ids: string[],
): T[] {
  const unique = [...new Set(ids)];
  const missingIds = unique.filter((id) => {
    const o = Object.hasOwn(map, id) ? map[id] : undefined;
    return !o || !propagated(call.ctx, lifecycle(o).CreatedAt);
  });
  if (missingIds.length > 0) throw notFound(kind, missingIds);
  return unique.map((id) => map[id] as T);
}

/**
 * Every object of `map` a listing or filtered describe sees: for `ec2.list` simulated seconds after a create, a new
 * object is left out (the tag and filter indexes catch up later than the object itself).
 */
export function listed<T extends object>(call: Ec2Call, map: Record<string, T>): T[] {
  return Object.values(map).filter((o) => call.ctx.seen('ec2.list', lifecycle(o).CreatedAt));
}

/** remove a deleted object once `aws.deletedVisibility` has passed (if it is still the same object) */
export function vanishLater<T>(call: Ec2Call, map: Record<string, T>, id: string, obj: T, label: string): void {
  call.ctx.after('aws.deletedVisibility', label, () => {
    if (map[id] === obj) delete map[id];
  });
}
