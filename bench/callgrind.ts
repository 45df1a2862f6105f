// Instruction counts of the timed region, under valgrind's callgrind. Wall time on a shared 2-core machine
// moves by ±20 % from one run to the next; the number of instructions executed does not (two runs of the
// same measurement agree within 0.5 %, whatever else the machine is doing), so the ratio budgets are judged
// on it. How the count is made repeatable and limited to the region:
//   - node runs with --single-threaded, so that garbage collection and compilation happen on the main
//     thread, inside the region, instead of on helper threads that would escape the count;
//   - and with --predictable-gc-schedule: V8 otherwise sizes its heap from the allocation rate per unit of
//     wall time, so a slower (loaded) run collects garbage at other moments; counts then moved by 2 %;
//   - and with --initial-old-space-size=2048: without it, where the few full collections of the old
//     generation fall depends on every allocation before them, so an unrelated change to the constructs
//     moved a whole mark-compact of the ~250 MB heap into or out of the policy's share (its overhead at
//     N = 1,000 read 13.5 %, then 16.5 % for the same policy code). With room for the whole run, no full
//     collection falls inside the region and the count measures the code; young-generation scavenges, the
//     allocation cost that scales with what the code allocates, are still counted;
//   - valgrind starts without instrumentation (--instr-atstart=no): loading modules runs several times faster;
//   - the worker switches instrumentation on with `callgrind_control -i on` just before the region;
//   - the region runs inside `vm.runInThisContext`, and only that native call is counted
//     (--collect-atstart=no --toggle-collect=<it>), so nothing before or after it is.
import { execFileSync, spawn } from 'child_process';
import { existsSync, readFileSync, unlinkSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

/** The native function of node that runs `vm.runInThisContext` scripts: counting is on inside it only. */
const REGION_FUNCTION = 'node::contextify::ContextifyScript::RunInContext*';

/** Whether valgrind (with callgrind_control) is on this machine. */
export function callgrindAvailable(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The command that runs `nodeArgs` under callgrind, counting only the region; the count lands in `outFile`. */
export function callgrindCommand(outFile: string, nodeArgs: string[]): { file: string; args: string[] } {
  return {
    file: 'valgrind',
    args: [
      '--tool=callgrind', `--callgrind-out-file=${outFile}`, '--instr-atstart=no', '--collect-atstart=no',
      `--toggle-collect=${REGION_FUNCTION}`, process.execPath, '--single-threaded', '--predictable-gc-schedule', '--initial-old-space-size=2048', ...nodeArgs,
    ],
  };
}

/**
 * Switches instrumentation on in this process (which runs under callgrind). valgrind only handles the
 * request while the program runs, so the worker spins until callgrind_control has returned.
 */
export function startInstrumentation(): void {
  const marker = path.join(tmpdir(), `cdk8s-hardened-bench-instrumented.${process.pid}`);
  spawn('sh', ['-c', `callgrind_control --instr=on ${process.pid} > /dev/null && touch ${marker}`], { stdio: 'inherit' });
  while (!existsSync(marker)) {
    // spin: the instructions spent here are outside the counted region
  }
  unlinkSync(marker);
}

/** The instructions counted in a callgrind output file (its `totals:` or `summary:` line). */
export function instructionCount(outFile: string): number {
  const match = /^(?:totals|summary): (\d+)/m.exec(readFileSync(outFile, 'utf8'));
  const count = match ? Number(match[1]) : 0;
  if (count === 0) {
    throw new Error(`${outFile}: callgrind counted no instructions in ${REGION_FUNCTION} (is node built with symbols?)`);
  }
  return count;
}
