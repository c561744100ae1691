/**
 * Natural sort keys (`agent-2` before `agent-10`) that compare with plain `<`:
 * lower-cased, each digit run replaced by its length then its digits (leading
 * zeros dropped). Computing a key once and comparing strings is far cheaper
 * than a numeric collator per comparison.
 */
export function naturalKey(text: string): string {
  const s = text.toLowerCase();
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) {
      out += s[i];
      i += 1;
      continue;
    }
    let end = i;
    while (end < s.length && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end += 1;
    let start = i;
    while (start < end - 1 && s.charCodeAt(start) === 48) start += 1;
    const run = s.slice(start, end);
    // \u0001 sorts digit runs before any printable character; the length char orders 9 before 10.
    out += '\u0001' + String.fromCharCode(0x30 + Math.min(run.length, 0xffcf)) + run;
    i = end;
  }
  return out;
}
