// A socket's traffic counters, kept by the socket itself as it sends and receives: messages and bytes each
// way, send errors, and the same per peer (keyed by routing id) for sockets that name their peers.
import type { Direction, PeerCounters, SocketCounters } from '../../contract/views'

const MAX_PEERS = 10_000

/** Message and byte counts of a socket or of one of its peers, updated in place per message. */
interface Traffic {
  msgsIn: number
  bytesIn: number
  msgsOut: number
  bytesOut: number
}

function countMessage(traffic: Traffic, dir: Direction, size: number): void {
  if (dir === 'in') {
    traffic.msgsIn++
    traffic.bytesIn += size
  } else {
    traffic.msgsOut++
    traffic.bytesOut += size
  }
}

class PeerTable {
  private readonly peers = new Map<string, PeerCounters>()

  /** One message of `size` bytes to or from `peer`, counted beside the socket's own counters. */
  count(dir: Direction, peer: Buffer, size: number): void {
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

/** One socket's counters. */
export class SocketTraffic implements Traffic {
  msgsIn = 0
  bytesIn = 0
  msgsOut = 0
  bytesOut = 0
  private sendErrors = 0
  /** Moved since delivery last took them (a flag, not a set of sockets: it is set per message). */
  private moved = false
  private readonly peers = new PeerTable()

  /** Counts one message; returns its size (the sum of its frame lengths), which capture needs as well. */
  count(dir: Direction, frames: Buffer[], peer: Buffer | undefined): number {
    let size = 0
    for (const frame of frames) size += frame.length
    countMessage(this, dir, size)
    if (peer) this.peers.count(dir, peer, size)
    this.moved = true
    return size
  }

  /** Reported with the socket list, which a failed send refreshes; no batch is owed for it. */
  countSendError(): void {
    this.sendErrors++
  }

  /** Whether the counters moved since the last call: delivery sends counters only for sockets that moved. */
  takeMoved(): boolean {
    const moved = this.moved
    this.moved = false
    return moved
  }

  /** `ringDrops` comes from the capture ring, which is what drops entries and counts them per socket. */
  view(socketId: string, ringDrops: number): SocketCounters {
    return {
      socketId,
      msgsIn: this.msgsIn,
      msgsOut: this.msgsOut,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      sendErrors: this.sendErrors,
      ringDrops,
      peers: this.peers.snapshot(),
    }
  }
}
