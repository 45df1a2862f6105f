// Removes `@internal` declarations from jsii's lib/**/*.d.ts (run by the compile task after jsii), which is what
// TypeScript's `stripInternal` would do. jsii refuses `stripInternal: true` in its tsconfig (the strict rule set,
// node_modules/jsii/lib/tsconfig/rulesets/strict.public.js) because TypeScript strips without looking at what
// refers to the stripped names: a public class or interface that extends an @internal one keeps its `extends`
// while the base disappears, and every TypeScript consumer of the package fails to compile (aws/jsii#1947,
// fixed by aws/jsii#2172 turning stripInternal off; aws/jsii-compiler#2461). jsii's own assembly (.jsii, what
// Python, Java, C# and Go use) already leaves @internal out.
//
// This pass strips only whole declarations whose doc comment says @internal (module-level declarations and
// members of classes and interfaces), byte for byte elsewhere, and then type-checks every declaration file a
// consumer reaches from lib/index.d.ts: the build fails when any of them still names a stripped declaration,
// instead of shipping broken types. (Modules outside that closure are not API: the exports map keeps them out.)
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const LIB = path.join(__dirname, '..', 'lib');

/** Whether a declaration's doc comment carries `@internal`. */
function isInternal(node: ts.Node): boolean {
  return ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'internal');
}

/** The name of a declaration, for the report. */
function nameOf(node: ts.Node): string {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.map((d) => d.name.getText()).join(', ');
  const name = (node as { name?: ts.Node }).name;
  return name ? name.getText() : ts.SyntaxKind[node.kind];
}

/** The text of a declaration file without its @internal declarations, and the names it removed. */
export function stripInternalDeclarations(fileName: string, text: string): { text: string; removed: string[] } {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const internal: ts.Node[] = [];
  for (const statement of source.statements) {
    if (isInternal(statement)) {
      internal.push(statement);
    } else if (ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
      internal.push(...(statement.members as ts.NodeArray<ts.Node>).filter(isInternal));
    }
  }
  let stripped = text;
  for (const node of [...internal].sort((a, b) => b.getFullStart() - a.getFullStart())) {
    stripped = stripped.slice(0, node.getFullStart()) + stripped.slice(node.getEnd());
  }
  return { text: internal.length ? withoutUnusedImports(fileName, stripped) : stripped, removed: internal.map(nameOf) };
}

/** Drops the named imports that nothing in the file names any more (they typed what was stripped). */
function withoutUnusedImports(fileName: string, text: string): string {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  let result = text;
  const imports = source.statements.filter(ts.isImportDeclaration).sort((a, b) => b.getFullStart() - a.getFullStart());
  for (const declaration of imports) {
    const bindings = declaration.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const rest = text.slice(0, declaration.getFullStart()) + text.slice(declaration.getEnd());
    const used = bindings.elements.filter((e) => new RegExp(`\\b${e.name.text}\\b`).test(rest));
    if (used.length === bindings.elements.length) continue;
    const replacement = used.length === 0 ? ''
      : `${text.slice(declaration.getFullStart(), bindings.getStart())}{ ${used.map((e) => e.getText()).join(', ')} }${text.slice(bindings.getEnd(), declaration.getEnd())}`;
    result = result.slice(0, declaration.getFullStart()) + replacement + result.slice(declaration.getEnd());
  }
  return result;
}

/**
 * Type errors in the declaration files under `dir` that an entry point's declarations reach (and only in them:
 * dependencies are not checked).
 */
export function declarationErrors(entry: string, dir: string): string[] {
  const program = ts.createProgram([entry], {
    noEmit: true, strict: true, skipLibCheck: false, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, types: ['node'],
  });
  const reached = program.getSourceFiles().filter((source) => !path.relative(dir, source.fileName).startsWith('..'));
  return reached.flatMap((source) => [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
    const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${path.relative(dir, source.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  }));
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'imports' ? [] : declarationFiles(file);
    return entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

function main(): void {
  const files = declarationFiles(LIB);
  let removed = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('@internal')) continue;
    const result = stripInternalDeclarations(file, text);
    removed += result.removed.length;
    writeFileSync(file, result.text);
  }
  const errors = declarationErrors(path.join(LIB, 'index.d.ts'), LIB);
  if (errors.length > 0) {
    throw new Error(`strip-internal: the declarations name what @internal removed:\n${errors.join('\n')}\n`
      + 'export what a public declaration needs, or keep it out of public signatures');
  }
  console.log(`strip-internal: removed ${removed} @internal declarations from ${files.length} declaration files; what lib/index.d.ts reaches type-checks`);
}

if (require.main === module) main();
