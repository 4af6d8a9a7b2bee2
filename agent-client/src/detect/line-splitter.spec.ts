import { LineSplitter } from './line-splitter.js';

function feed(splitter: LineSplitter, chunks: Buffer[]): string[] {
  const out: string[] = [];
  for (const c of chunks) splitter.push(c, c.length, (lines) => out.push(...lines));
  return out;
}

describe('LineSplitter', () => {
  it('keeps a partial line until its newline arrives and strips CR', () => {
    const s = new LineSplitter(1024);
    expect(feed(s, [Buffer.from('a\r\nb'), Buffer.from('c\n'), Buffer.from('d')])).toEqual(['a', 'bc']);
    expect(s.pendingBytes).toBe(1);
    const rest: string[] = [];
    s.flush((l) => rest.push(...l));
    expect(rest).toEqual(['d']);
  });

  it('does not break multi-byte characters cut across chunks', () => {
    const bytes = Buffer.from('é€😀\nnext\n', 'utf8');
    const chunks = Array.from(bytes, (b) => Buffer.from([b]));
    expect(feed(new LineSplitter(1024), chunks)).toEqual(['é€😀', 'next']);
  });

  it('only reads `length` bytes of a reused buffer', () => {
    const buf = Buffer.from('one\ntwo\nGARBAGE');
    const out: string[] = [];
    new LineSplitter(1024).push(buf, 8, (l) => out.push(...l));
    expect(out).toEqual(['one', 'two']);
  });

  it('drops over-long lines whole, in one chunk or across chunks', () => {
    const s = new LineSplitter(8);
    expect(feed(s, [Buffer.from('short\n0123456789abc\nok\n')])).toEqual(['short', 'ok']);
    expect(feed(s, [Buffer.from('0123456'), Buffer.from('789'), Buffer.from('abc\nafter\n')])).toEqual(['after']);
    expect(s.dropped).toBe(2);
  });
});
