// What a user pays before writing a line: the cold `require` of the library next to cdk8s-plus-27's (each in a
// fresh process, alternating, median), and the size of the packed lib/ folder.
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** Milliseconds to require the module in a fresh node process (modules compiled on first load, as a user's app). */
function requireMs(module: string): number {
  const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(module)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export interface LoadFigures {
  readonly oursMs: number;
  readonly plusMs: number;
  readonly libBytes: number;
  readonly packageBytes: number;
}

/** Cold require of lib/index.js (needs `npx projen compile`) and of cdk8s-plus-27, `rounds` each, alternating. */
export function benchLoad(rounds: number): LoadFigures {
  const ours: number[] = [];
  const plus: number[] = [];
  const oursModule = path.join(ROOT, 'lib', 'index.js');
  const plusModule = require.resolve('cdk8s-plus-27', { paths: [ROOT] });
  requireMs(oursModule); // warm the file system cache, not the process
  for (let i = 0; i < rounds; i++) {
    ours.push(requireMs(oursModule));
    plus.push(requireMs(plusModule));
  }
  // What `npm pack` would put in the package (prepack is not run: lib/ is what was compiled).
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }))[0];
  const libBytes = packed.files.filter((f: { path: string }) => f.path.startsWith('lib/')).reduce((sum: number, f: { size: number }) => sum + f.size, 0);
  return { oursMs: median(ours), plusMs: median(plus), libBytes, packageBytes: packed.size };
}
