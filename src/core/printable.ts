/**
 * What could break a line of a text report or make it read otherwise than it is: control characters (line breaks,
 * carriage returns, ANSI escapes, NEL, NUL), line and paragraph separators, bidirectional overrides and isolates.
 */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const SHORT_ESCAPES: { readonly [c: string]: string } = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A line of a text report with what it quotes from its input (object names, file names, messages) made visible:
 * every character that could end the line, move the cursor or reorder the text is written as an escape (`\n`,
 * `\u001b`), so that no input forges a line of the report.
 * @internal
 */
export function printableLine(line: string): string {
  return line.replace(UNPRINTABLE, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
