/**
 * A streaming RecordIO decoder for the browser (`length "\n" bytes`, the
 * framing of Mesos's SUBSCRIBE streams): fed the byte chunks `fetch` reads, in
 * any split, it yields whole records as strings. src/api/recordio.ts is the
 * server's codec; the page keeps its own small one because the web layer
 * imports api types only. Malformed input is an error result, never a hang:
 * a record over the limit or a bad length header ends the stream.
 */

/** The largest record accepted: 64 MiB (a SUBSCRIBED snapshot of 50,000 tasks is ~30 MiB). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** The records a chunk completed, or why the stream is not RecordIO. */
export type RecordChunkResult = { readonly ok: true; readonly records: string[] } | { readonly ok: false; readonly message: string };

/** One stream's decoder. */
export class RecordIoStreamDecoder {
  private header = '';
  private body: Uint8Array | null = null;
  private filled = 0;
  private failed: string | null = null;
  private offset = 0;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly maxRecordBytes = MAX_RECORD_BYTES) {}

  /** Feeds one chunk. */
  push(chunk: Uint8Array): RecordChunkResult {
    if (this.failed !== null) return { ok: false, message: this.failed };
    const records: string[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.body === null) {
        const byte = chunk[i] as number;
        i += 1;
        this.offset += 1;
        if (byte === 0x0a) {
          const length = Number(this.header);
          if (this.header === '' || length === 0 || length > this.maxRecordBytes) return this.fail(`bad record length "${this.header}"`);
          this.header = '';
          this.body = new Uint8Array(length);
          this.filled = 0;
        } else if (byte >= 0x30 && byte <= 0x39 && this.header.length < 20) {
          this.header += String.fromCharCode(byte);
        } else {
          return this.fail(`a length header holds byte ${byte}`);
        }
        continue;
      }
      const take = Math.min(this.body.length - this.filled, chunk.length - i);
      this.body.set(chunk.subarray(i, i + take), this.filled);
      this.filled += take;
      this.offset += take;
      i += take;
      if (this.filled === this.body.length) {
        try {
          records.push(this.utf8.decode(this.body));
        } catch {
          return this.fail('a record is not UTF-8');
        }
        this.body = null;
      }
    }
    return { ok: true, records };
  }

  /** Whether the stream ended between records (false: it was cut inside one). */
  endedCleanly(): boolean {
    return this.body === null && this.header === '';
  }

  private fail(why: string): RecordChunkResult {
    this.failed = `RecordIO: ${why} at byte ${this.offset}`;
    return { ok: false, message: this.failed };
  }
}
