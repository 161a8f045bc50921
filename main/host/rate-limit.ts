// Failed-attempt limiter for the browser host: after too many wrong tokens from one address within a window,
// that address's wrong tokens are answered 429 until the window has passed. The right token always passes
// (access.ts checks it first): the limiter slows guessing, it must never lock the real user out.

export interface RateLimitOptions {
  maxFailures: number
  windowMs: number
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { maxFailures: 20, windowMs: 60_000 }

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  blocked(address: string): boolean {
    return this.recent(address).length >= this.options.maxFailures
  }

  fail(address: string): void {
    const recent = this.recent(address)
    recent.push(this.now())
    this.failures.set(address, recent)
    // Forget quiet addresses so a scan from many addresses cannot grow the map for ever.
    if (this.failures.size > 10_000) {
      for (const [key] of this.failures) if (this.recent(key).length === 0) this.failures.delete(key)
    }
  }

  private recent(address: string): number[] {
    const since = this.now() - this.options.windowMs
    const kept = (this.failures.get(address) ?? []).filter((t) => t > since)
    if (kept.length === 0) this.failures.delete(address)
    else this.failures.set(address, kept)
    return kept
  }
}
