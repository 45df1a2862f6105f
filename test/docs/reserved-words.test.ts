// No public name is a keyword of Python, Java or Go: jsii's bindings would have to mangle it (`from_`), so it is
// renamed instead (PortRange.first/last, CidrTargetOptions.exceptCidrs). C# is left out on purpose: the .NET
// bindings capitalize properties and methods (`namespace` is `Namespace`, `object` is `Object`) and escape
// parameters (`@namespace`), which is why jsii's C# warnings for `namespace` and `object` are harmless here.
import { readFileSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** jsii's own lists, the ones its reserved-word warnings come from (not in jsii's exports map: required by path). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isReservedName } = require(path.join(path.dirname(require.resolve('jsii/package.json')), 'lib', 'reserved-words.js')) as {
  isReservedName(name: string): string[] | undefined;
};

const SRC = path.join(__dirname, '..', '..', 'src');

const isHidden = (node: ts.Node): boolean =>
  ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'internal')
  || (ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword));

/** Every name of the public API (`Type.member` and `Type.member(parameter)`), from the modules src/index.ts re-exports. */
function publicNames(): string[] {
  const index = ts.createSourceFile('index.ts', readFileSync(path.join(SRC, 'index.ts'), 'utf8'), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  for (const statement of index.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier) continue;
    const file = path.join(SRC, `${(statement.moduleSpecifier as ts.StringLiteral).text}.ts`);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const declaration of source.statements) {
      const exported = ts.canHaveModifiers(declaration) && (ts.getModifiers(declaration) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported || isHidden(declaration)) continue;
      if (!ts.isClassDeclaration(declaration) && !ts.isInterfaceDeclaration(declaration) && !ts.isEnumDeclaration(declaration)) continue;
      const type = declaration.name!.text;
      names.push(type);
      for (const member of declaration.members as ts.NodeArray<ts.ClassElement | ts.TypeElement | ts.EnumMember>) {
        if (isHidden(member)) continue;
        const name = member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : 'constructor';
        if (name.startsWith('_')) continue;
        names.push(`${type}.${name}`);
        if (!ts.isFunctionLike(member)) continue;
        for (const parameter of member.parameters) names.push(`${type}.${name}(${parameter.name.getText()})`);
      }
    }
  }
  return names;
}

/** The last identifier of a public name, and the languages other than C# that reserve it. */
function reservedOutsideCSharp(name: string): string[] {
  const identifier = /([A-Za-z_$][A-Za-z0-9_$]*)\)?$/.exec(name)![1];
  return (isReservedName(identifier) ?? []).filter((language) => language !== 'C#');
}

describe('public names in other languages', () => {
  const names = publicNames();

  test('no public name is reserved in Python, Java or Go', () => {
    // GIVEN every type, member and parameter name of the public API / WHEN looked up in jsii's reserved words
    const reserved = names.map((name) => [name, reservedOutsideCSharp(name)]).filter(([, languages]) => languages.length > 0);
    // THEN none is reserved
    expect(reserved).toEqual([]);
  });

  test('the walk reaches props, methods and parameters, and would flag the old names', () => {
    expect(names).toEqual(expect.arrayContaining([
      'PortRange.first', 'CidrTargetOptions.exceptCidrs', 'HardenedWorkload.allowRead', 'HardenedWorkload.allowRead(resources)',
      'EgressTarget.cidr(cidr)', 'PodSecurityLevel.RESTRICTED', 'DefaultDenyNamespaceProps.podSecurityVersion',
    ]));
    expect(names.length).toBeGreaterThan(300);
    expect(reservedOutsideCSharp('PortRange.from')).toEqual(['Python']);
    expect(reservedOutsideCSharp('CidrTargetOptions.except')).toEqual(['Python']);
    expect(reservedOutsideCSharp('Prerequisite.namespace')).toEqual([]);
  });
});
