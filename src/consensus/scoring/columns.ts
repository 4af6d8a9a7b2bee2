/** Growable typed-array helpers for the engine's struct-of-arrays tables. */

export function grownCapacity(current: number, needed: number): number {
  let c = current > 0 ? current : 16;
  while (c < needed) c *= 2;
  return c;
}

export function growF64(a: Float64Array<ArrayBuffer>, size: number, fill = 0): Float64Array<ArrayBuffer> {
  if (a.length >= size) return a;
  const b = new Float64Array(grownCapacity(a.length, size));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function growI32(a: Int32Array<ArrayBuffer>, size: number, fill = 0): Int32Array<ArrayBuffer> {
  if (a.length >= size) return a;
  const b = new Int32Array(grownCapacity(a.length, size));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function growU8(a: Uint8Array<ArrayBuffer>, size: number): Uint8Array<ArrayBuffer> {
  if (a.length >= size) return a;
  const b = new Uint8Array(grownCapacity(a.length, size));
  b.set(a);
  return b;
}

/** String ↔ dense integer id. */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  get size(): number {
    return this.names.length;
  }

  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  find(name: string): number {
    return this.ids.get(name) ?? -1;
  }
}

/** Plain string ordering (not locale-aware), for deterministic sorts. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
