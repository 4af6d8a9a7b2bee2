/**
 * Addresses that logged in successfully lately (sshd "Accepted ...", or a cross-IP scenario's `success`
 * filter): the cross-IP stage never flags them and local remediation never blocks them. Times are log
 * times; the map is bounded (oldest first out).
 */
export class RecentLogins {
  private readonly lastLogin = new Map<string, number>();

  constructor(
    readonly memoryMs: number,
    private readonly max = 100_000,
  ) {}

  get size(): number {
    return this.lastLogin.size;
  }

  record(ip: string, time: number): void {
    this.lastLogin.delete(ip);
    if (this.lastLogin.size >= this.max) {
      const oldest = this.lastLogin.keys().next();
      if (!oldest.done) this.lastLogin.delete(oldest.value);
    }
    this.lastLogin.set(ip, time);
  }

  /** Logged in within `memoryMs` before `time` (or after it: lines can come slightly out of order). */
  has(ip: string, time: number): boolean {
    const at = this.lastLogin.get(ip);
    return at !== undefined && time - at <= this.memoryMs;
  }

  sweep(now: number): void {
    // insertion order is login order: stop at the first one still recent
    for (const [ip, at] of this.lastLogin) {
      if (now - at <= this.memoryMs) break;
      this.lastLogin.delete(ip);
    }
  }
}
