// The mirror feed's wire format (docs/lookup.md "Local mirror"): signed, compressed frames of scored
// rows. The agent client decodes it with its own reader (agent-client/src/mirror/mirror-wire.ts).
import { brotliCompressSync, constants as zlib } from 'node:zlib';

export const FRAME_MAGIC = 0x514d5231; // 'QMR1'
export const FRAME_SNAPSHOT = 1;
export const FRAME_DELTA = 2;
/** magic, kind, flags, epoch, from, to, publishedAt, raw length, body length */
export const FRAME_HEADER_BYTES = 42;
export const SIGNATURE_BYTES = 64;
/** record flag: the key left the index (no other field follows) */
export const RECORD_REMOVED = 0x80;
export const MIRROR_CONTENT_TYPE = 'application/vnd.quorum.mirror';

/** One scored key as the mirror carries it (the lookup index's row: src/lookup/index/score-columns.ts). */
export interface MirrorRecord {
  score: number;
  /** the index's flags byte: listed, honeypot, reporter bucket, confidence (7 bits) */
  flags: number;
  /** the feed's scenario-set id (defined in this frame or an earlier one) */
  set: number;
  firstSeen: number;
  lastSeen: number;
  listedUntil: number;
}

/** A growable byte buffer with LEB128 varints. */
export class ByteWriter {
  private buf: Buffer;
  length = 0;

  constructor(capacity = 4096) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  u8(value: number): void {
    this.room(1);
    this.buf[this.length++] = value;
  }

  /** Unsigned integer below 2^53. */
  varint(value: number): void {
    this.room(8);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  bigVarint(value: bigint): void {
    this.room(10);
    let v = value;
    while (v >= 0x80n) {
      this.buf[this.length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.length++] = Number(v);
  }

  /** Signed integer as a zigzag varint. */
  signed(value: number): void {
    this.varint(value < 0 ? -2 * value - 1 : 2 * value);
  }

  bytes(data: Uint8Array): void {
    this.room(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

/** Writes one record: flags, then (unless removed) score, set, times relative to each other. */
export function writeRecord(w: ByteWriter, r: MirrorRecord | null): void {
  if (r === null) {
    w.u8(RECORD_REMOVED);
    return;
  }
  w.u8(r.flags & 0x7f);
  w.u8(r.score);
  w.varint(r.set);
  w.varint(r.firstSeen);
  w.signed(r.lastSeen - r.firstSeen);
  if (r.listedUntil === 0) w.varint(0);
  else {
    const d = r.listedUntil - r.lastSeen;
    w.varint(d < 0 ? -2 * d : 2 * d + 1);
  }
}

export interface FrameHeader {
  kind: typeof FRAME_SNAPSHOT | typeof FRAME_DELTA;
  epoch: number;
  from: number;
  to: number;
  publishedAtMs: number;
}

/**
 * A complete frame: header, the body compressed with brotli, and the Ed25519 signature of everything
 * before it (`sign` returns 64 bytes).
 */
export function sealFrame(header: FrameHeader, body: Buffer, sign: (data: Buffer) => Buffer): Buffer {
  return frameOf(header, body.length, brotliCompressSync(body, brotliOptions(body.length)), sign);
}

export function brotliOptions(size: number): { params: Record<number, number> } {
  return { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: size } };
}

/** Header, the already compressed body (`rawLength` bytes once inflated), signature. */
export function frameOf(header: FrameHeader, rawLength: number, compressed: Buffer, sign: (data: Buffer) => Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + compressed.length + SIGNATURE_BYTES);
  frame.writeUInt32BE(FRAME_MAGIC, 0);
  frame.writeUInt8(header.kind, 4);
  frame.writeUInt8(0, 5);
  frame.writeUInt32BE(header.epoch >>> 0, 6);
  frame.writeDoubleBE(header.from, 10);
  frame.writeDoubleBE(header.to, 18);
  frame.writeDoubleBE(header.publishedAtMs, 26);
  frame.writeUInt32BE(rawLength, 34);
  frame.writeUInt32BE(compressed.length, 38);
  compressed.copy(frame, FRAME_HEADER_BYTES);
  const signature = sign(frame.subarray(0, FRAME_HEADER_BYTES + compressed.length));
  if (signature.length !== SIGNATURE_BYTES) throw new Error('an Ed25519 signature has 64 bytes');
  signature.copy(frame, FRAME_HEADER_BYTES + compressed.length);
  return frame;
}
