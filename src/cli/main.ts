#!/usr/bin/env node
// The `cdk8s-hardened` command: `cdk8s-hardened check <files|dirs|-> [...]` (see check.ts) and `cdk8s-hardened --version`.
import { runCheck } from './check';
import { CHECK_SYNOPSIS } from './check-arguments';
import { toolVersion } from '../core/tool-version';

const [command, ...args] = process.argv.slice(2);
if (command === 'check') {
  const { output, status, problem } = runCheck(args);
  (status === 2 && problem === undefined ? process.stderr : process.stdout).write(`${output}\n`);
  if (problem !== undefined) process.stderr.write(`${problem}\n`);
  process.exitCode = status;
} else if (command === '--version') {
  process.stdout.write(`${toolVersion()}\n`);
} else {
  process.stderr.write(`usage: ${CHECK_SYNOPSIS}\n       cdk8s-hardened --version\n`);
  process.exitCode = command === '--help' || command === '-h' ? 0 : 2;
}
