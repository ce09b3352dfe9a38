// The local deployment's fixed facts: the simulator stands in for one AWS account and region, the stack's stage is
// `local`, and the operator (the CLI, the demo, the tests' own checks) signs with keys no role is registered for,
// so the simulator gives it full access, as an administrator's credentials would.

export const LOCAL_REGION = 'us-east-1';
/** the stage of local runs: records are vpn-bridge/local/<name>, resources vpn-bridge.local.<name>.<role> */
export const LOCAL_STAGE = 'local';
export const ALIBABA_CREDENTIALS_SECRET = 'vpn-bridge-config/alibaba-credentials';

/** the operator's AWS keys */
export const OPERATOR_AWS = { accessKeyId: 'AKIDLOCALSIMULATOR', secretAccessKey: 'local-simulator-secret' };
/** the operator's own Alibaba keys (the demo discovers the seeded VPCs with them) */
export const OPERATOR_ALIBABA = { accessKeyId: 'LTAIlocaloperator', accessKeySecret: 'local-operator-alibaba-secret' };
/** the vpn-bridge RAM user's AccessKey, which the functions read from ALIBABA_CREDENTIALS_SECRET */
export const VPN_BRIDGE_ALIBABA = {
  accessKeyId: 'LTAIlocalsimulator',
  accessKeySecret: 'local-simulator-alibaba-secret',
};
