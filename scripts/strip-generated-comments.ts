// Strips the comments from the generated classes of lib/imports/ (cdk8s import's output, compiled by jsii). They ship
// as JavaScript only — no declarations, no source maps (.projenrc.ts) — so their doc comments reach no reader, and
// they are about 40 % of those files. Run after jsii, by the compile task. Our own lib/ keeps its comments.
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const IMPORTS = path.join(__dirname, '..', 'lib', 'imports');

for (const file of readdirSync(IMPORTS).filter((name) => name.endsWith('.js'))) {
  const full = path.join(IMPORTS, file);
  const source = readFileSync(full, 'utf8');
  const printer = ts.createPrinter({ removeComments: true });
  const stripped = printer.printFile(ts.createSourceFile(file, source, ts.ScriptTarget.ES2020, false, ts.ScriptKind.JS));
  writeFileSync(full, stripped);
  process.stdout.write(`${path.relative(process.cwd(), full)}: ${source.length} -> ${stripped.length} bytes (comments removed)\n`);
}
