// What README.md says a newcomer gets is what they get: the complete main.ts of "Using it in your app", the examples
// table, and the figures `npm run synth` prints. (test/e2e/readme-main.sh runs the same main.ts against the packed
// library; this test runs it against src/ in `npm test`.)
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { Policy } from '../../src';
import { EXAMPLES_DIR, exampleNames } from '../support/examples';

const ROOT = path.join(__dirname, '..', '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The one fenced block of `lang` between README's `<!-- marker -->` and the next `<!-- /marker -->` (or the block right after it). */
function block(marker: string, lang: string): string {
  const parts = README.split(`<!-- ${marker} -->\n`);
  if (parts.length !== 2) throw new Error(`README: expected one <!-- ${marker} --> marker, found ${parts.length - 1}`);
  const match = new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'm').exec(parts[1]);
  if (!match || match.index !== 0) throw new Error(`README: no ${lang} block right after <!-- ${marker} -->`);
  return match[1];
}

/** README's main.ts with the library imported from src/, written where Jest transforms it; returns its path. */
function writeMain(name: string, change: (main: string) => string = (main) => main): string {
  const dir = path.join(ROOT, '.tmp', 'docs-readme');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.ts`);
  const main = block('main.ts', 'ts');
  expect(main).toContain("from 'cdk8s-hardened';");
  writeFileSync(file, change(main).replace("from 'cdk8s-hardened';", `from ${JSON.stringify(path.join(ROOT, 'src'))};`));
  return file;
}

/** Runs a main.ts as `node lib/main.js` would (it synthesizes when loaded) into a scratch folder; returns that folder. */
function run(file: string): string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'readme-main-'));
  const before = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app synthesizes when loaded
    jest.isolateModules(() => require(file));
  } finally {
    if (before === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = before;
  }
  return outdir;
}

/** The JSON patch README shows, applied to the SecureDeployment of README's main.ts. */
function withPrivilegedPatch(main: string): string {
  const replace = (text: string, from: string, to: string): string => {
    if (!text.includes(from)) throw new Error(`README's main.ts: no ${from}`);
    return text.replace(from, to);
  };
  let patched = replace(main, "import { Chart } from 'cdk8s';", "import { Chart, JsonPatch } from 'cdk8s';");
  patched = replace(patched, "new SecureDeployment(chart, 'web',", "const web = new SecureDeployment(chart, 'web',");
  const patch = README.match(/^web\.deployment\.addJsonPatch\(.*\);$/m);
  if (!patch) throw new Error('README: no web.deployment.addJsonPatch(...) line');
  return replace(patched, '\napp.synth();', `\n${patch[0]}\napp.synth();`);
}

describe("README's main.ts (Using it in your app)", () => {
  test('synthesizes the objects README counts, none of them privileged', () => {
    // GIVEN README's main.ts, as written
    // WHEN it runs
    const outdir = run(writeMain('main'));
    // THEN dist/shop.k8s.yaml holds as many objects as README says, the namespace and the workload among them
    const manifests = Yaml.load(path.join(outdir, 'shop.k8s.yaml'));
    const stated = /writes `dist\/shop\.k8s\.yaml`: (\d+) objects/.exec(README);
    expect(stated).not.toBeNull();
    expect(manifests).toHaveLength(Number(stated![1]));
    expect(manifests.map((m) => m.kind)).toEqual(expect.arrayContaining(['Namespace', 'NetworkPolicy', 'ResourceQuota', 'Deployment', 'Service']));
    expect(JSON.stringify(manifests)).not.toContain('"privileged":true');
  });

  test("fails with PSS-PRIVILEGED once README's JSON patch sets privileged: true", () => {
    // GIVEN README's main.ts with the patch README shows
    const file = writeMain('patched', withPrivilegedPatch);
    // WHEN it runs, THEN synth fails naming the rule and the construct, as README quotes it
    expect(() => run(file)).toThrow(/\[PSS-PRIVILEGED\] shop\/web\/Deployment \(Deployment\/web\)/);
    expect(README).toContain('//   [] [PSS-PRIVILEGED] shop/web/Deployment (Deployment/web): /spec/template/spec/containers/0/securityContext/privileged is true. Fix: ');
  });

  test('without enforcement (a plain App), the patched app synthesizes a privileged container: what README warns of', () => {
    // GIVEN the patched main.ts with `new App()` in place of `new HardenedApp()`
    const file = writeMain('unenforced', (main) => withPrivilegedPatch(main)
      .replace("import { Chart, JsonPatch } from 'cdk8s';", "import { App, Chart, JsonPatch } from 'cdk8s';")
      .replace('new HardenedApp()', 'new App()')
      .replace(' HardenedApp,', ''));
    // WHEN it runs, THEN nothing fails and the output holds the privileged container
    const outdir = run(file);
    expect(JSON.stringify(Yaml.load(path.join(outdir, 'shop.k8s.yaml')))).toContain('"privileged":true');
    expect(README).toMatch(/With a plain `new App\(\)` and no `Policy\.enforce`, the same app synthesizes a privileged container \*\*and exits\s+0\*\*/);
  });
});

