// No merge conflict markers survive in the sources and docs. Markers inside a doc comment still compile, and then
// reach API.md and the published type declarations (this happened once: four props documented twice, with markers).
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const SCANNED = ['src', 'test', 'examples', 'bench', 'scripts', 'docs', 'README.md', 'API.md', 'RULES.md', 'CHANGELOG.md', '.projenrc.ts'];
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', '__snapshots__', 'fixtures', 'corpus']);
const TEXT = /\.(ts|js|md|json|ya?ml|sql|sh)$/;
/** A conflict marker: seven `<` or `>` and a space anywhere (API.md puts doc lines in table cells), seven `=` alone on a line. */
const MARKER = /<{7} |>{7} |^[ \t*/#]*={7}$/m;

function files(entry: string): string[] {
  const full = path.join(ROOT, entry);
  let children: string[];
  try {
    children = readdirSync(full);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return TEXT.test(entry) || !entry.includes('.') ? [entry] : [];
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return children.filter((child) => !SKIPPED_DIRECTORIES.has(child)).flatMap((child) => files(path.join(entry, child)));
}

test('no source or document holds a merge conflict marker', () => {
  // GIVEN the tracked sources and documents
  const scanned = SCANNED.flatMap(files);
  expect(scanned.length).toBeGreaterThan(100);
  // WHEN each is searched for a conflict marker
  const marked = scanned.filter((file) => MARKER.test(readFileSync(path.join(ROOT, file), 'utf8')));
  // THEN none has one
  expect(marked).toEqual([]);
});
