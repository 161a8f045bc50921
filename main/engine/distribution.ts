// Per-peer counters, keyed by routing id, updated in place on every message.
import type { PeerCounters } from '../../preload/views'

const MAX_PEERS = 10_000

function size(frames: Buffer[]): number {
  let total = 0
  for (const frame of frames) total += frame.length
  return total
}

export class PeerTable {
  private readonly peers = new Map<string, PeerCounters>()

  countIn(peer: Buffer, frames: Buffer[]): void {
    const entry = this.entry(peer)
    if (!entry) return
    entry.msgsIn++
    entry.bytesIn += size(frames)
  }

  countOut(peer: Buffer, frames: Buffer[]): void {
    const entry = this.entry(peer)
    if (!entry) return
    entry.msgsOut++
    entry.bytesOut += size(frames)
  }

  snapshot(): PeerCounters[] {
    return [...this.peers.values()].map((p) => ({ ...p }))
  }

  private entry(peer: Buffer): PeerCounters | undefined {
    const key = peer.toString('hex')
    let entry = this.peers.get(key)
    // A ROUTER facing churning anonymous peers would otherwise grow this map forever.
    if (!entry && this.peers.size < MAX_PEERS) {
      entry = { peer: key, msgsIn: 0, bytesIn: 0, msgsOut: 0, bytesOut: 0 }
      this.peers.set(key, entry)
    }
    return entry
  }
}
