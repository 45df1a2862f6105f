import { readFileSync } from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Policy } from '../../src';
import { errorOf } from '../support/helpers';

const README = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('what the README shows is what a user gets', () => {
  test('the failing synth of Policy.enforce, line for line', () => {
    // GIVEN the README's example: a privileged debug pod in chart shop, the app enforced
    const shown = README.split('\n').filter((line) => line.startsWith('Validation failed') || line.startsWith('  [] [PSS-PRIVILEGED]'));
    const app = new App({ outdir: path.join(__dirname, '..', '..', '.tmp', 'readme') });
    const chart = new Chart(app, 'shop');
    new ApiObject(chart, 'debug', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug' },
      spec: { containers: [{ name: 'debug', image: 'busybox:1.36.1', securityContext: { privileged: true } }] },
    });
    Policy.enforce(app);
    // WHEN synthesized
    const lines = errorOf(() => app.synth()).message.split('\n');
    // THEN the README's lines are among the error's
    expect(shown).toHaveLength(2);
    for (const line of shown) expect(lines).toContain(line);
  });
});
