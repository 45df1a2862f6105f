#!/usr/bin/env node
// The `cdk8s-hardened` command: `cdk8s-hardened check <files|dirs|-> [...]` (see check.ts), `cdk8s-hardened reach <files|dirs|-> [...]`
// (see reach.ts) and `cdk8s-hardened --version`.
import { runCheck } from './check';
import { CHECK_SYNOPSIS } from './check-arguments';
import { REACH_SYNOPSIS, runReach } from './reach';
import { toolVersion } from '../core/tool-version';

const [command, ...args] = process.argv.slice(2);
if (command === 'check') {
  const { output, status, problem } = runCheck(args);
  (status === 2 && problem === undefined ? process.stderr : process.stdout).write(`${output}\n`);
  if (problem !== undefined) process.stderr.write(`${problem}\n`);
  process.exitCode = status;
} else if (command === 'reach') {
  const { output, status, warnings } = runReach(args);
  (status === 2 ? process.stderr : process.stdout).write(output === '' ? '' : `${output}\n`);
  if (warnings !== undefined) process.stderr.write(`${warnings}\n`);
  process.exitCode = status;
} else if (command === '--version') {
  process.stdout.write(`${toolVersion()}\n`);
} else {
  process.stderr.write(`usage: ${CHECK_SYNOPSIS}\n       ${REACH_SYNOPSIS}\n       cdk8s-hardened --version\n`);
  process.exitCode = command === '--help' || command === '-h' ? 0 : 2;
}
