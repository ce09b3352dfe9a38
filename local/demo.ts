import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { RpcClient } from '../src/clouds/alibaba/rpc-client';
import type { ConnectionSpecInput } from '../src/spec';
import { OPERATOR_ALIBABA, OPERATOR_AWS } from './constants';
import { LOCAL_REGION } from './environment';

// The demo's connection spec: the article's example values, discovered in the simulator's seeded world
// through the normal Describe APIs (AWS VPC 172.80.64.0/19, Alibaba VPC 192.168.0.0/16): EC2 through the AWS SDK,
// the Alibaba VPC API through vpn-bridge's own signed RPC client (the one the functions use; the official
// @alicloud SDK is a test-only dependency that checks the simulator's wire format).

export const ARTICLE_AWS_CIDR = '172.80.64.0/19';
export const ARTICLE_ALIBABA_CIDR = '192.168.0.0/16';

export async function demoSpec(
  url: string,
  opts: {
    name?: string;
    alibabaRegion: string;
    profile: 'recommended' | 'article-2018';
    psk: 'from-aws-config' | 'generated';
    onFailure?: 'keep' | 'rollback';
  },
): Promise<ConnectionSpecInput> {
  const ec2 = new EC2Client({
    endpoint: url,
    region: LOCAL_REGION,
    credentials: OPERATOR_AWS,
  });
  try {
    const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'cidr', Values: [ARTICLE_AWS_CIDR] }] }));
    const awsVpc = vpcs.Vpcs?.[0]?.VpcId;
    if (!awsVpc)
      throw new Error(`no AWS VPC with ${ARTICLE_AWS_CIDR} in ${LOCAL_REGION}: is this the simulator's seeded world?`);
    const ali = new RpcClient({
      version: '2016-04-28',
      defaultEndpoint: 'vpc.aliyuncs.com',
      regionId: opts.alibabaRegion,
      endpoint: url.replace(/^https?:\/\//, ''),
      protocol: 'http',
      credentials: async () => OPERATOR_ALIBABA,
    });
    const r = (await ali.call('DescribeVpcs', { RegionId: opts.alibabaRegion, PageSize: 50 })) as {
      vpcs?: { vpc?: Array<{ vpcId?: string; cidrBlock?: string }> };
    };
    const aliVpc = (r.vpcs?.vpc ?? []).find((v) => v.cidrBlock === ARTICLE_ALIBABA_CIDR)?.vpcId;
    if (!aliVpc) throw new Error(`no Alibaba VPC with ${ARTICLE_ALIBABA_CIDR} in ${opts.alibabaRegion}`);
    return {
      name: opts.name ?? `article-${opts.alibabaRegion}`,
      aws: { region: LOCAL_REGION, vpcId: awsVpc, cidr: ARTICLE_AWS_CIDR },
      alibaba: { region: opts.alibabaRegion, vpcId: aliVpc, cidr: ARTICLE_ALIBABA_CIDR },
      tunnels: { profile: opts.profile, psk: opts.psk },
      onFailure: opts.onFailure ?? 'keep',
    };
  } finally {
    ec2.destroy();
  }
}
