import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { declarationErrors, stripInternalDeclarations } from '../../scripts/strip-internal';

const DECLARATIONS = `import { Construct } from 'constructs';
/** Public. */
export declare class Target {
    /** The value. */
    readonly value: string;
    /**
     * Checks the target.
     * @internal
     */
    _ports(where: string): number[];
    /** @internal */
    readonly _selector?: string;
    /** Public too. */
    toString(): string;
}
/**
 * A helper of the library.
 * @internal
 */
export declare function quote(value: unknown): string;
/** @internal */
export declare const LIMIT = 3;
export interface Options {
    /** @internal */
    readonly _hidden?: boolean;
    /** Shown. */
    readonly shown?: Construct;
}
`;

describe('strip-internal: the declarations TypeScript consumers see', () => {
  test('drops the imports only stripped declarations used, and keeps the others', () => {
    // GIVEN an @internal member typed by an imported class, beside a public one typed by another
    const text = [
      "import { App } from 'cdk8s';",
      "import { Evaluations, Report } from './enforcement';",
      'export declare class Hardened extends App {',
      '    /** @internal */',
      '    _evaluations: Evaluations | undefined;',
      '    report(): Report;',
      '}',
      '',
    ].join('\n');
    // WHEN stripped
    const stripped = stripInternalDeclarations('b.d.ts', text).text;
    // THEN the import of what the stripped member named is gone, the rest stays
    expect(stripped).toContain("import { App } from 'cdk8s';");
    expect(stripped).toContain("import { Report } from './enforcement';");
    expect(stripped).not.toContain('Evaluations');
  });

  test('removes @internal module declarations and class and interface members, and nothing else', () => {
    // GIVEN a declaration file with public and @internal declarations / WHEN stripped
    const { text, removed } = stripInternalDeclarations('a.d.ts', DECLARATIONS);
    // THEN the @internal ones are gone, with their doc comments
    expect(removed).toEqual(['_ports', '_selector', 'quote', 'LIMIT', '_hidden']);
    expect(text).not.toMatch(/@internal|_ports|_selector|quote|LIMIT|_hidden/);
    // AND the rest is byte for byte what it was
    expect(text).toBe(`import { Construct } from 'constructs';
/** Public. */
export declare class Target {
    /** The value. */
    readonly value: string;
    /** Public too. */
    toString(): string;
}
export interface Options {
    /** Shown. */
    readonly shown?: Construct;
}
`);
  });

  test('a file without @internal is unchanged', () => {
    const text = 'export declare class A {\n    b(): void;\n}\n';
    expect(stripInternalDeclarations('a.d.ts', text)).toEqual({ text, removed: [] });
  });

  describe('the type check of what the entry point reaches', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'strip-internal-'));
    afterAll(() => rmSync(dir, { recursive: true }));
    const write = (files: { [name: string]: string }) => {
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
      return path.join(dir, 'index.d.ts');
    };

    test('fails when a public declaration extends a stripped one (why jsii refuses stripInternal)', () => {
      // GIVEN a public class extending an @internal base, stripped as TypeScript's stripInternal would
      const base = stripInternalDeclarations('base.d.ts', '/** @internal */\nexport declare class Base {\n    a(): void;\n}\nexport declare class Other {\n}\n').text;
      const entry = write({ 'base.d.ts': base, 'index.d.ts': "import { Base } from './base';\nexport declare class Public extends Base {\n}\n" });
      // WHEN checked / THEN the dangling name is reported, with file and line
      expect(declarationErrors(entry, dir)).toEqual(['index.d.ts:1: Module \'"./base"\' has no exported member \'Base\'.']);
    });

    test('passes when only members nobody names were stripped', () => {
      const entry = write({
        'base.d.ts': stripInternalDeclarations('base.d.ts', DECLARATIONS.replace(/^import .*\n/, '').replace('Construct', 'string')).text,
        'index.d.ts': "export * from './base';\n",
      });
      expect(declarationErrors(entry, dir)).toEqual([]);
    });
  });
});
