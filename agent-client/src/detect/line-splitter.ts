/**
 * Turns byte chunks into complete lines, keeping the unfinished tail for the next chunk. Splitting on
 * byte 0x0A is safe for UTF-8 (it never occurs inside a multi-byte sequence), and decoding only whole
 * lines keeps characters cut across chunks intact. Lines longer than `maxLineBytes` are dropped whole.
 */
export class LineSplitter {
  private partial: Buffer | null = null;
  private discarding = false;
  dropped = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Bytes held for an unfinished line. */
  get pendingBytes(): number {
    return this.partial === null ? 0 : this.partial.length;
  }

  /** `chunk[0..length)` is copied as needed: the caller may reuse its buffer. */
  push(chunk: Buffer, length: number, out: (lines: string[]) => void): void {
    const lastNl = chunk.lastIndexOf(10, length - 1);
    if (lastNl < 0) {
      this.keep(chunk.subarray(0, length));
      return;
    }
    const head = chunk.subarray(0, lastNl);
    const text = (this.partial === null ? head : Buffer.concat([this.partial, head])).toString('utf8');
    this.partial = null;
    const lines = text.split('\n');
    if (this.discarding) {
      lines.shift();
      this.discarding = false;
    }
    let tooLong = false;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
      if (line.length > this.maxLineBytes) tooLong = true;
    }
    const complete = tooLong ? lines.filter((l) => Buffer.byteLength(l) <= this.maxLineBytes || (this.dropped++, false)) : lines;
    if (complete.length > 0) out(complete);
    if (lastNl + 1 < length) this.keep(chunk.subarray(lastNl + 1, length));
  }

  /** The unfinished last line, if any (at rotation: the old file will not be written again). */
  flush(out: (lines: string[]) => void): void {
    const rest = this.partial;
    this.partial = null;
    if (rest !== null && !this.discarding && rest.length > 0) out([rest.toString('utf8').replace(/\r$/, '')]);
    this.discarding = false;
  }

  reset(): void {
    this.partial = null;
    this.discarding = false;
  }

  private keep(bytes: Buffer): void {
    if (this.discarding) return;
    const total = (this.partial === null ? 0 : this.partial.length) + bytes.length;
    if (total > this.maxLineBytes) {
      this.partial = null;
      this.discarding = true;
      this.dropped++;
      return;
    }
    this.partial = this.partial === null ? Buffer.from(bytes) : Buffer.concat([this.partial, bytes]);
  }
}
