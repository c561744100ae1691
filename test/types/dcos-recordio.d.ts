// @dcos/recordio ships no types: `read(input)` returns the whole records and the unread rest.
declare module '@dcos/recordio' {
  /** Splits RecordIO text into complete records and the remainder that is not yet a whole record. */
  export function read(input: string): [string[], string];
}
