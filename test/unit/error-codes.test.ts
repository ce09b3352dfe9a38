import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES_DOC, renderErrorCodes } from '../../scripts/error-codes';
import { ERROR_CODES, isAssumedCode, rowsFor } from '../../sim/core/error-codes';

// The simulator's error codes are each documented (with the document) or assumed, in one table rendered to
// docs/error-codes.md; every code the simulator's sources can answer is in it.

const SIM = join(__dirname, '..', '..', 'sim');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'iam'
        ? []
        : sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** code literals the simulator's sources answer with: SimError('X', notFound('X', err('X', checkText(.., 'X', code: 'X' */
function thrownCodes(): Set<string> {
  const found = new Set<string>();
  const patterns = [
    /SimError\(\s*'([A-Za-z][\w.]*)'/g,
    /notFound\(\s*'([A-Za-z][\w.]*)'/g,
    /\berr\(\s*'([A-Za-z][\w.]*)'/g,
    /checkText\(\s*\w+,\s*'[^']*',\s*'([A-Z][\w.]*)'/g,
    /\bcode: '([A-Z][\w.]*)'/g,
    /validationCode: '([A-Z][\w.]*)'/g,
  ];
  for (const file of sources(SIM)) {
    if (file.endsWith('error-codes.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const re of patterns) for (const m of text.matchAll(re)) if (m[1]) found.add(m[1]);
  }
  return found;
}

describe('the error-code table', () => {
  it('is what docs/error-codes.md shows (run `npx tsx scripts/error-codes.ts` after editing it)', () => {
    expect(readFileSync(ERROR_CODES_DOC, 'utf8')).toBe(renderErrorCodes());
  });

  it('lists every code the simulator can answer', () => {
    const missing = [...thrownCodes()].filter((code) => !ERROR_CODES.some((r) => rowsFor(r.service, code).length > 0));

    expect(thrownCodes().size).toBeGreaterThan(60);
    expect(missing).toEqual([]);
  });

  it('marks every row either documented, with a link, or assumed, with a reason', () => {
    const bad = ERROR_CODES.filter(
      (r) =>
        (r.documented === undefined) === (r.assumed === undefined) ||
        (r.documented && !/^https:\/\//.test(r.documented)),
    );

    expect(bad).toEqual([]);
  });

  it('tells the codes apart as the review found them: invented ones assumed, documented ones not', () => {
    expect(isAssumedCode('alibaba-vpc', 'DependencyViolation.VpnConnection')).toBe(true);
    expect(isAssumedCode('alibaba-vpc', 'VpnRouteEntry.AlreadyExist')).toBe(true);
    expect(isAssumedCode('alibaba-vpc', 'IllegalParam.DisasterRecoveryVSwitchId')).toBe(true);
    expect(isAssumedCode('alibaba-vpc', 'IllegalParam.LocalSubnet')).toBe(false);
    expect(isAssumedCode('alibaba-vpc', 'VpnGateway.Configuring')).toBe(false);
    expect(isAssumedCode('alibaba-vpc', 'IdempotentParameterMismatch')).toBe(false);
    expect(isAssumedCode('ec2', 'InvalidVpnGatewayID.NotFound')).toBe(false);
    expect(isAssumedCode('ec2', 'Gateway.NotAttached')).toBe(true);
    expect(isAssumedCode('ec2', 'NoSuchCode')).toBe(true);
  });
});