describe('README and the examples', () => {
  test('the examples table lists every example of examples/, and nothing else', () => {
    // GIVEN the rows of README's examples table
    const table = README.split('| example | what it shows |')[1].split('\n\n')[0];
    const listed = [...table.matchAll(/^\| `examples\/([^`]+)` \|/gm)].map((m) => m[1]);
    // THEN they are the example apps, in folder order
    expect(listed).toEqual(exampleNames());
  });

  describe('the figures `npm run synth` prints', () => {
    // GIVEN every example, synthesized as examples/synth.ts does (each synthesizes when loaded)
    const reports = new Map<string, ReturnType<typeof Policy.report>>();
    beforeAll(() => {
      for (const name of exampleNames()) {
        process.env.CDK8S_OUTDIR = mkdtempSync(path.join(tmpdir(), `readme-${name}-`));
        jest.isolateModules(() => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports -- an example synthesizes when loaded
          const { app } = require(path.join(EXAMPLES_DIR, name, 'main.ts')) as { app: App };
          reports.set(name, Policy.report(app));
        });
      }
      delete process.env.CDK8S_OUTDIR;
    });

    test("README's total line is the total of the examples", () => {
      const all = [...reports.values()];
      const total = `total: ${all.length} examples, ${all.reduce((n, r) => n + r.objectCount, 0)} objects: `
        + `${all.reduce((n, r) => n + r.errors.length, 0)} errors, ${all.reduce((n, r) => n + r.warnings.length, 0)} warnings, `
        + `${all.reduce((n, r) => n + r.acknowledged.length, 0)} acknowledged`;
      expect(README).toContain(`(\`${total}\`)`);
    });

    test("README's example output is what `npm run synth` prints for that example, line for line", () => {
      const shown = block('npm run synth: examples/existing-app', '');
      const report = reports.get('existing-app')!;
      const printed = 'synthesized examples/existing-app -> dist/examples/existing-app/ (with policy-report.txt and .sarif)\n'
        + `${report.toText().replace(/^/gm, '  ')}\n`;
      expect(shown).toEqual(printed);
    });
  });
});

describe('bench/RESULTS.md and README', () => {
  const results = readFileSync(path.join(ROOT, 'bench', 'RESULTS.md'), 'utf8');
  const runs = results.split('\n## Runs\n')[1].split(/^### /m).slice(1);

  test('every run is one section: date, machine, command and result, then its budgets, each judged', () => {
    expect(runs.length).toBeGreaterThan(0);
    for (const section of runs) {
      const date = section.split('\n')[0];
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const row of [`| date | ${date} |`, '| machine | ', '| command | ', '| result | ']) expect(section).toContain(row);
      const verdicts = [...section.matchAll(/^\| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \| (pass|FAIL) \|$/gm)];
      expect(verdicts.length).toBeGreaterThanOrEqual(7);
    }
  });

  test("README's performance figures are the latest run's", () => {
    // GIVEN the latest run's budget values (the first section)
    const value = (budget: string): number => {
      const row = new RegExp(`^\\| ${budget.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[^|]* \\| [^|]+ \\| ([0-9.,]+)`, 'm').exec(runs[0]);
      if (!row) throw new Error(`bench/RESULTS.md: no budget ${budget} in the latest run`);
      return Number(row[1].replace(/,/g, ''));
    };
    // THEN README states them
    expect(README).toContain(`${Math.round((value('ours / raw at N = 1,000') - 1) * 100)} % more instructions than replaying the same YAML`);
    expect(README).toContain(`${Math.round((1 - value('ours / cdk8s-plus-27 at N = 1,000')) * 100)} % fewer than the cdk8s-plus-27 equivalent`);
    expect(README).toContain(`the policy engine adds ${value('policy engine overhead at N = 1,000').toFixed(1)} % of instructions`);
    expect(README).toContain(`take ~${value('cold `require` + first `SecureDeployment`').toFixed(2)} × as long as`);
    expect(README).toContain(`The packed \`lib/\` is ${value('packed `lib/`').toFixed(2)} MB`);
  });
});
