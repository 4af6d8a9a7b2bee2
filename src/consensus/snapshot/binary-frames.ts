import { endianness } from 'node:os';

/**
 * Frames of the binary snapshot format (docs/scaling.md, "Snapshots and fail-over"). A frame is
 *
 *   16 bytes   kind (u32, a character code), meta length (u32), body length (u32), 0 (u32)
 *   meta       UTF-8 JSON {m: the frame's own small values, a: [[type, length], ...]}, padded to 8
 *   body       the typed arrays listed in `a`, each padded to 8 bytes
 *
 * all little-endian, the machine's own order (a big-endian machine refuses the format). A reader copies
 * each body into one new buffer, so every array is a view at an aligned offset: no per-value parsing.
 */
export type Column = Float64Array | Int32Array | Uint8Array;

export interface Frame {
  kind: string;
  meta: unknown;
  arrays: Column[];
}

const PREFIX = 16;
const TYPES = { f: Float64Array, i: Int32Array, b: Uint8Array } as const;
type TypeCode = keyof typeof TYPES;

export const LITTLE_ENDIAN = endianness() === 'LE';

const pad8 = (n: number) => (8 - (n % 8)) % 8;
const ZEROS = Buffer.alloc(8);

function typeOf(a: Column): TypeCode {
  if (a instanceof Float64Array) return 'f';
  if (a instanceof Int32Array) return 'i';
  return 'b';
}

/** The bytes of one frame, as pieces (the arrays' memory is not copied). */
export function frameBytes(kind: string, meta: unknown, arrays: Column[] = []): Buffer[] {
  if (!LITTLE_ENDIAN) throw new Error('the binary snapshot format is little-endian');
  const metaText = JSON.stringify({ m: meta, a: arrays.map((a) => [typeOf(a), a.length]) });
  const metaBytes = Buffer.byteLength(metaText);
  const metaPadded = metaBytes + pad8(metaBytes);
  const meta8 = Buffer.alloc(metaPadded, 0x20);
  meta8.write(metaText, 0, 'utf8');
  let body = 0;
  for (const a of arrays) body += a.byteLength + pad8(a.byteLength);
  const head = Buffer.alloc(PREFIX);
  head.writeUInt32LE(kind.charCodeAt(0), 0);
  head.writeUInt32LE(metaPadded, 4);
  head.writeUInt32LE(body, 8);
  const out: Buffer[] = [head, meta8];
  for (const a of arrays) {
    out.push(Buffer.from(a.buffer as ArrayBuffer, a.byteOffset, a.byteLength));
    const p = pad8(a.byteLength);
    if (p > 0) out.push(ZEROS.subarray(0, p));
  }
  return out;
}

/** Thrown for bytes that are not a well-formed frame sequence. */
export class FrameError extends Error {}

/**
 * Reads frames from a byte stream (pieces of any size). Each body is copied once, into a buffer of its
 * own; a stream that ends inside a frame throws FrameError.
 */
export async function* readFrames(pieces: AsyncIterable<Buffer>): AsyncGenerator<Frame> {
  if (!LITTLE_ENDIAN) throw new FrameError('the binary snapshot format is little-endian');
  let queue: Buffer[] = [];
  let queued = 0;
  /** Copies the next `n` queued bytes into `into` (from its offset 0). */
  const take = (n: number, into: Uint8Array): void => {
    let at = 0;
    while (at < n) {
      const head = queue[0];
      const step = Math.min(head.length, n - at);
      into.set(step === head.length ? head : head.subarray(0, step), at);
      at += step;
      if (step === head.length) queue.shift();
      else queue[0] = head.subarray(step);
    }
    queued -= n;
  };
  let need = PREFIX;
  let prefix: { kind: string; meta: number; body: number } | null = null;
  const iterator = pieces[Symbol.asyncIterator]();
  for (;;) {
    while (queued < need) {
      const next = await iterator.next();
      if (next.done) {
        if (queued === 0 && prefix === null) return;
        throw new FrameError('stream ends inside a frame');
      }
      if (next.value.length === 0) continue;
      queue.push(next.value);
      queued += next.value.length;
    }
    if (prefix === null) {
      const head = Buffer.alloc(PREFIX);
      take(PREFIX, head);
      prefix = { kind: String.fromCharCode(head.readUInt32LE(0)), meta: head.readUInt32LE(4), body: head.readUInt32LE(8) };
      if (prefix.meta % 8 !== 0 || prefix.body % 8 !== 0 || head.readUInt32LE(12) !== 0) throw new FrameError('malformed frame header');
      need = prefix.meta + prefix.body;
      continue;
    }
    const metaBuf = Buffer.alloc(prefix.meta);
    take(prefix.meta, metaBuf);
    const body = new Uint8Array(prefix.body);
    take(prefix.body, body);
    yield parseFrame(prefix.kind, metaBuf, body);
    prefix = null;
    need = PREFIX;
    if (queue.length > 64) queue = [Buffer.concat(queue)];
  }
}

function parseFrame(kind: string, metaBuf: Buffer, body: Uint8Array): Frame {
  let parsed: { m: unknown; a: Array<[string, number]> };
  try {
    parsed = JSON.parse(metaBuf.toString('utf8')) as typeof parsed;
  } catch {
    throw new FrameError(`frame ${kind}: unreadable meta`);
  }
  if (!Array.isArray(parsed.a)) throw new FrameError(`frame ${kind}: no array layout`);
  const arrays: Column[] = [];
  let at = 0;
  for (const [code, length] of parsed.a) {
    const Type = TYPES[code as TypeCode];
    if (Type === undefined || !Number.isInteger(length) || length < 0) throw new FrameError(`frame ${kind}: bad array ${String(code)}`);
    const bytes = length * Type.BYTES_PER_ELEMENT;
    if (at + bytes > body.length) throw new FrameError(`frame ${kind}: arrays longer than the body`);
    arrays.push(new Type(body.buffer as ArrayBuffer, body.byteOffset + at, length));
    at += bytes + pad8(bytes);
  }
  if (at !== body.length) throw new FrameError(`frame ${kind}: body longer than its arrays`);
  return { kind, meta: parsed.m, arrays };
}
