#!/usr/bin/env node
// The `cdk8s-hardened` command: `cdk8s-hardened check <files|dirs|-> [...]` (see check.ts).
import { runCheck } from './check';

const [command, ...args] = process.argv.slice(2);
if (command === 'check') {
  const { output, status } = runCheck(args);
  (status === 2 ? process.stderr : process.stdout).write(`${output}\n`);
  process.exitCode = status;
} else {
  process.stderr.write('usage: cdk8s-hardened check <file|dir|->... [--packs a,b] [--format text|json|sarif] [--version v1.33] [--fail-on-warnings]\n');
  process.exitCode = command === '--help' || command === '-h' ? 0 : 2;
}
