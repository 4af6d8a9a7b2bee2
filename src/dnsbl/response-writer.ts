// Writes a DNSBL response straight from the query's bytes (pure): the header, the query's own question
// bytes, then records whose owner names point back into that question (RFC 1035 §4.1.4 compression).
// Queries are still decoded and checked with dns-packet (src/dnsbl/dnsbl-answerer.ts); this only
// spares re-encoding the long question name once or twice per answer.

const QR = 0x8000;
const TYPE = { A: 1, SOA: 6, TXT: 16, OPT: 41 } as const;
/** Bytes of an OPT pseudo-record without options: root name, type, class, TTL, rdlength. */
const OPT_BYTES = 11;
const DO_BIT = 0x8000;

/** The OPT record of a response to an EDNS query (RFC 6891): our UDP payload size, the upper 8 bits of the rcode, the DO bit echoed (RFC 3225). */
export interface ResponseEdns {
  udpSize: number;
  extendedRcode: number;
  dnssecOk: boolean;
}
const CLASS_IN = 1;

/** A record of a response: its owner is the question name (`question`) or the zone within it (`zone`). */
export type RawRecord =
  | { owner: 'question' | 'zone'; type: 'A'; ttl: number; address: string }
  | { owner: 'question' | 'zone'; type: 'TXT'; ttl: number; strings: readonly Buffer[] }
  | { owner: 'question' | 'zone'; type: 'SOA'; ttl: number; rdata: Buffer };

export interface QuestionBounds {
  /** offset just past the question (name, type, class) */
  end: number;
  /** offset of the zone's labels inside the question name */
  zoneOffset: number;
}

/**
 * Where the first question ends and where its last `zoneLabels` labels start, or null when its name is
 * compressed, truncated or not inside a zone of that many labels (the caller then encodes normally).
 */
export function questionBounds(packet: Buffer, zoneLabels: number): QuestionBounds | null {
  const starts: number[] = [];
  let o = 12;
  for (;;) {
    if (o >= packet.length) return null;
    const length = packet[o];
    if (length === 0) break;
    if (length > 63) return null;
    starts.push(o);
    o += 1 + length;
  }
  const end = o + 1 + 4;
  if (end > packet.length || starts.length < zoneLabels) return null;
  return { end, zoneOffset: zoneLabels === 0 ? o : starts[starts.length - zoneLabels] };
}

/** SOA rdata: mname and rname uncompressed, then serial, refresh, retry, expire, minimum. */
export function soaRdata(mname: string, rname: string, numbers: readonly [number, number, number, number, number]): Buffer {
  const names = Buffer.concat([encodeName(mname), encodeName(rname)]);
  const out = Buffer.alloc(names.length + 20);
  names.copy(out, 0);
  numbers.forEach((n, i) => out.writeUInt32BE(n >>> 0, names.length + 4 * i));
  return out;
}

export function writeResponse(query: Buffer, bounds: QuestionBounds, flags: number, answers: readonly RawRecord[], authorities: readonly RawRecord[], edns: ResponseEdns | null = null): Buffer {
  const records = [...answers, ...authorities];
  let size = bounds.end + (edns ? OPT_BYTES : 0);
  for (const r of records) size += 12 + rdataLength(r);
  const out = Buffer.allocUnsafe(size);
  out[0] = query[0];
  out[1] = query[1];
  out.writeUInt16BE((flags | QR) & 0xffff, 2);
  out.writeUInt16BE(1, 4);
  out.writeUInt16BE(answers.length, 6);
  out.writeUInt16BE(authorities.length, 8);
  out.writeUInt16BE(edns ? 1 : 0, 10);
  query.copy(out, 12, 12, bounds.end);
  let o = bounds.end;
  for (const r of records) {
    out.writeUInt16BE(0xc000 | (r.owner === 'question' ? 12 : bounds.zoneOffset), o);
    out.writeUInt16BE(TYPE[r.type], o + 2);
    out.writeUInt16BE(CLASS_IN, o + 4);
    out.writeUInt32BE(r.ttl >>> 0, o + 6);
    const length = rdataLength(r);
    out.writeUInt16BE(length, o + 10);
    o += 12;
    if (r.type === 'A') {
      const parts = r.address.split('.');
      for (let i = 0; i < 4; i++) out[o + i] = Number(parts[i]);
    } else if (r.type === 'SOA') {
      r.rdata.copy(out, o);
    } else {
      let p = o;
      for (const s of r.strings) {
        out[p] = s.length;
        s.copy(out, p + 1);
        p += 1 + s.length;
      }
    }
    o += length;
  }
  if (edns) {
    out[o] = 0;
    out.writeUInt16BE(TYPE.OPT, o + 1);
    out.writeUInt16BE(edns.udpSize, o + 3);
    out[o + 5] = edns.extendedRcode;
    out[o + 6] = 0;
    out.writeUInt16BE(edns.dnssecOk ? DO_BIT : 0, o + 7);
    out.writeUInt16BE(0, o + 9);
  }
  return out;
}

function rdataLength(r: RawRecord): number {
  if (r.type === 'A') return 4;
  if (r.type === 'SOA') return r.rdata.length;
  let n = 0;
  for (const s of r.strings) n += 1 + s.length;
  return n;
}

function encodeName(name: string): Buffer {
  const parts: Buffer[] = [];
  for (const label of name.replace(/\.$/, '').split('.')) {
    if (label.length === 0) continue;
    const bytes = Buffer.from(label, 'ascii');
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}
