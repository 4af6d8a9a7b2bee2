/** Something cached with its size in bytes. */
export interface Sized {
  readonly bytes: number;
}

/**
 * A least-recently-used cache bounded by total bytes, which also collapses concurrent builds of the
 * same key into one: a thousand agents asking for a new version at once cause one render.
 */
export class BodyCache<T extends Sized> {
  private readonly items = new Map<string, T>();
  private readonly building = new Map<string, Promise<T>>();
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.items.size;
  }

  /** The cached value when `fresh` accepts it, else one build shared by every concurrent caller. */
  async getOrBuild(key: string, fresh: (value: T) => boolean, build: () => Promise<T>): Promise<T> {
    const cached = this.items.get(key);
    if (cached !== undefined && fresh(cached)) {
      this.items.delete(key);
      this.items.set(key, cached);
      return cached;
    }
    let pending = this.building.get(key);
    if (pending === undefined) {
      pending = build().then(
        (value) => {
          this.building.delete(key);
          this.put(key, value);
          return value;
        },
        (error: unknown) => {
          this.building.delete(key);
          throw error;
        },
      );
      this.building.set(key, pending);
    }
    return pending;
  }

  /** Drops every entry whose key `keep` refuses (e.g. bodies of versions no longer current). */
  retain(keep: (key: string) => boolean): void {
    for (const [key, value] of this.items) {
      if (!keep(key)) this.remove(key, value);
    }
  }

  private put(key: string, value: T): void {
    const previous = this.items.get(key);
    if (previous !== undefined) this.remove(key, previous);
    if (value.bytes > this.maxBytes) return;
    this.items.set(key, value);
    this.total += value.bytes;
    for (const [oldKey, oldValue] of this.items) {
      if (this.total <= this.maxBytes) break;
      this.remove(oldKey, oldValue);
    }
  }

  private remove(key: string, value: T): void {
    this.items.delete(key);
    this.total -= value.bytes;
  }
}
