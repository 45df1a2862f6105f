/**
 * The text of a manifest file (or standard input) as kubectl decodes it before it reads any YAML or JSON
 * (cli-runtime's FileVisitor: `unicode.BOMOverride` over a UTF-8 decoder): a byte order mark at the start selects
 * UTF-16 big-endian, UTF-16 little-endian or UTF-8 and is removed; without one the bytes are UTF-8. Bytes that are not
 * valid in the encoding become U+FFFD, as they do for kubectl.
 * @param bytes the file's bytes
 */
export function manifestText(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { ignoreBOM: true }).decode(bytes.subarray(2));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes.subarray(2));
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start));
}
