// `cdk8s-hardened check` on large Helm-like streams (bench/helm-like.ts), each size in a fresh process
// (bench/check-worker.ts): the whole command with the default packs, modules already loaded. Budget: 50 MB in
// under 10 s of CPU time, linear in size. The full run measures 10, 20 and 50 MB; --quick (CI) measures 10 and 20 MB
// and extrapolates 20 MB × 2.5 (proportionally: fixed costs such as compiling the code are counted 2.5 times, so
// the estimate is high).
import { execFileSync } from 'child_process';
import * as path from 'path';

/** One check of `bytes` of YAML: wall and CPU time of the command, peak RSS of the process, objects checked. */
export interface CheckSample {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssMiB: number;
  readonly bytes: number;
  readonly objects: number;
}

/** What the check budgets judge. */
export interface CheckFigures {
  /** The samples by size in MB. */
  readonly samples: { [megabytes: number]: CheckSample };
  /** CPU time for 50 MB: measured (full run) or 20 MB × 2.5 (--quick). */
  readonly cpuMsAt50: number;
  /** Whether cpuMsAt50 was measured. */
  readonly measured: boolean;
  /** CPU time at 20 MB over CPU time at 10 MB (2 is linear). */
  readonly linearity: number;
}

const WORKER = ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'check-worker.ts')];
const WORKER_ENV = { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_SWC: 'true' };

function measure(megabytes: number): CheckSample {
  return JSON.parse(execFileSync(process.execPath, [...WORKER, String(megabytes)], { encoding: 'utf8', env: WORKER_ENV }));
}

/** Checks 10 and 20 MB, and 50 MB unless quick. */
export function benchCheck(quick: boolean): CheckFigures {
  const samples: { [megabytes: number]: CheckSample } = {};
  for (const megabytes of quick ? [10, 20] : [10, 20, 50]) {
    samples[megabytes] = measure(megabytes);
    process.stderr.write(`check ${megabytes} MB done\n`);
  }
  return {
    samples,
    cpuMsAt50: quick ? samples[20].cpuMs * 2.5 : samples[50].cpuMs,
    measured: !quick,
    linearity: samples[20].cpuMs / samples[10].cpuMs,
  };
}
