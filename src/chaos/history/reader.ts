/**
 * Reading a JSONL history back: line by line from fixed-size chunks (a long
 * run's file can be larger than the biggest string V8 allows), each line parsed
 * and validated. A bad line stops the read with `file:line: reason`.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { err, ok, type Result } from '../../core/errors.js';
import type { HistoryRecord } from '../../core/events.js';
import { checkRecord } from './validate.js';

/** Options of the readers. */
export interface ReadHistoryOptions {
  /** Bytes read at a time (default 1 MiB; tests use tiny chunks to split lines and characters). */
  readonly chunkBytes?: number;
}

/** Parses one line; `where` names it in the error (`file:12`). */
export function parseHistoryLine(line: string, where: string): Result<HistoryRecord> {
  if (line.trim() === '') return err('IO', 'empty line in a history', where);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return err('IO', `not JSON: ${(e as Error).message}`, where);
  }
  const checked = checkRecord(value);
  return checked.ok ? ok(checked.record) : err('IO', checked.reason, where);
}

/**
 * Streams a history file to `onRecord`, checking that seq increases and time
 * never goes back. Returns the number of records.
 */
export function scanHistory(path: string, onRecord: (record: HistoryRecord) => void, options: ReadHistoryOptions = {}): Result<number> {
  const chunkBytes = Math.max(1, options.chunkBytes ?? 1 << 20);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return err('IO', `cannot read: ${(e as Error).message}`, path);
  }
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(chunkBytes);
  let carry = '';
  let lineNo = 0;
  let count = 0;
  let last: HistoryRecord | null = null;
  const take = (line: string): Result<true> => {
    lineNo += 1;
    const where = `${path}:${lineNo}`;
    const parsed = parseHistoryLine(line, where);
    if (!parsed.ok) return parsed;
    const record = parsed.value;
    if (last && record.seq <= last.seq) return err('IO', `seq ${record.seq} does not follow ${last.seq}`, where);
    if (last && record.atMs < last.atMs) return err('IO', `time goes back from ${last.atMs} to ${record.atMs} ms`, where);
    last = record;
    count += 1;
    onRecord(record);
    return ok(true);
  };
  try {
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, buffer, 0, chunkBytes, null);
      } catch (e) {
        return err('IO', `cannot read: ${(e as Error).message}`, path);
      }
      if (read === 0) break;
      const text = carry + decoder.write(buffer.subarray(0, read));
      let start = 0;
      for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
        const taken = take(text.slice(start, nl));
        if (!taken.ok) return taken;
        start = nl + 1;
      }
      carry = text.slice(start);
    }
    carry += decoder.end();
    // A last line without its newline still counts (a file cut short by hand).
    if (carry !== '') {
      const taken = take(carry);
      if (!taken.ok) return taken;
    }
    return ok(count);
  } finally {
    closeSync(fd);
  }
}

/** Reads a whole history file into memory. */
export function readHistory(path: string, options: ReadHistoryOptions = {}): Result<HistoryRecord[]> {
  const records: HistoryRecord[] = [];
  const scanned = scanHistory(path, (record) => records.push(record), options);
  return scanned.ok ? ok(records) : scanned;
}
