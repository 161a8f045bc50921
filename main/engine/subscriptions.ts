// A SUB/XSUB socket's subscription list, as it shows in the socket list: what the user subscribed to, or for a
// tap's XSUB side, what its subscribers' 0x01/0x00 messages subscribed to upstream.
import type { FrameBytesView } from '../../contract/views'
import { bytesView } from './codec'

export class SubscriptionList {
  private readonly prefixes: Buffer[] = []

  has(prefix: Buffer): boolean {
    return this.prefixes.some((s) => s.equals(prefix))
  }

  add(prefix: Buffer): void {
    if (!this.has(prefix)) this.prefixes.push(prefix)
  }

  /** False if it was not subscribed. */
  remove(prefix: Buffer): boolean {
    const index = this.prefixes.findIndex((s) => s.equals(prefix))
    if (index < 0) return false
    this.prefixes.splice(index, 1)
    return true
  }

  /** Follows a subscription message sent upstream (0x01 + prefix, 0x00 + prefix); true if the list changed. */
  track(frame: Buffer | undefined): boolean {
    if (frame === undefined || frame.length === 0 || frame[0]! > 1) return false
    const prefix = frame.subarray(1)
    if (frame[0] === 1 && !this.has(prefix)) {
      this.prefixes.push(Buffer.from(prefix))
      return true
    }
    return frame[0] === 0 && this.remove(prefix)
  }

  view(): FrameBytesView[] {
    return this.prefixes.map(bytesView)
  }
}
