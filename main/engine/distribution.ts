// Per-peer counters, keyed by routing id, updated in place on every message.
import type { PeerCounters } from '../../preload/views'

const MAX_PEERS = 10_000

export class PeerTable {
  private readonly peers = new Map<string, PeerCounters>()

  /** One message of `size` bytes to or from `peer`; the engine calls it beside the socket's own counters. */
  count(dir: 'in' | 'out', peer: Buffer, size: number): void {
    const entry = this.entry(peer)
    if (!entry) return
    if (dir === 'in') {
      entry.msgsIn++
      entry.bytesIn += size
    } else {
      entry.msgsOut++
      entry.bytesOut += size
    }
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
