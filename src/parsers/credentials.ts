// Credential detection: judges names (env variables, ConfigMap keys, annotation keys, header names) and
// values (env literals, command lines, annotations, whole configuration files). It reports what was found
// and where, never the value itself.
//
// How it stays fast: one case-insensitive "trigger" regex finds, in a single pass, which detectors can
// apply to a text (most values trigger none and are done after that pass); only those detectors run, each
// a precompiled global regex anchored on a literal or a word boundary, with bounded repetitions (no
// quadratic backtracking on hostile input). Module-level regexes are used with `lastIndex` reset before
// each scan and left at 0 after it; nothing else is kept between calls.

// The parts live in credential-detection/: which names denote a credential (credential-names.ts), which literal
// values are secrets rather than placeholders (literal-values.ts), and the detectors with their triggers
// (detectors.ts). This module runs them over a text and describes what they found.
import { credentialName } from './credential-detection/credential-names';
import { Hit, triggered } from './credential-detection/detectors';
import { isLiteralSecret, nameKind } from './credential-detection/literal-values';

export { isCredentialName } from './credential-detection/credential-names';

/** A credential found in a text: what it is and where it starts, never the value itself. */
export interface CredentialMatch {
  /**
   * What was found, for humans: e.g. `AWS access key id`, `JWT`, `PEM private key`, `password in URL`,
   * `JDBC password`, `password property`, `token argument`, `literal password`.
   */
  readonly kind: string;
  /** Offset (UTF-16 code units) of the first character of the secret in the text. */
  readonly offset: number;
  /**
   * 1-based line of the secret.
   * @default - none: the text is a single line
   */
  readonly line?: number;
}

/** A credential found in a command line (a container's `command` + `args`, or an exec probe's command). */
export interface ArgCredentialMatch extends CredentialMatch {
  /** Index of the argument holding the secret; `offset` and `line` are relative to that argument. */
  readonly index: number;
}

/** What is known about a text besides its content. */
export interface CredentialContext {
  /**
   * The name the text is stored under: an env variable, a ConfigMap key, an annotation key, a header name.
   * A credential name (`DB_PASSWORD`, `api-token`, `X-Api-Key`, …) with a literal single-line value is a
   * credential even when the value has no known shape.
   * @default - the value alone is judged
   */
  readonly name?: string;
}

/** Shorter texts are judged by their name only. */
const MIN_LENGTH = 6;
/** At most this many credentials are reported per text (a hostile text could hold a million). */
const MAX_MATCHES = 256;

