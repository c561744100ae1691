/**
 * RecordIO encoding (`docs/recordio.md`): `<decimal byte length>\n<bytes>`.
 * Temporary: the `execute` branch brings src/api/recordio.ts (encoder and
 * decoder); this file goes when that lands.
 */

/** One record: the UTF-8 byte length, a newline, the text. */
export function encodeRecord(text: string): string {
  return `${Buffer.byteLength(text, 'utf8')}\n${text}`;
}
