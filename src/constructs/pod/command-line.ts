import { inputError } from '../../core/errors';
import { checkStringList } from '../../core/prop-checks';
import { describeCredential, findCredentialsInArgs } from '../../parsers/credentials';

/**
 * Checks the entrypoint and its arguments: lists of strings, with no literal credential anywhere in the
 * command line (a flag in `command` and its value in `args` count together). Names the argument, never the value.
 */
export function validateCommandLine(where: string, command: unknown, args: unknown): { command?: string[]; args?: string[] } {
  const commandList = command === undefined ? undefined : checkStringList(where, 'command', command);
  const argList = args === undefined ? undefined : checkStringList(where, 'args', args);
  const line = [...(commandList ?? []), ...(argList ?? [])];
  const found = findCredentialsInArgs(line);
  if (found.length) {
    const inCommand = found[0].index < (commandList?.length ?? 0);
    const position = inCommand ? `command[${found[0].index}]` : `args[${found[0].index - (commandList?.length ?? 0)}]`;
    throw inputError(
      where,
      `${position} holds ${describeCredential(found[0])}, which would be written into the manifest in clear text`,
      'pass the credential as an env var from a Secret (EnvValue.fromSecretValue) and refer to it as $(VAR_NAME) in args',
    );
  }
  return { command: commandList, args: argList };
}
