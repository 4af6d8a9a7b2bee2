// Reader of the service's mirror feed frames (format: docs/lookup.md "Local mirror"; writer:
// src/lookup/mirror/mirror-wire.ts of the service). Every frame is verified with the pinned Ed25519
// key before a byte of its body is read.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';

export const FRAME_MAGIC = 0x514d5231; // 'QMR1'
export const FRAME_SNAPSHOT = 1;
export const FRAME_DELTA = 2;
export const FRAME_HEADER_BYTES = 42;
export const SIGNATURE_BYTES = 64;
export const RECORD_REMOVED = 0x80;
/** a body never inflates past this (a snapshot of ~40M keys) */
const MAX_RAW_BYTES = 1 << 30;
/** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519, followed by the 32 raw bytes */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A frame that must not be used: bad signature, truncated, malformed. */
export class MirrorFrameError extends Error {
  override readonly name = 'MirrorFrameError';
}

/** The pinned key from its raw 32 bytes in base64 (GET /v1/mirror/public-key `publicKey`). */
export function mirrorPublicKey(base64: string): KeyObject {
  const raw = Buffer.from(base64.trim(), 'base64');
  if (raw.length !== 32) throw new MirrorFrameError('a mirror public key is 32 bytes (base64)');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

export interface FrameHeader {
  kind: number;
  epoch: number;
  from: number;
  to: number;
  publishedAtMs: number;
  rawLength: number;
  bodyLength: number;
}

/** Changed (or, in a snapshot, all) keys of one family, ascending, as parallel columns. */
export interface RecordColumns<K> {
  keys: K;
  /** index flags (7 bits), or RECORD_REMOVED */
  flags: Uint8Array;
  score: Uint8Array;
  set: Uint32Array;
  firstSeen: Uint32Array;
  lastSeen: Uint32Array;
  listedUntil: Uint32Array;
  length: number;
}

export interface DecodedFrame extends FrameHeader {
  /** the scoring generation of the service when it was published */
  generation: number;
  /** scenario sets first defined by this frame (a snapshot defines them all) */
  sets: Array<[id: number, names: string[]]>;
  v4: RecordColumns<Uint32Array>;
  v6: RecordColumns<BigUint64Array>;
  /** bytes of the frame on the wire */
  bytes: number;
}

export function readHeader(buf: Buffer, at: number): FrameHeader {
  if (buf.length - at < FRAME_HEADER_BYTES + SIGNATURE_BYTES) throw new MirrorFrameError('truncated frame');
  if (buf.readUInt32BE(at) !== FRAME_MAGIC) throw new MirrorFrameError('not a mirror frame (bad magic)');
  const kind = buf.readUInt8(at + 4);
  if (kind !== FRAME_SNAPSHOT && kind !== FRAME_DELTA) throw new MirrorFrameError(`unknown frame kind ${kind}`);
  const header: FrameHeader = {
    kind,
    epoch: buf.readUInt32BE(at + 6),
    from: buf.readDoubleBE(at + 10),
    to: buf.readDoubleBE(at + 18),
    publishedAtMs: buf.readDoubleBE(at + 26),
    rawLength: buf.readUInt32BE(at + 34),
    bodyLength: buf.readUInt32BE(at + 38),
  };
  if (!Number.isSafeInteger(header.from) || !Number.isSafeInteger(header.to) || header.from < 0 || header.to <= header.from) throw new MirrorFrameError('bad frame versions');
  if (header.rawLength > MAX_RAW_BYTES) throw new MirrorFrameError('frame body too large');
  if (buf.length - at < FRAME_HEADER_BYTES + header.bodyLength + SIGNATURE_BYTES) throw new MirrorFrameError('truncated frame');
  return header;
}

/** Splits concatenated frames (a deltas answer) without verifying them. */
export function splitFrames(buf: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    const h = readHeader(buf, at);
    const end = at + FRAME_HEADER_BYTES + h.bodyLength + SIGNATURE_BYTES;
    frames.push(buf.subarray(at, end));
    at = end;
  }
  return frames;
}

class Reader {
  at = 0;
  constructor(private readonly buf: Buffer) {}

  u8(): number {
    if (this.at >= this.buf.length) throw new MirrorFrameError('truncated body');
    return this.buf[this.at++];
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
    throw new MirrorFrameError('varint too long');
  }

  bigVarint(): bigint {
    let value = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return value;
      shift += 7n;
    }
    throw new MirrorFrameError('varint too long');
  }

  signed(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  text(): string {
    const n = this.varint();
    if (this.at + n > this.buf.length) throw new MirrorFrameError('truncated body');
    const s = this.buf.toString('utf8', this.at, this.at + n);
    this.at += n;
    return s;
  }

  get done(): boolean {
    return this.at === this.buf.length;
  }
}

