/** Time-ordered queue of simulator-side actions (reviews, closed-loop victims and copiers). */
export type Action =
  | { kind: 'request'; at: number; ip: string; listedAt: number; victim: number }
  | { kind: 'review'; at: number; ip: string; outcome: 'upheld' | 'rejected' }
  | { kind: 'copy'; at: number; ip: string; copier: number };

export class ActionQueue {
  private items: Action[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  peekTime(): number {
    return this.head < this.items.length ? this.items[this.head].at : Infinity;
  }

  shift(): Action {
    const a = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return a;
  }

  /** Stable insert: equal times keep insertion order. */
  push(a: Action): void {
    let i = this.items.length;
    while (i > this.head && this.items[i - 1].at > a.at) i--;
    this.items.splice(i, 0, a);
  }
}
