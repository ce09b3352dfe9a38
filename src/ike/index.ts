export { UnknownAlgorithm } from './algorithms';
export { alibabaEnd } from './alibaba-end';
export { awsEnd } from './aws-end';
export { scaleLifetimes, strongswanConf, swanctlConf } from './swanctl-conf';
export type { AlibabaTunnelState, AwsTunnelState, IkeEnd } from './types';
