// The detectors: each finds one form of credential in a text (a token shape, a header, a URL password, an
// assignment, a flag, an env list entry, …), behind a case-insensitive trigger that most texts do not contain.

import { FLAG_VERBS, credentialName } from './credential-names';
import { MASK, PASSWORD, URL_PLACEHOLDER, isLiteralSecret, nameKind } from './literal-values';

/** A candidate found by a detector: its kind and the span of the secret. */
export interface Hit {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  readonly priority: number;
}

export interface Detector {
  /** Case-insensitive regex source that must occur in a text for the detector to apply (no capture groups). */
  readonly trigger: string;
  /** Global regex finding candidates. */
  readonly pattern: RegExp;
  /** When two hits overlap, the higher priority wins: specific shapes over generic assignments over names. */
  readonly priority: number;
  /** The kind and span of the secret in a candidate, or undefined when it is not a credential. */
  judge(match: RegExpExecArray, text: string): { kind: string; start: number; end: number } | undefined;
}

const SHAPE = 100;
const PEM = 90;
const HEADER = 80;
const URL_PASSWORD = 70;
const TOOL = 60;
const ASSIGNMENT = 50;
const ENV_PAIR = 40;

/** A token with a known shape: the whole match is the secret. */
function shape(kind: string, trigger: string, pattern: RegExp, valid?: (token: string) => boolean, priority = SHAPE): Detector {
  return {
    trigger,
    pattern,
    priority,
    judge: (m) => (valid === undefined || valid(m[0]) ? { kind, start: m.index, end: m.index + m[0].length } : undefined),
  };
}

/** A password that is the last capture group of the match and ends it (`-psecret`, `user:secret@`). */
function trailing(kind: string, trigger: string, pattern: RegExp, priority: number, endOffset = 0,
  accept: (secret: string) => boolean = (secret) => isLiteralSecret(unquote(secret), PASSWORD)): Detector {
  return {
    trigger,
    pattern,
    priority,
    judge: (m) => {
      const secret = m[m.length - 1];
      if (secret === undefined || !accept(secret)) return undefined;
      const end = m.index + m[0].length - endOffset;
      return { kind, start: end - secret.length, end };
    },
  };
}

