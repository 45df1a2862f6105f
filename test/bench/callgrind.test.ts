import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { callgrindCommand, instructionCount } from '../../bench/callgrind';

const dir = mkdtempSync(path.join(tmpdir(), 'callgrind-test-'));
function outFile(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('benchmark instruction counts', () => {
  test('reads the total of a callgrind output file', () => {
    // GIVEN the tail of a callgrind output file
    const file = outFile('totals', 'version: 1\ncmd: node worker.ts\nevents: Ir\nfn=(1) main\n3 120\n\ntotals: 2085405053\n');

    // THEN the count is the totals line
    expect(instructionCount(file)).toBe(2085405053);
  });

  test('refuses a file that counted nothing, naming the file and the function that was expected', () => {
    // GIVEN a run where the counted function was never entered
    const file = outFile('empty', 'version: 1\nevents: Ir\ntotals: 0\n');

    // THEN the benchmark stops instead of reporting a ratio of zeros
    expect(() => instructionCount(file)).toThrow(/empty: callgrind counted no instructions in node::contextify::ContextifyScript::RunInContext/);
  });

  test('counts only the region: instrumentation off at start, collection toggled by the vm call, node single-threaded with a fixed GC schedule and room for the whole run in the old generation', () => {
    // WHEN the command for a worker is built
    const { file, args } = callgrindCommand('/tmp/out', ['worker.ts', 'ours', '1000']);

    // THEN valgrind runs node with the worker after the callgrind options
    expect(file).toBe('valgrind');
    expect(args).toEqual(expect.arrayContaining(['--tool=callgrind', '--callgrind-out-file=/tmp/out', '--instr-atstart=no', '--collect-atstart=no']));
    expect(args.slice(-7)).toEqual([process.execPath, '--single-threaded', '--predictable-gc-schedule', '--initial-old-space-size=2048', 'worker.ts', 'ours', '1000']);
  });
});