/** Runs the detectors; overlapping hits are resolved in favour of the more specific one. */
function detect(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const detector of triggered(text)) {
    const pattern = detector.pattern;
    pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (hits.length < 4 * MAX_MATCHES && (m = pattern.exec(text)) !== null) {
      const found = detector.judge(m, text);
      if (found !== undefined) hits.push({ ...found, priority: detector.priority });
      if (m[0].length === 0) pattern.lastIndex++;
    }
    pattern.lastIndex = 0;
  }
  if (hits.length < 2) return hits;
  hits.sort((a, b) => b.priority - a.priority || a.start - b.start);
  const kept: Hit[] = [];
  for (const hit of hits) {
    if (kept.length === MAX_MATCHES) break;
    if (!kept.some((k) => hit.start < Math.max(k.end, k.start + 1) && k.start < Math.max(hit.end, hit.start + 1))) kept.push(hit);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Finds the credentials in a text: an env literal, an annotation, an argument, a whole configuration file
 * (property files, YAML, JSON, .env, XML, scripts, connection strings), line by line. Reports each
 * credential's kind and position, never its value.
 *
 * Detected: tokens of known shape (AWS access key ids, GitHub, GitLab, Slack, Stripe, Google API, npm,
 * SendGrid, Twilio and `sk-…` API keys, JWTs, PEM private keys, GCP service account keys, Azure account
 * keys, Docker registry auths, Slack webhooks), `Bearer`/`Basic` credentials, passwords in URLs
 * (`scheme://user:pass@`, `?password=`), JDBC/ODBC/ADO passwords, credential properties (`db.password=…`,
 * `password: …`, `"token": "…"`, `<password>…</password>`, `aws_secret_access_key = …`), credential flags
 * (`--password=…`, `--token …`, `mysql -p…`, `curl -u user:pass`, `sshpass -p`, `redis-cli -a`,
 * `docker login -p`), env entries inside manifests, and — when `context.name` names a credential — the
 * literal single-line value itself.
 *
 * Not credentials: placeholders (`$(VAR)`, `${VAR}`, `{{ … }}`, `<password>`), masks, booleans, numbers
 * and durations (except a password of 4+ digits), file paths (a mounted secret), secret-manager references,
 * and names whose head word is not a credential (`TOKEN_TTL`, `PASSWORD_FILE`, `SECRET_NAME`).
 */
export function findCredentials(text: string, context?: CredentialContext): CredentialMatch[] {
  if (typeof text !== 'string') return [];
  const hits = text.length >= MIN_LENGTH ? detect(text) : [];
  const multiline = text.includes('\n');
  if (hits.length === 0) {
    const name = typeof context?.name === 'string' ? credentialName(context.name) : undefined;
    const value = text.trim();
    if (name === undefined || value.includes('\n') || !isLiteralSecret(value, name)) return [];
    const offset = text.length - text.trimStart().length;
    const kind = nameKind(name, value, (noun) => `literal ${noun}`);
    return [multiline ? { kind, offset, line: lineAt(text, offset) } : { kind, offset }];
  }
  if (!multiline) return hits.map((hit) => ({ kind: hit.kind, offset: hit.start }));
  let line = 1;
  let scanned = 0;
  return hits.map((hit) => {
    for (let i = text.indexOf('\n', scanned); i >= 0 && i < hit.start; i = text.indexOf('\n', i + 1)) line++;
    scanned = hit.start;
    return { kind: hit.kind, offset: hit.start, line };
  });
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Finds the credentials in a command line (`command` + `args`, or an exec probe's command), with flags and
 * their values in separate arguments (`["--password", "…"]`) as well as whole shell scripts (`sh -c "…"`).
 * Offsets and lines are relative to the argument holding the secret. Non-string arguments are ignored.
 */
export function findCredentialsInArgs(args: readonly unknown[]): ArgCredentialMatch[] {
  if (!Array.isArray(args) || args.length === 0) return [];
  const parts = args.map((arg) => (typeof arg === 'string' ? arg : typeof arg === 'number' ? String(arg) : ''));
  const starts: number[] = [];
  let position = 0;
  for (const part of parts) {
    starts.push(position);
    position += part.length + 1;
  }
  return findCredentials(parts.join(' ')).map((match) => {
    let index = starts.length - 1;
    while (index > 0 && starts[index] > match.offset) index--;
    const part = parts[index];
    const offset = match.offset - starts[index];
    return part.includes('\n') ? { kind: match.kind, offset, line: lineAt(part, offset), index } : { kind: match.kind, offset, index };
  });
}

/** Whether a literal value carries a credential that must live in a Secret (by its content alone; see `findCredentials`). */
export function isCredentialValue(value: string): boolean {
  return findCredentials(value).length > 0;
}

/** The kind with its article: `an AWS access key id`, `a JWT`, `an npm token`. */
export function describeCredentialKind(kind: string): string {
  return `${/^(?:[aeio]|AWS\b|API\b|npm\b|SSH\b|HTTP|LDAP\b|RSA\b)/i.test(kind) ? 'an' : 'a'} ${kind}`;
}

/** A match for messages, never with the value: `an AWS access key id at offset 12`, `a JDBC password on line 3`. */
export function describeCredential(match: CredentialMatch): string {
  const where = match.line !== undefined ? `on line ${match.line}` : `at offset ${match.offset}`;
  return `${describeCredentialKind(match.kind)} ${where}`;
}
