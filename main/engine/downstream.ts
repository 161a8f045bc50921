// XPUB's view of its downstream: which prefixes subscribers asked for and how many ask for each, kept from the
// 0x01 (subscribe) / 0x00 (unsubscribe) messages an XPUB receives.
import type { DownstreamSubscription } from '../../contract/views'
import { bytesView } from './codec'

export class DownstreamSubscriptions {
  /** Prefix (hex) -> subscriber count. */
  private readonly byPrefix = new Map<string, number>()

  /** Counts a received first frame if it is a (un)subscription; returns whether it was one. */
  track(frame: Buffer | undefined): boolean {
    if (!frame || frame.length === 0 || (frame[0] !== 0 && frame[0] !== 1)) return false
    const key = frame.subarray(1).toString('hex')
    const count = (this.byPrefix.get(key) ?? 0) + (frame[0] === 1 ? 1 : -1)
    if (count > 0) this.byPrefix.set(key, count)
    else this.byPrefix.delete(key)
    return true
  }

  view(): DownstreamSubscription[] {
    return [...this.byPrefix.entries()].map(([hex, subscribers]) => ({
      prefix: bytesView(Buffer.from(hex, 'hex')),
      subscribers,
    }))
  }
}
