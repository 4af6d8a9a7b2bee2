/** Binary min-heap of (time, ip) with lazy deletion: the owner checks each popped entry. */
export class TimerHeap {
  private times = new Float64Array(256);
  private ips = new Int32Array(256);
  size = 0;

  push(time: number, ip: number): void {
    if (this.size === this.times.length) {
      const t = new Float64Array(this.size * 2);
      t.set(this.times);
      this.times = t;
      const i = new Int32Array(this.size * 2);
      i.set(this.ips);
      this.ips = i;
    }
    let k = this.size++;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.less(time, ip, this.times[parent], this.ips[parent])) break;
      this.times[k] = this.times[parent];
      this.ips[k] = this.ips[parent];
      k = parent;
    }
    this.times[k] = time;
    this.ips[k] = ip;
  }

  peekTime(): number {
    return this.size > 0 ? this.times[0] : Infinity;
  }

  /** Removes the earliest entry; returns its ip (its time was `peekTime()`). */
  pop(): number {
    const top = this.ips[0];
    const n = --this.size;
    if (n > 0) {
      const time = this.times[n];
      const ip = this.ips[n];
      let k = 0;
      for (;;) {
        let c = 2 * k + 1;
        if (c >= n) break;
        if (c + 1 < n && this.less(this.times[c + 1], this.ips[c + 1], this.times[c], this.ips[c])) c++;
        if (!this.less(this.times[c], this.ips[c], time, ip)) break;
        this.times[k] = this.times[c];
        this.ips[k] = this.ips[c];
        k = c;
      }
      this.times[k] = time;
      this.ips[k] = ip;
    }
    return top;
  }

  private less(t1: number, i1: number, t2: number, i2: number): boolean {
    return t1 < t2 || (t1 === t2 && i1 < i2);
  }
}
