import type { IncomingHttpHeaders } from 'node:http';

// Who signed a request. Signatures are not verified (the simulator accepts any secret); only the key id
// (and, for Alibaba STS credentials, the security token) is read.
//   AWS SigV4:  Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ec2/aws4_request, ...
//               https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
//               (a presigned URL's X-Amz-Credential query parameter is read the same way)
//   Alibaba:    Authorization: ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=...,Signature=...
//               plus x-acs-security-token for STS credentials (what @alicloud/openapi-core sends), or the
//               signature-v2 RPC parameters AccessKeyId and SecurityToken
//               https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature

export function awsAccessKeyId(headers: IncomingHttpHeaders, params: Record<string, string>): string | undefined {
  const auth = headers.authorization ?? '';
  const m = /Credential=([^/,\s]+)\//.exec(auth);
  if (m?.[1]) return m[1];
  const q = params['X-Amz-Credential'];
  return q ? q.split('/')[0] : undefined;
}

export interface AlibabaCaller {
  accessKeyId: string;
  securityToken?: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function alibabaCaller(headers: IncomingHttpHeaders, params: Record<string, string>): AlibabaCaller | undefined {
  const auth = header(headers, 'authorization') ?? '';
  const m = /^ACS3-[A-Z0-9-]+\s+Credential=([^,\s]+)/.exec(auth);
  const accessKeyId = m?.[1] ?? header(headers, 'x-acs-accesskey-id') ?? params.AccessKeyId;
  if (!accessKeyId) return undefined;
  const securityToken = header(headers, 'x-acs-security-token') ?? params.SecurityToken;
  return securityToken ? { accessKeyId, securityToken } : { accessKeyId };
}
