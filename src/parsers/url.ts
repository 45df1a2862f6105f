import { quote } from '../core/errors';

/** A URL as WHATWG parses it (what Node and Go's net/url accept alike for http(s)), or undefined when it does not parse. */
export function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** A URL as an error message may show it: never a value that may carry credentials (`user:password@`), even one that does not parse. */
export function shownUrl(text: string, url: URL | undefined): string {
  return url?.username || url?.password || text.includes('@') ? '(a URL with credentials)' : quote(text);
}
