// Messages a paused tap holds, oldest first: a queue with a moving head, so that taking one off the front costs
// nothing even with a hundred thousand held (Array#shift would move them all).
import type { TapWay } from '../../contract/taps'

export interface HeldMessage {
  way: TapWay
  frames: Buffer[]
  size: number
  entryId: number
  peer: Buffer | undefined
}

export class HoldQueue {
  private items: (HeldMessage | undefined)[] = []
  private head = 0
  bytes = 0

  get length(): number {
    return this.items.length - this.head
  }

  push(message: HeldMessage): void {
    this.items.push(message)
    this.bytes += message.size
  }

  peek(): HeldMessage | undefined {
    return this.items[this.head]
  }

  shift(): HeldMessage | undefined {
    const message = this.items[this.head]
    if (message === undefined) return undefined
    this.items[this.head++] = undefined
    this.bytes -= message.size
    // Compact once the dead front outweighs the live rest.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return message
  }

  clear(): void {
    this.items = []
    this.head = 0
    this.bytes = 0
  }
}
