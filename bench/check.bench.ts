// `cdk8s-hardened check` on large Helm-like streams (bench/helm-like.ts), each size in a fresh process
// (bench/check-worker.ts): the whole command with the default packs, modules already loaded. Budget: 50 MB in
// under 10 s of CPU time, linear in size. Every run, --quick (CI) included, measures 10, 20 and 50 MB: the 50 MB check
// takes seconds, and an estimate from the smaller sizes (20 MB × 2.5) leaves the budget's margin to the extrapolation.
// CPU time of one 50 MB check moves by ±15 % here (6.6, 7.4, 8.9 s in three runs): the budget takes the median of three.
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
  /** CPU time for 50 MB (the median of three runs). */
  readonly cpuMsAt50: number;
  /** CPU time at 20 MB over CPU time at 10 MB (2 is linear). */
  readonly linearity: number;
}

const WORKER = ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'check-worker.ts')];
const WORKER_ENV = { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_SWC: 'true' };

function measure(megabytes: number): CheckSample {
  return JSON.parse(execFileSync(process.execPath, [...WORKER, String(megabytes)], { encoding: 'utf8', env: WORKER_ENV }));
}

/** Checks 10 and 20 MB once, 50 MB three times (the sample with the median CPU time). */
export function benchCheck(): CheckFigures {
  const samples: { [megabytes: number]: CheckSample } = {};
  for (const megabytes of [10, 20]) {
    samples[megabytes] = measure(megabytes);
    process.stderr.write(`check ${megabytes} MB done\n`);
  }
  samples[50] = [measure(50), measure(50), measure(50)].sort((a, b) => a.cpuMs - b.cpuMs)[1];
  process.stderr.write('check 50 MB done (3 runs)\n');
  return {
    samples,
    cpuMsAt50: samples[50].cpuMs,
    linearity: samples[20].cpuMs / samples[10].cpuMs,
  };
}