function columns<K>(keys: K, n: number): RecordColumns<K> {
  return {
    keys,
    flags: new Uint8Array(n),
    score: new Uint8Array(n),
    set: new Uint32Array(n),
    firstSeen: new Uint32Array(n),
    lastSeen: new Uint32Array(n),
    listedUntil: new Uint32Array(n),
    length: n,
  };
}

function u32(value: number): number {
  if (value < 0 || value > 0xffffffff || !Number.isInteger(value)) throw new MirrorFrameError('time out of range');
  return value;
}

function readRecord<K>(r: Reader, c: RecordColumns<K>, i: number, snapshot: boolean): void {
  const flags = r.u8();
  c.flags[i] = flags;
  if (flags & RECORD_REMOVED) {
    if (snapshot || flags !== RECORD_REMOVED) throw new MirrorFrameError('bad record flags');
    return;
  }
  c.score[i] = r.u8();
  if (c.score[i] > 100) throw new MirrorFrameError('score out of range');
  c.set[i] = r.varint();
  const first = r.varint();
  const last = first + r.signed();
  const until = r.varint();
  c.firstSeen[i] = u32(first);
  c.lastSeen[i] = u32(last);
  c.listedUntil[i] = until === 0 ? 0 : u32(last + (until % 2 === 1 ? (until - 1) / 2 : -until / 2));
}

const V6_MAX = 0xffffffffffffffffn;

/**
 * Verifies one frame with the pinned key and decodes it; throws MirrorFrameError on a bad signature
 * or any malformed byte (the caller then keeps its last good copy).
 */
export function decodeFrame(frame: Buffer, key: KeyObject): DecodedFrame {
  const h = readHeader(frame, 0);
  const end = FRAME_HEADER_BYTES + h.bodyLength;
  if (frame.length !== end + SIGNATURE_BYTES) throw new MirrorFrameError('trailing bytes after the frame');
  if (!verify(null, frame.subarray(0, end), key, frame.subarray(end, end + SIGNATURE_BYTES))) throw new MirrorFrameError('bad signature: the frame was not signed by the pinned key');
  if (h.kind === FRAME_SNAPSHOT && h.from !== 0) throw new MirrorFrameError('a snapshot starts from version 0');
  let body: Buffer;
  try {
    body = brotliDecompressSync(frame.subarray(FRAME_HEADER_BYTES, end), { maxOutputLength: Math.max(1, h.rawLength) });
  } catch (e) {
    throw new MirrorFrameError(`frame body does not inflate: ${(e as Error).message}`);
  }
  if (body.length !== h.rawLength) throw new MirrorFrameError('frame body length mismatch');
  const r = new Reader(body);
  const snapshot = h.kind === FRAME_SNAPSHOT;
  const generation = r.varint();
  const sets: Array<[number, string[]]> = [];
  const nSets = r.varint();
  for (let i = 0; i < nSets; i++) {
    const id = r.varint();
    sets.push([id, r.text().split('\u001f').filter((s) => s.length > 0)]);
  }
  const n4 = r.varint();
  if (n4 > body.length) throw new MirrorFrameError('bad IPv4 count');
  const v4 = columns(new Uint32Array(n4), n4);
  let key4 = 0;
  for (let i = 0; i < n4; i++) {
    const gap = r.varint();
    if (i > 0 && gap === 0) throw new MirrorFrameError('IPv4 keys not ascending');
    key4 += gap;
    if (key4 > 0xffffffff) throw new MirrorFrameError('IPv4 key out of range');
    v4.keys[i] = key4;
    readRecord(r, v4, i, snapshot);
  }
  const n6 = r.varint();
  if (n6 > body.length) throw new MirrorFrameError('bad IPv6 count');
  const v6 = columns(new BigUint64Array(n6), n6);
  let key6 = 0n;
  for (let i = 0; i < n6; i++) {
    const gap = r.bigVarint();
    if (i > 0 && gap === 0n) throw new MirrorFrameError('IPv6 keys not ascending');
    key6 += gap;
    if (key6 > V6_MAX) throw new MirrorFrameError('IPv6 key out of range');
    v6.keys[i] = key6;
    readRecord(r, v6, i, snapshot);
  }
  if (!r.done) throw new MirrorFrameError('trailing bytes in the frame body');
  return { ...h, generation, sets, v4, v6, bytes: frame.length };
}
