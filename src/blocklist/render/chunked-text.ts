const CHUNK_CHARS = 64 * 1024;

/**
 * Accumulates text in ~64 KiB strings and encodes each once: keeps V8 from building one huge rope
 * of 100k tiny pieces, and keeps peak memory near the size of the output.
 */
export class ChunkedText {
  private readonly chunks: Buffer[] = [];
  private current = '';
  private bytes = 0;

  push(text: string): void {
    this.current += text;
    if (this.current.length >= CHUNK_CHARS) this.flush();
  }

  toBuffer(): Buffer {
    this.flush();
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.bytes);
  }

  private flush(): void {
    if (this.current.length === 0) return;
    const chunk = Buffer.from(this.current, 'utf8');
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    this.current = '';
  }
}
