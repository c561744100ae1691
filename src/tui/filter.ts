/**
 * The `/` filter language, as k9s users expect it: words separated by spaces
 * must all match (AND); a word starting with `!` must not match; each word is
 * a case-insensitive regular expression tried on each field of the row (id,
 * host, state...: `^web\.1$`, `agent-(1|2)`), or plain text when it is not a
 * valid one (`web(` still finds "web(").
 */

/** A compiled filter: whether a row's search text passes. */
export interface RowFilter {
  test(haystack: string): boolean;
}

interface Term {
  readonly negate: boolean;
  readonly match: (haystack: string) => boolean;
}

function termOf(word: string): Term | null {
  const negate = word.startsWith('!');
  const body = negate ? word.slice(1) : word;
  if (body === '') return null;
  const lower = body.toLowerCase();
  let match: (haystack: string) => boolean;
  try {
    const re = new RegExp(body, 'i');
    // Each field of the row on its own, so ^ and $ anchor to an id or a host, not to the whole row.
    match = (haystack) => haystack.split(' ').some((field) => re.test(field));
  } catch {
    match = (haystack) => haystack.toLowerCase().includes(lower);
  }
  return { negate, match };
}

let lastText: string | null = null;
let lastFilter: RowFilter | null = null;

/** Compiles a filter text (the last one is remembered: a table refresh asks again with the same text). */
export function compileFilter(text: string): RowFilter | null {
  if (text === lastText) return lastFilter;
  const terms = text
    .trim()
    .split(/\s+/)
    .map(termOf)
    .filter((t): t is Term => t !== null);
  lastText = text;
  lastFilter = terms.length === 0 ? null : { test: (haystack) => terms.every((t) => t.match(haystack) !== t.negate) };
  return lastFilter;
}
