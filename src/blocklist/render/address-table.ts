// Hot-path globals are bound once: a global lookup is cheap in plain Node but costs ~0.2 µs
// inside a vm context such as Jest's, which would dominate a 100k-entry render there.
const { imul } = Math;

/**
 * Open-addressing hash table from a network (four 32-bit words + prefix length) to an int, in
 * typed arrays. A `Map` keyed by numbers above 2^31 or by strings costs ~1 µs per insert, which
 * alone would eat the render budget of a 100k-entry list.
 */
export class AddressTable {
  private mask: number;
  private w0: Uint32Array;
  private w1: Uint32Array;
  private w2: Uint32Array;
  private w3: Uint32Array;
  private prefix: Uint8Array;
  /** Stored value + 1; 0 marks an empty slot. */
  private slot: Int32Array;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.w0 = new Uint32Array(capacity);
    this.w1 = new Uint32Array(capacity);
    this.w2 = new Uint32Array(capacity);
    this.w3 = new Uint32Array(capacity);
    this.prefix = new Uint8Array(capacity);
    this.slot = new Int32Array(capacity);
  }

  /** The value stored for the network, or -1. */
  get(w0: number, w1: number, w2: number, w3: number, prefix: number): number {
    for (let i = this.hash(w0, w1, w2, w3, prefix); ; i = (i + 1) & this.mask) {
      const s = this.slot[i];
      if (s === 0) return -1;
      if (this.w3[i] === w3 && this.prefix[i] === prefix && this.w2[i] === w2 && this.w1[i] === w1 && this.w0[i] === w0) {
        return s - 1;
      }
    }
  }

  /** Stores `value` unless the network is present; returns the value already stored, or -1. */
  putIfAbsent(w0: number, w1: number, w2: number, w3: number, prefix: number, value: number): number {
    let i = this.hash(w0, w1, w2, w3, prefix);
    for (; ; i = (i + 1) & this.mask) {
      const s = this.slot[i];
      if (s === 0) break;
      if (this.w3[i] === w3 && this.prefix[i] === prefix && this.w2[i] === w2 && this.w1[i] === w1 && this.w0[i] === w0) {
        return s - 1;
      }
    }
    this.w0[i] = w0;
    this.w1[i] = w1;
    this.w2[i] = w2;
    this.w3[i] = w3;
    this.prefix[i] = prefix;
    this.slot[i] = value + 1;
    return -1;
  }

  private hash(w0: number, w1: number, w2: number, w3: number, prefix: number): number {
    let h = imul(w3 ^ prefix, 0x9e3779b1);
    h = imul(h ^ w2 ^ (h >>> 15), 0x85ebca77);
    h = imul(h ^ w1 ^ (h >>> 13), 0xc2b2ae3d);
    h = imul(h ^ w0 ^ (h >>> 16), 0x27d4eb2f);
    return (h ^ (h >>> 15)) & this.mask;
  }
}
