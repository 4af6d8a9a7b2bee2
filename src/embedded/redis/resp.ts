/** RESP2 values as the embedded server replies them. */
export type Reply =
  | { readonly kind: 'status'; readonly value: string }
  | { readonly kind: 'error'; readonly value: string }
  | number
  | string
  | Buffer
  | null
  | readonly Reply[];

export const OK: Reply = { kind: 'status', value: 'OK' };
export const QUEUED: Reply = { kind: 'status', value: 'QUEUED' };
export const status = (value: string): Reply => ({ kind: 'status', value });
export const replyError = (value: string): Reply => ({ kind: 'error', value });

export function isErrorReply(reply: Reply): reply is { kind: 'error'; value: string } {
  return typeof reply === 'object' && reply !== null && !Array.isArray(reply) && !Buffer.isBuffer(reply) && (reply as { kind: string }).kind === 'error';
}

export function encodeReply(reply: Reply): Buffer {
  const parts: Buffer[] = [];
  encodeInto(reply, parts);
  return Buffer.concat(parts);
}

function encodeInto(reply: Reply, out: Buffer[]): void {
  if (reply === null) out.push(Buffer.from('$-1\r\n'));
  else if (typeof reply === 'number') out.push(Buffer.from(`:${Math.trunc(reply)}\r\n`));
  else if (typeof reply === 'string' || Buffer.isBuffer(reply)) {
    const body = typeof reply === 'string' ? Buffer.from(reply) : reply;
    out.push(Buffer.from(`$${body.length}\r\n`), body, Buffer.from('\r\n'));
  } else if (Array.isArray(reply)) {
    out.push(Buffer.from(`*${reply.length}\r\n`));
    for (const item of reply as Reply[]) encodeInto(item, out);
  } else {
    const { kind, value } = reply as { kind: 'status' | 'error'; value: string };
    out.push(Buffer.from(`${kind === 'status' ? '+' : '-'}${value.replace(/[\r\n]+/g, ' ')}\r\n`));
  }
}

/**
 * Incremental parser of client commands: RESP arrays of bulk strings (what ioredis sends) and
 * inline commands (redis-cli style). Returns the complete commands buffered so far.
 */
export class CommandParser {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[][] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const commands: Buffer[][] = [];
    for (;;) {
      const parsed = this.parseOne();
      if (!parsed) break;
      this.buffer = this.buffer.subarray(parsed.end);
      if (parsed.args.length > 0) commands.push(parsed.args);
    }
    return commands;
  }

  private parseOne(): { args: Buffer[]; end: number } | null {
    const buf = this.buffer;
    if (buf.length === 0) return null;
    const lineEnd = buf.indexOf('\r\n');
    if (lineEnd < 0) return null;
    if (buf[0] !== 0x2a /* '*' */) {
      const args = buf.subarray(0, lineEnd).toString().trim().split(/\s+/).filter(Boolean).map((s) => Buffer.from(s));
      return { args, end: lineEnd + 2 };
    }
    const count = Number(buf.subarray(1, lineEnd).toString());
    if (!Number.isInteger(count)) throw new Error('Protocol error: invalid multibulk length');
    let pos = lineEnd + 2;
    const args: Buffer[] = [];
    for (let i = 0; i < count; i += 1) {
      const headerEnd = buf.indexOf('\r\n', pos);
      if (headerEnd < 0) return null;
      if (buf[pos] !== 0x24 /* '$' */) throw new Error("Protocol error: expected '$'");
      const len = Number(buf.subarray(pos + 1, headerEnd).toString());
      const start = headerEnd + 2;
      if (buf.length < start + len + 2) return null;
      args.push(Buffer.from(buf.subarray(start, start + len)));
      pos = start + len + 2;
    }
    return { args, end: pos };
  }
}
