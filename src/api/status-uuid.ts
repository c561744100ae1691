/**
 * Status update uuids on the wire are 16 raw bytes, Base64 (mesos.proto
 * `TaskStatus.uuid`; ACKNOWLEDGE is validated with `UUID::fromBytes`). Core
 * StatusUuids are short hex strings, so the codec packs one reversibly into
 * 16 bytes: byte 0 is the digit count, then the hex as bytes, then filler
 * derived from them (so the value looks random and decodes back by itself).
 * Strings that are not short even-length hex are remembered in a table.
 */
import type { StatusUuid } from '../core/ids.js';
import { ApiFailure } from './errors.js';

const UUID_BYTES = 16;
const MAX_PACKED_DIGITS = (UUID_BYTES - 1) * 2;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function filler(bytes: Uint8Array, from: number): void {
  let h = 0x811c9dc5;
  for (let i = 0; i < from; i += 1) h = Math.imul(h ^ (bytes[i] as number), 0x01000193) >>> 0;
  for (let i = from; i < UUID_BYTES; i += 1) {
    h = Math.imul(h ^ i, 0x01000193) >>> 0;
    bytes[i] = h >>> 24;
  }
}

function packable(uuid: string): boolean {
  return uuid.length > 0 && uuid.length <= MAX_PACKED_DIGITS && uuid.length % 2 === 0 && /^[0-9a-f]+$/.test(uuid);
}

/** Maps core StatusUuids to Base64 of 16 bytes and back. */
export class StatusUuidCodec {
  private readonly byValue = new Map<string, StatusUuid>();
  private readonly byUuid = new Map<StatusUuid, string>();

  /** The wire form of a core uuid. */
  encode(uuid: StatusUuid): string {
    if (packable(uuid)) {
      const bytes = new Uint8Array(UUID_BYTES);
      bytes[0] = uuid.length;
      for (let i = 0; i < uuid.length / 2; i += 1) bytes[1 + i] = parseInt(uuid.slice(i * 2, i * 2 + 2), 16);
      filler(bytes, 1 + uuid.length / 2);
      return Buffer.from(bytes).toString('base64');
    }
    const known = this.byUuid.get(uuid);
    if (known !== undefined) return known;
    const bytes = new Uint8Array(UUID_BYTES);
    for (let i = 0; i < uuid.length; i += 1) bytes[i % UUID_BYTES] = ((bytes[i % UUID_BYTES] as number) * 31 + uuid.charCodeAt(i)) & 0xff;
    bytes[0] = 0xff; // never a packed digit count
    bytes[1] = this.byUuid.size & 0xff;
    bytes[2] = (this.byUuid.size >>> 8) & 0xff;
    const value = Buffer.from(bytes).toString('base64');
    this.byUuid.set(uuid, value);
    this.byValue.set(value, uuid);
    return value;
  }

  /** The core uuid of a wire value; 400 unless it is Base64 of exactly 16 bytes. A value this codec never made maps to itself. */
  decode(value: string, path: string): StatusUuid {
    if (!BASE64.test(value) || value.length % 4 !== 0) throw new ApiFailure(400, `Failed to convert JSON into Call protobuf: ${path}: not Base64`);
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length !== UUID_BYTES) throw new ApiFailure(400, `Invalid ACKNOWLEDGE call: ${path}: the uuid must be 16 bytes, got ${bytes.length}`);
    const known = this.byValue.get(value);
    if (known !== undefined) return known;
    const digits = bytes[0] as number;
    if (digits > 0 && digits <= MAX_PACKED_DIGITS && digits % 2 === 0) {
      const hex = bytes.subarray(1, 1 + digits / 2).toString('hex');
      if (this.encode(hex) === value) return hex;
    }
    return `wire:${value}`;
  }
}
