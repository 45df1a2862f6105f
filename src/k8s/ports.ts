import { inputError, quote } from '../core/errors';

/** The name of a workload's served port (Services target it by name). */
export const DEFAULT_PORT_NAME = 'http';

/** Checks a TCP/UDP port number: an integer from 1 to 65535. */
export function validatePort(where: string, what: string, port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw inputError(where, `${what} ${quote(port)} is not a valid port`, 'use an integer from 1 to 65535');
  }
  return port;
}

/** Checks a port name (IANA_SVC_NAME): at most 15 lower-case letters, digits and `-`, with a letter. */
export function validatePortName(where: string, name: string): string {
  if (name.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || !/[a-z]/.test(name) || name.includes('--')) {
    throw inputError(
      where,
      `port name ${quote(name)} is not a valid IANA service name`,
      'use at most 15 lower-case letters, digits and single "-", with at least one letter (e.g. "http")',
    );
  }
  return name;
}
