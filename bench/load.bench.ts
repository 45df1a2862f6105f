// What a user pays before writing a line: the cold `require` of the library next to cdk8s-plus-27's (each in a
// fresh process, alternating, median), and the size of the packed lib/ folder. The library's exports load on first
// read (scripts/lazy-index.ts), so `require` alone says little: the budget is `require` plus the first read of
// SecureDeployment, what every app does; `require` alone and every export read are measured beside it.
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** Milliseconds to require the module and run `use` on it, in a fresh node process (compiled on first load, as in an app). */
function requireMs(module: string, use: string = ''): number {
  const script = `const t = process.hrtime.bigint(); const m = require(${JSON.stringify(module)}); ${use}; process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export interface LoadFigures {
  /** `require('cdk8s-hardened')` and the first read of SecureDeployment. */
  readonly oursMs: number;
  /** `require('cdk8s-hardened')` alone. */
  readonly requireOnlyMs: number;
  /** `require('cdk8s-hardened')` and a read of every export (the whole library). */
  readonly everyExportMs: number;
  readonly plusMs: number;
  readonly libBytes: number;
  readonly packageBytes: number;
}

/** Cold require of lib/index.js (needs `npx projen compile`) and of cdk8s-plus-27, `rounds` each, alternating. */
export function benchLoad(rounds: number): LoadFigures {
  const ours: number[] = [];
  const requireOnly: number[] = [];
  const everyExport: number[] = [];
  const plus: number[] = [];
  const oursModule = path.join(ROOT, 'lib', 'index.js');
  const plusModule = require.resolve('cdk8s-plus-27', { paths: [ROOT] });
  requireMs(oursModule); // warm the file system cache, not the process
  for (let i = 0; i < rounds; i++) {
    ours.push(requireMs(oursModule, 'm.SecureDeployment'));
    plus.push(requireMs(plusModule, 'm.Deployment'));
    requireOnly.push(requireMs(oursModule));
    everyExport.push(requireMs(oursModule, 'for (const name of Object.keys(m)) m[name]'));
  }
  // What `npm pack` would put in the package (prepack is not run: lib/ is what was compiled).
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }))[0];
  const libBytes = packed.files.filter((f: { path: string }) => f.path.startsWith('lib/')).reduce((sum: number, f: { size: number }) => sum + f.size, 0);
  return {
    oursMs: median(ours),
    requireOnlyMs: median(requireOnly),
    everyExportMs: median(everyExport),
    plusMs: median(plus),
    libBytes,
    packageBytes: packed.size,
  };
}
