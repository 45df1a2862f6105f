// The declarations TypeScript reads from the package: what the entry point reaches, and nothing the package leaves out.
import { writeFileSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { appWithInstalledPackage, ROOT } from '../support/installed-package';

describe('the declarations of the package', () => {
  // GIVEN an app that imports the package by name, as a TypeScript user writes it
  const app = appWithInstalledPackage();
  const main = path.join(app, 'main.ts');
  writeFileSync(main, `
    import { App, Chart } from 'cdk8s';
    import { EgressAllowlist, EgressTarget, InputError, Policy, SecureDeployment } from 'cdk8s-hardened';
    const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
    const web = new SecureDeployment(chart, 'web', { image: 'quay.io/acme/web:1.2.3', port: 8080 });
    new EgressAllowlist(chart, 'egress', { workload: web, allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })] });
    export const failing: number = Policy.report(chart).errors.length + (new Error() instanceof InputError ? 1 : 0);
  `);
  const program = ts.createProgram([main], {
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const ours = program.getSourceFiles().map((f) => path.relative(ROOT, f.fileName)).filter((f) => f.startsWith('lib/'));

  test('type-check an app that imports it by name', () => {
    // THEN the app has no type error
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(main));
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    expect(ours).toContain('lib/index.d.ts');
  });

  test('never reach the generated classes of lib/imports/, which ship without declarations', () => {
    // THEN no declaration the entry point reaches names them (.npmignore leaves lib/imports/*.d.ts out)
    expect(ours.filter((f) => f.startsWith('lib/imports/'))).toEqual([]);
  });
});