function unquote(value: string): string {
  return value.replace(/^["']|["']$/g, '');
}

/** Whether base64 decodes to `user:password` (printable, with a colon and a password). */
function isBase64UserPassword(encoded: string): boolean {
  const decoded = Buffer.from(encoded, 'base64').toString('latin1');
  return /^[\x20-\x7e]+:[\x20-\x7e]+$/.test(decoded);
}

/** Letters of both cases and digits: a random token, not a word. */
function isRandom(token: string): boolean {
  return /[a-z]/.test(token) && /[A-Z]/.test(token) && /\d/.test(token);
}

/** The longest value, line prefix or identifier looked at: keeps every scan linear on hostile input. */
const MAX_SCAN = 4096;
const MAX_NAME = 64;

/** Where the value after `name=` or `name:` ends, and how it is delimited. */
function valueSpan(text: string, start: number, separator: string, delimited: boolean): { start: number; end: number; value: string } {
  const lineEnd = lineEndAt(text, start);
  const first = text[start];
  if (first === '"' || first === "'") {
    let i = start + 1;
    while (i < lineEnd && text[i] !== first) i += text[i] === '\\' ? 2 : 1;
    const end = Math.min(i, lineEnd);
    return { start: start + 1, end, value: text.slice(start + 1, end) };
  }
  if (first === '{' && separator === '=' && text[start + 1] !== '{') {
    // ODBC quotes values in braces: PWD={p;ss}
    let end = start + 1;
    while (end < lineEnd && text[end] !== '}') end++;
    return { start: start + 1, end, value: text.slice(start + 1, end) };
  }
  if ((first === '|' || first === '>') && separator === ':' && /^[|>][-+]?\d*[ \t]*$/.test(text.slice(start, lineEnd))) {
    // A YAML block scalar: the value is on the next line, indented deeper than the key.
    const next = text[lineEnd] === '\r' ? lineEnd + 2 : lineEnd + 1;
    if (next >= text.length) return { start, end: start, value: '' };
    const indent = indentAt(text, next);
    if (indent <= indentAt(text, lineStartAt(text, start))) return { start, end: start, value: '' };
    const nextEnd = lineEndAt(text, next);
    return { start: next + indent, end: nextEnd, value: text.slice(next + indent, nextEnd) };
  }
  let end = start;
  if (delimited) {
    while (end < lineEnd && !/[\s;&)#,'"]/.test(text[end])) end++;
  } else {
    end = lineEnd;
    while (end > start && /[\s,]/.test(text[end - 1])) end--;
  }
  return { start, end, value: text.slice(start, end) };
}

function indentAt(text: string, lineStart: number): number {
  let i = lineStart;
  while (i < text.length && i - lineStart < MAX_SCAN && (text[i] === ' ' || text[i] === '\t')) i++;
  return i - lineStart;
}

/** The end of the line at `index` (before `\r\n`), at most MAX_SCAN characters on. */
function lineEndAt(text: string, index: number): number {
  const limit = Math.min(text.length, index + MAX_SCAN);
  let end = index;
  while (end < limit && text[end] !== '\n') end++;
  return end > index && text[end - 1] === '\r' ? end - 1 : end;
}

/** The start of the line at `index`, at most MAX_SCAN characters back. */
function lineStartAt(text: string, index: number): number {
  const limit = Math.max(0, index - MAX_SCAN);
  let start = index;
  while (start > limit && text[start - 1] !== '\n') start--;
  return start;
}

const IDENTIFIER = /[\w.-]/;
const CREDENTIAL_WORD = 'pass|pwd|secret|token|credential|key|auth';

/** A credential-ish identifier around a keyword match: its name, where it starts, its dashes. */
interface Identifier {
  /** The name, without leading dashes. */
  readonly name: string;
  /** Where the identifier starts, dashes included. */
  readonly start: number;
  /** Leading `-` or `--`. */
  readonly dashes: boolean;
}

/**
 * The identifier holding the keyword at `keyword` and ending at `end`, found by walking back over name
 * characters; undefined when it is too long, starts with no letter, or is part of a path or of a
 * placeholder (`${DB_PASSWORD:-…}`, `$(…)`).
 */
function identifierAt(text: string, keyword: number, end: number): Identifier | undefined {
  let start = keyword;
  while (start > 0 && IDENTIFIER.test(text[start - 1])) {
    start--;
    if (end - start > 2 * MAX_NAME) return undefined;
  }
  let nameStart = start;
  while (nameStart < keyword && text[nameStart] === '-') nameStart++;
  const dashCount = nameStart - start;
  if (dashCount > 2 || !/[A-Za-z_]/.test(text[nameStart])) return undefined;
  let before = start - 1;
  if (dashCount === 0 && (text[before] === '"' || text[before] === "'")) before--;
  const b = before >= 0 ? text[before] : '';
  if (b === '/' || ((b === '{' || b === '(') && text[before - 1] === '$') || (b === '(' && text[before - 1] === '%')) return undefined;
  return { name: text.slice(nameStart, end), start, dashes: dashCount > 0 };
}

/** `name=value` and `name: value` for credential names: property files, YAML, JSON, .env, URLs, connection strings, `--flag=value`. */
const assignment: Detector = {
  trigger: CREDENTIAL_WORD,
  pattern: new RegExp(`(?:${CREDENTIAL_WORD})[\\w.-]{0,${MAX_NAME}}(?![\\w.-])["']?[ \\t]*([:=])[ \\t]*`, 'gi'),
  priority: ASSIGNMENT,
  judge: (m, text) => {
    const id = identifierAt(text, m.index, m.index + m[0].search(/["' \t:=]/));
    if (id === undefined) return undefined;
    const valueStart = m.index + m[0].length;
    if (m[1] === ':') {
      // YAML and JSON put a blank or a quote after the colon (`secret:shop/db` in an ARN is no property),
      // and `{` or `[` there opens a structure, not a value.
      const after = text[m.index + m[0].lastIndexOf(':') + 1];
      if (after !== undefined && !/[\s"']/.test(after)) return undefined;
      if (text[valueStart] === '{' || text[valueStart] === '[') return undefined;
    }
    const name = credentialName(id.name);
    if (name === undefined || (id.dashes && FLAG_VERBS.has(name.words[0]))) return undefined;
    const before = id.start > 0 ? text[id.start - 1] : '';
    const prefix = text.slice(lineStartAt(text, id.start), id.start);
    const jdbc = /jdbc:/i.test(prefix);
    const url = !jdbc && (before === '?' || before === '&') && prefix.includes('://');
    const connection = !jdbc && !url && (before === ';' || before === '(');
    const value = valueSpan(text, valueStart, m[1], id.dashes || jdbc || url || connection);
    if (!isLiteralSecret(value.value, name, true)) return undefined;
    const kind = nameKind(name, value.value, (noun) => {
      if (jdbc) return `JDBC ${noun}`;
      if (url) return `${noun} in URL`;
      if (connection) return `connection-string ${noun}`;
      return id.dashes ? `${noun} argument` : `${noun} property`;
    });
    return { kind, start: value.start, end: value.end };
  },
};

/** `--password secret`: a credential flag followed by its value as the next word or argument. */
const nextArgument: Detector = {
  trigger: CREDENTIAL_WORD,
  pattern: new RegExp(`(?:${CREDENTIAL_WORD})[\\w.-]{0,${MAX_NAME}}(?![\\w.-])[ \\t]+(?=[^\\s-])`, 'gi'),
  priority: ASSIGNMENT,
  judge: (m, text) => {
    const id = identifierAt(text, m.index, m.index + m[0].search(/[ \t]/));
    if (id === undefined || !id.dashes) return undefined;
    const name = credentialName(id.name);
    if (name === undefined || FLAG_VERBS.has(name.words[0])) return undefined;
    const start = m.index + m[0].length;
    let end = start;
    while (end < text.length && end - start < MAX_SCAN && !/\s/.test(text[end])) end++;
    const value = unquote(text.slice(start, end));
    if (!isLiteralSecret(value, name, true)) return undefined;
    return { kind: nameKind(name, value, (noun) => `${noun} argument`), start, end };
  },
};

/** `{"name": "DB_PASSWORD", "value": "…"}` and `- name: DB_PASSWORD\n  value: …`: env lists inside a text (manifests, last-applied-configuration). */
function envPair(trigger: string, pattern: RegExp, quoted: boolean): Detector {
  return {
    trigger,
    pattern,
    priority: ENV_PAIR,
    judge: (m, text) => {
      const name = credentialName(m[1]);
      if (name === undefined) return undefined;
      const value = valueSpan(text, m.index + m[0].length - (quoted ? 1 : 0), ':', false);
      if (!isLiteralSecret(value.value, name, true)) return undefined;
      return { kind: nameKind(name, value.value, (noun) => `literal ${noun}`), start: value.start, end: value.end };
    },
  };
}

/** `<password>…</password>` (Maven settings.xml, …). */
const xmlElement: Detector = {
  trigger: 'pass|pwd|secret|token|credential|key|auth',
  pattern: /<((?=[A-Za-z_])[\w.:-]{0,64}?(?:pass|pwd|secret|token|credential|key|auth)[\w.-]{0,64})>([^<\n]{0,1024})<\/\1>/gi,
  priority: ASSIGNMENT,
  judge: (m) => {
    const name = credentialName(m[1]);
    if (name === undefined || !isLiteralSecret(m[2], name, true)) return undefined;
    const start = m.index + m[1].length + 2;
    return { kind: nameKind(name, m[2], (noun) => `${noun} property`), start, end: start + m[2].length };
  },
};

/** A GCP service account key file: the `private_key` of a JSON whose `type` is `service_account`. */
const gcpServiceAccount: Detector = {
  trigger: 'service_account',
  pattern: /"private_key"\s*:\s*"/g,
  priority: SHAPE,
  judge: (m, text) => {
    if (!/"type"\s*:\s*"service_account"/.test(text)) return undefined;
    const value = valueSpan(text, m.index + m[0].length - 1, ':', false);
    return value.value === '' ? undefined : { kind: 'GCP service account key', start: value.start, end: value.end };
  },
};

const DETECTORS: Detector[] = [
  shape('AWS access key id', 'akia|asia', /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g),
  shape('GitHub token', 'gh[pousr]_|github_pat_', /(?<![\w])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_\w{22,255})(?![\w])/g),
  shape('GitLab token', 'glpat-', /(?<![\w-])glpat-[\w-]{20,255}(?![\w-])/g),
  shape('Slack token', 'xox[baprs]-', /(?<![\w-])xox[baprs]-[A-Za-z0-9-]{10,255}/g),
  shape('Slack webhook URL', 'hooks\\.slack\\.com', /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/]{20,255}/g),
  shape('Stripe secret key', '[sr]k_live_', /(?<![\w])[sr]k_live_[A-Za-z0-9]{20,255}(?![A-Za-z0-9])/g),
  shape('Google API key', 'aiza', /(?<![\w-])AIza[\w-]{35}(?![\w-])/g),
  shape('npm token', 'npm_', /(?<![\w])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g),
  shape('SendGrid API key', 'sg\\.', /(?<![\w.])SG\.[\w-]{22}\.[\w-]{43}(?![\w-])/g),
  shape('Twilio API key', 'sk[0-9a-f]{32}', /(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])/g),
  shape('OpenAI-style API key', 'sk-', /(?<![\w-])sk-(?:proj-|ant-api\d\d-|svcacct-|admin-)?[\w-]{32,255}(?![\w-])/g, isRandom),
  shape('JWT', 'eyj', /(?<![\w-])eyJ[\w-]{5,4096}\.eyJ[\w-]{5,8192}\.[\w-]{8,4096}(?![\w-])/g),
  shape('PEM private key', '-----begin', /-----BEGIN [A-Z0-9 ]{0,32}PRIVATE KEY(?: BLOCK)?-----/g, undefined, PEM),
  shape('Docker registry credential', 'eyjhdxrocyi6', /(?<![\w+/])eyJhdXRocyI6[A-Za-z0-9+/]{16,}={0,2}/g),
  {
    trigger: '"auth"',
    pattern: /"auth"\s*:\s*"([A-Za-z0-9+/]{8,4096}={0,2})"/g,
    priority: SHAPE,
    judge: (m) => {
      if (!isBase64UserPassword(m[1])) return undefined;
      const start = m.index + m[0].length - 1 - m[1].length;
      return { kind: 'Docker registry credential', start, end: start + m[1].length };
    },
  },
  gcpServiceAccount,
  {
    trigger: 'accountkey|sharedaccesskey',
    pattern: /(?<![\w])(Account|SharedAccess)Key[ \t]*=[ \t]*([A-Za-z0-9+/]{20,1024}={0,2})/gi,
    priority: SHAPE,
    judge: (m) => {
      const start = m.index + m[0].length - m[2].length;
      const kind = m[1].toLowerCase() === 'account' ? 'Azure storage account key' : 'Azure shared access key';
      return { kind, start, end: start + m[2].length };
    },
  },
  {
    trigger: 'bearer',
    pattern: /(?<![\w])[Bb]earer[ \t]+([\w~+/.-]{16,4096}=*)/g,
    priority: HEADER,
    judge: (m) => {
      const token = m[1];
      if (!/\d/.test(token) || !/[A-Za-z]/.test(token)) return undefined;
      const start = m.index + m[0].length - token.length;
      return { kind: 'bearer token', start, end: start + token.length };
    },
  },
  {
    trigger: 'basic',
    pattern: /(?<![\w])[Bb]asic[ \t]+([A-Za-z0-9+/]{8,4096}={0,2})(?![\w+/=])/g,
    priority: HEADER,
    judge: (m) => {
      if (!isBase64UserPassword(m[1])) return undefined;
      const start = m.index + m[0].length - m[1].length;
      return { kind: 'Basic auth credential', start, end: start + m[1].length };
    },
  },
  // Any password in a URL's user info is one (even `80`), unless it is a placeholder or a mask.
  trailing('password in URL', '://', /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^/?#\s:@"<>]{0,256}:([^/?#\s@"<>]{1,256})@/gi, URL_PASSWORD, 1,
    (secret) => !URL_PLACEHOLDER.test(secret) && !MASK.test(secret)),
  // Well-known command-line forms; a generic `-p` is not one (`-p 8080`).
  trailing('password argument', 'mysql|mariadb', /\b(?:mysql\w*|mariadb[\w-]*)\b[^\n|;&]{0,512}?[ \t]-p((?!-)\S+)/g, TOOL),
  trailing('password argument', 'mongo', /\bmongo(?:sh|dump|restore|import|export|stat|top)?\b[^\n|;&]{0,512}?[ \t]-p[ \t]+((?!-)\S+)/g, TOOL),
  trailing('password argument', 'sshpass', /\bsshpass\b[^\n|;&]{0,512}?[ \t]-p[ \t]*((?!-)\S+)/g, TOOL),
  trailing('password argument', 'redis-cli', /\bredis-cli\b[^\n|;&]{0,512}?[ \t]-a[ \t]+((?!-)\S+)/g, TOOL),
  trailing('password argument', 'login',
    /\b(?:docker|podman|buildah|skopeo|nerdctl|oras|helm(?:[ \t]+registry)?)[ \t]+login\b[^\n|;&]{0,512}?[ \t]-p[ \t]+((?!-)\S+)/g, TOOL),
  trailing('password argument', 'curl|wget', /\b(?:curl|wget)\b[^\n|;&]{0,512}?[ \t](?:-u[ \t]*|--user[ \t=]+)["']?[^\s:"']{1,256}:([^\s"']+)/g, TOOL),
  trailing('password argument', 'pass:', /(?<![\w-])-pass(?:in|out)?[ \t]+["']?pass:(\S+)/g, TOOL),
  trailing('password property', 'requirepass|masterauth', /(?<![\w-])(?:requirepass|masterauth)[ \t]+(\S+)/g, TOOL),
  trailing('netrc password', 'machine', /\bmachine[ \t]+\S+(?:\s+(?:login|account)[ \t]+\S+){0,4}\s+password[ \t]+(\S+)/g, TOOL),
  assignment,
  nextArgument,
  xmlElement,
  envPair('"name"', /"name"\s*:\s*"([^"\\\n]{1,256})"\s*,\s*"value"\s*:\s*"/g, true),
  envPair('name:', /(?<![\w-])name:[ \t]*["']?([\w.-]{1,256})["']?[ \t]*\r?\n[ \t]*value:[ \t]*/g, false),
];

/** Detectors grouped by trigger; ANY_TRIGGER tells whether any applies, TRIGGERS[i] whether group i does. */
const TRIGGER_SOURCES: string[] = [];
const TRIGGER_GROUPS: Detector[][] = [];
for (const detector of DETECTORS) {
  const i = TRIGGER_SOURCES.indexOf(detector.trigger);
  if (i >= 0) {
    TRIGGER_GROUPS[i].push(detector);
  } else {
    TRIGGER_SOURCES.push(detector.trigger);
    TRIGGER_GROUPS.push([detector]);
  }
}
const ANY_TRIGGER = new RegExp(TRIGGER_SOURCES.join('|'), 'i');
const TRIGGERS = TRIGGER_SOURCES.map((source) => new RegExp(source, 'i'));

/** The detectors whose trigger occurs in the text. */
export function triggered(text: string): Detector[] {
  // Most values trigger nothing: one test answers them. The others test each trigger on its own (one
  // alternation cannot tell all of them: `pass:` would hide `pass` at the same position).
  if (!ANY_TRIGGER.test(text)) return [];
  const detectors: Detector[] = [];
  TRIGGERS.forEach((trigger, i) => { if (trigger.test(text)) detectors.push(...TRIGGER_GROUPS[i]); });
  return detectors;
}
