// Message counters updated in place on every message: a socket's, and per peer keyed by routing id.
import type { PeerCounters } from '../../contract/views'

const MAX_PEERS = 10_000

/** Message and byte counts of a socket or of one of its peers, updated in place per message. */
export interface Traffic {
  msgsIn: number
  bytesIn: number
  msgsOut: number
  bytesOut: number
}

export function countMessage(traffic: Traffic, dir: 'in' | 'out', size: number): void {
  if (dir === 'in') {
    traffic.msgsIn++
    traffic.bytesIn += size
  } else {
    traffic.msgsOut++
    traffic.bytesOut += size
  }
}

export class PeerTable {
  private readonly peers = new Map<string, PeerCounters>()

  /** One message of `size` bytes to or from `peer`; the engine calls it beside the socket's own counters. */
  count(dir: 'in' | 'out', peer: Buffer, size: number): void {
    const entry = this.entry(peer)
    if (entry) countMessage(entry, dir, size)
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
