/**
 * RecordIO, the framing of Mesos's streaming responses (`docs/recordio.md`):
 * `record = decimal byte length "\n" bytes`, the length never 0.
 *
 * Pure: no sockets, no Buffer. The encoder makes one string per record so a
 * server writes each record with one `write()` (clients such as mesos-framework
 * 0.5.3 rely on one record per HTTP chunk). The decoder is fed chunks as they
 * arrive, in any split, and yields whole records; malformed input is a typed
 * error, never a hang or unbounded buffering.
 */

/** The largest record the decoder accepts unless told otherwise: 16 MiB. */
export const RECORDIO_DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** A length header longer than this is malformed (20 digits covers any 64-bit length, leading zeros aside). */
const MAX_HEADER_DIGITS = 20;

const NEWLINE = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** The number of bytes `text` takes in UTF-8, without encoding it (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4; // a surrogate pair is one 4-byte code point
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * One RecordIO record for `payload` (compact JSON, usually): the UTF-8 byte
 * length, a newline, the payload. Write it with a single `write()`.
 */
export function encodeRecord(payload: string): string {
  if (payload.length === 0) throw new Error('assertion failed: a RecordIO record is never empty');
  return `${utf8ByteLength(payload)}\n${payload}`;
}

/** Why a stream is not RecordIO. */
export type RecordIoErrorReason =
  | 'LENGTH_NOT_DIGIT' // a byte other than 0-9 before the newline, or an empty length
  | 'LENGTH_ZERO' // a length of 0, which RecordIO forbids
  | 'LENGTH_TOO_LARGE' // a length over the decoder's limit (or a header of too many digits)
  | 'INVALID_UTF8' // a record that is not valid UTF-8
  | 'TRUNCATED'; // the stream ended inside a record

/** A malformed RecordIO stream: where (the byte offset in the stream) and why. */
export interface RecordIoError {
  readonly code: 'PROTOCOL';
  readonly reason: RecordIoErrorReason;
  readonly message: string;
  /** `byte N`: the offset from the start of the stream of the byte that broke it. */
  readonly where: string;
}

/** The records a chunk completed, or the error that broke the stream. */
export type RecordIoResult = { ok: true; records: string[] } | { ok: false; error: RecordIoError };

/** Options for `RecordIoDecoder`. */
export interface RecordIoDecoderOptions {
  /** Records longer than this are an error (the decoder never buffers more). Default 16 MiB. */
  readonly maxRecordBytes?: number;
}

type DecoderState =
  | { kind: 'header'; length: number; digits: number }
  | { kind: 'body'; buffer: Uint8Array; filled: number }
  | { kind: 'failed'; error: RecordIoError };

/**
 * A streaming RecordIO decoder. `push` each chunk (bytes, or text that is
 * encoded as UTF-8) and get back the records it completed; call `end` when the
 * stream ends. After an error every further call returns the same error.
 */
export class RecordIoDecoder {
  private readonly maxRecordBytes: number;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private state: DecoderState = { kind: 'header', length: 0, digits: 0 };
  /** Bytes consumed so far, for error locations. */
  private offset = 0;

  constructor(options: RecordIoDecoderOptions = {}) {
    this.maxRecordBytes = options.maxRecordBytes ?? RECORDIO_DEFAULT_MAX_RECORD_BYTES;
    if (!(Number.isSafeInteger(this.maxRecordBytes) && this.maxRecordBytes > 0)) {
      throw new Error(`assertion failed: maxRecordBytes must be a positive integer, got ${this.maxRecordBytes}`);
    }
  }

  /** Feeds one chunk; returns the records it completed (maybe none) or the error that broke the stream. */
  push(chunk: Uint8Array | string): RecordIoResult {
    if (this.state.kind === 'failed') return { ok: false, error: this.state.error };
    const bytes = typeof chunk === 'string' ? this.encoder.encode(chunk) : chunk;
    const records: string[] = [];
    let i = 0;
    while (i < bytes.length) {
      const state: DecoderState = this.state;
      if (state.kind === 'header') {
        const byte = bytes[i] as number;
        if (byte === NEWLINE) {
          if (state.digits === 0) return this.fail('LENGTH_NOT_DIGIT', 'a record length is empty', i);
          if (state.length === 0) return this.fail('LENGTH_ZERO', 'a record length is 0', i);
          this.state = { kind: 'body', buffer: new Uint8Array(state.length), filled: 0 };
          i++;
          continue;
        }
        if (byte < DIGIT_0 || byte > DIGIT_9) {
          return this.fail('LENGTH_NOT_DIGIT', `a record length has the non-digit byte 0x${byte.toString(16).padStart(2, '0')}`, i);
        }
        state.length = state.length * 10 + (byte - DIGIT_0);
        state.digits++;
        if (state.length > this.maxRecordBytes || state.digits > MAX_HEADER_DIGITS) {
          return this.fail('LENGTH_TOO_LARGE', `a record is longer than the limit of ${this.maxRecordBytes} bytes`, i);
        }
        i++;
        continue;
      }
      if (state.kind === 'body') {
        const take = Math.min(state.buffer.length - state.filled, bytes.length - i);
        state.buffer.set(bytes.subarray(i, i + take), state.filled);
        state.filled += take;
        i += take;
        if (state.filled === state.buffer.length) {
          let text: string;
          try {
            text = this.decoder.decode(state.buffer);
          } catch {
            return this.fail('INVALID_UTF8', 'a record is not valid UTF-8', i - 1);
          }
          records.push(text);
          this.state = { kind: 'header', length: 0, digits: 0 };
        }
        continue;
      }
      // 'failed' was handled before the loop and the loop returns on every failure.
      throw new Error('assertion failed: the decoder loop saw a failed state');
    }
    this.offset += bytes.length;
    return { ok: true, records };
  }

  /** Declares the end of the stream: an error if it ended inside a record. */
  end(): RecordIoError | undefined {
    const state = this.state;
    switch (state.kind) {
      case 'failed':
        return state.error;
      case 'header':
        if (state.digits === 0) return undefined;
        return this.fail('TRUNCATED', 'the stream ended inside a record length', 0).error;
      case 'body':
        return this.fail('TRUNCATED', `the stream ended ${state.buffer.length - state.filled} bytes short of a record`, 0)
          .error;
      default: {
        const never: never = state;
        throw new Error(`unexpected decoder state: ${JSON.stringify(never)}`);
      }
    }
  }

  /** True when no record is partly read (a clean place for the stream to end). */
  get atRecordBoundary(): boolean {
    return this.state.kind === 'header' && this.state.digits === 0;
  }

  private fail(reason: RecordIoErrorReason, message: string, indexInChunk: number): { ok: false; error: RecordIoError } {
    const error: RecordIoError = { code: 'PROTOCOL', reason, message, where: `byte ${this.offset + indexInChunk}` };
    this.state = { kind: 'failed', error };
    return { ok: false, error };
  }
}

/** Decodes a whole RecordIO buffer at once (for tests and small bodies). */
export function decodeRecords(input: Uint8Array | string, options: RecordIoDecoderOptions = {}): RecordIoResult {
  const decoder = new RecordIoDecoder(options);
  const result = decoder.push(input);
  if (!result.ok) return result;
  const error = decoder.end();
  return error ? { ok: false, error } : result;
}
