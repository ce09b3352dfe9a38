import { watchTgwFailover } from '../../src/workflow/tgw-failover';
import { awsCloud } from '../lib/clients/ec2';
import { recordDeps } from '../lib/clients/registry';

// The transit gateway failover watcher (EventBridge, every minute): the routes of each ACTIVE dual-tunnel connection
// through a transit gateway that no operation holds go to a VPN connection whose used tunnel is UP, the active one
// by preference. The scheduled event carries nothing it needs.
export const handler = async () => watchTgwFailover({ ...recordDeps(), aws: awsCloud });
