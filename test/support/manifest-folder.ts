import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { stringify } from 'yaml';

/**
 * Writes files into a new folder (sub-folders included) and returns it: text as it is, a list of manifests as YAML
 * documents separated by `---`.
 */
export function folderWith(files: { [name: string]: string | any[] }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'check-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), typeof content === 'string' ? content : content.map((m) => stringify(m)).join('---\n'));
  }
  return dir;
}
