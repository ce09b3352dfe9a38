import { parseListSas } from '../../local/dataplane/sa-list';
import { alibabaEnd, awsEnd, scaleLifetimes, swanctlConf, UnknownAlgorithm } from '../../src/ike';
import { ALIBABA_STATE, AWS_STATE } from '../dataplane/fixtures/tunnel-states';

describe('the AWS end', () => {
  it('pins the proposals to the tunnel options, in AWS order, and rekeys a margin before each lifetime', () => {
    const end = awsEnd({ ...AWS_STATE, phase1DhGroups: [14, 2], rekeyMarginTimeSeconds: 300, rekeyFuzzPercentage: 50 });

    expect(end.version).toBe(2);
    expect(end.proposals).toEqual(['aes256-sha256-modp1024-modp2048']);
    expect(end.espProposals).toEqual(['aes256-sha256-modp2048']);
    expect(end.ike).toEqual({ rekeyTime: 28500, overTime: 300, randTime: 150 });
    expect(end.child).toEqual({ rekeyTime: 3300, lifeTime: 3600, randTime: 150 });
    expect({ local: end.localId, remote: end.remoteId }).toEqual({ local: '34.194.44.159', remote: '47.254.72.128' });
  });

  it('offers every AWS default when a list is empty, AES-GCM as its own proposal', () => {
    const end = awsEnd({
      ...AWS_STATE,
      ikeVersions: [],
      phase1Encryption: [],
      phase1Integrity: [],
      phase1DhGroups: [],
    });

    expect(end.version).toBe(0);
    expect(end.proposals[0]).toMatch(/^aes128-aes256-sha1-sha256-sha384-sha512-modp1024-modp2048-/);
    expect(end.proposals[1]).toMatch(/^aes128gcm16-aes256gcm16-prfsha1-prfsha256-prfsha384-prfsha512-modp1024/);
  });

  it('maps the DPD timeout action, and none to no probes', () => {
    expect(awsEnd({ ...AWS_STATE, dpdTimeoutAction: 'restart' }).dpd).toEqual({
      delay: 10,
      timeout: 30,
      action: 'restart',
    });
    expect(awsEnd({ ...AWS_STATE, dpdTimeoutAction: 'none' }).dpd.delay).toBe(0);
    expect(awsEnd({ ...AWS_STATE, startupAction: 'add' }).startAction).toBe('none');
  });

  it('refuses a value it has no mapping for, naming it', () => {
    expect(() => awsEnd({ ...AWS_STATE, phase1Encryption: ['AES192'] })).toThrow(UnknownAlgorithm);
    expect(() => awsEnd({ ...AWS_STATE, phase1Encryption: ['AES192'] })).toThrow(/Phase1EncryptionAlgorithms 'AES192'/);
  });
});

describe('the Alibaba end', () => {
  it('maps the IKE and IPsec config, defaults identities to the two IPs, and starts at once', () => {
    const end = alibabaEnd({ ...ALIBABA_STATE, localId: '', remoteId: '', ikeEncAlg: 'aes', ipsecPfs: 'disabled' });

    expect(end.proposals).toEqual(['aes128-sha256-modp2048']);
    expect(end.espProposals).toEqual(['aes256-sha256']);
    expect({ local: end.localId, remote: end.remoteId }).toEqual({ local: '47.254.72.128', remote: '34.194.44.159' });
    expect(end.startAction).toBe('start');
    expect(end.child).toEqual({ rekeyTime: 3273, lifeTime: 3600, randTime: 327 });
  });

  it('negotiates on traffic without EffectImmediately and runs aggressive mode only in IKEv1', () => {
    expect(alibabaEnd({ ...ALIBABA_STATE, effectImmediately: false }).startAction).toBe('trap');
    expect(alibabaEnd({ ...ALIBABA_STATE, ikeVersion: 'ikev1', ikeMode: 'aggressive' }).aggressive).toBe(true);
    expect(alibabaEnd({ ...ALIBABA_STATE, ikeMode: 'aggressive' }).aggressive).toBe(false);
  });
});

describe('swanctl.conf', () => {
  it('writes the PSK only hex-encoded and the identities quoted', () => {
    const text = swanctlConf(awsEnd(AWS_STATE));

    expect(text).not.toContain(AWS_STATE.psk);
    expect(text).toContain(`secret = 0x${Buffer.from(AWS_STATE.psk).toString('hex')}`);
    expect(text).toContain('id = "34.194.44.159"');
  });

  it('scales lifetimes for watching rekeys, not DPD', () => {
    const scaled = scaleLifetimes(awsEnd(AWS_STATE), 180);

    expect(scaled.child).toEqual({ rekeyTime: 19, lifeTime: 20, randTime: 0 });
    expect(scaled.dpd.timeout).toBe(30);
  });
});

describe('swanctl --list-sas --raw', () => {
  it('reads state, proposal, selectors and counters', () => {
    const raw =
      'list-sa event {aws {uniqueid=1 version=2 state=ESTABLISHED local-host=3.1.1.1 local-id=3.1.1.1 remote-host=47.1.1.1 remote-id=47.1.1.1 encr-alg=AES_CBC encr-keysize=256 integ-alg=HMAC_SHA2_256_128 prf-alg=PRF_HMAC_SHA2_256 dh-group=MODP_2048 child-sas {aws-1 {name=aws state=INSTALLED protocol=ESP encap=yes encr-alg=AES_CBC encr-keysize=256 integ-alg=HMAC_SHA2_256_128 bytes-in=79052 packets-in=229 bytes-out=79560 packets-out=238 local-ts=[0.0.0.0/0] remote-ts=[10.0.0.0/8 192.168.0.0/16]}}}}\nlist-sas reply {}';

    const [sa] = parseListSas(raw);

    expect(sa?.proposal).toBe('AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048');
    expect(sa?.children[0]).toMatchObject({
      state: 'INSTALLED',
      encap: true,
      remoteTs: ['10.0.0.0/8', '192.168.0.0/16'],
      bytesIn: 79052,
      packetsOut: 238,
    });
  });
});
