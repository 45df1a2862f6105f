import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { runReach } from '../../../src/cli/reach';

// np-guard/netpol-analyzer's own cases (test/fixtures/netpol-conformance, see its README): `cdk8s-hardened reach` on
// each input folder prints exactly the list that netpol-analyzer's `list` command prints.
const CASES = path.join(__dirname, '..', '..', 'fixtures', 'netpol-conformance', 'cases');
const EXPECTED_CASES = 25;

const cases = readdirSync(CASES).sort();

describe('reachability agrees with netpol-analyzer', () => {
  test('every upstream case is here', () => {
    expect(cases).toHaveLength(EXPECTED_CASES);
  });

  test.each(cases)('%s', (name) => {
    // GIVEN an upstream case's manifests and the list netpol-analyzer prints for them
    const expected = readFileSync(path.join(CASES, name, 'expected.txt'), 'utf8').trimEnd();
    // WHEN reach lists the connections of its input folder
    const { output, status } = runReach([path.join(CASES, name, 'input')]);
    // THEN it prints the same lines
    expect(status).toBe(0);
    expect(output).toBe(expected);
  });
});
