import { readFileSync } from 'fs';
import * as path from 'path';

/**
 * The version of cdk8s-hardened that is running: `version` in its package.json, two folders above this module
 * (`lib/core/` in the package, `src/core/` in the repository).
 */
export function toolVersion(): string {
  return JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}
