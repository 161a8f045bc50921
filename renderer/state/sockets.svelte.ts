// Sockets as the engine reports them, and their message rates; what the user does to them is in socket-actions.ts.
import type { SocketCounters, SocketSummary } from '../../contract/views'

export interface Rate {
  msgsIn: number
  msgsOut: number
  bytesIn: number
  bytesOut: number
}

const HISTORY_SECONDS = 60

class SocketsState {
  list = $state.raw<SocketSummary[]>([])
  /** The last minute of per-second rates, oldest first; the last one is the current rate. */
  history = $state.raw<Record<string, Rate[]>>({})
  private previous: Record<string, Rate> = {}

  /** Called once a second: rates are the counter deltas since the last call. */
  sampleRates(): void {
    const now: Record<string, Rate> = {}
    const history: Record<string, Rate[]> = {}
    for (const s of this.list) {
      const c = s.counters
      now[s.id] = { msgsIn: c.msgsIn, msgsOut: c.msgsOut, bytesIn: c.bytesIn, bytesOut: c.bytesOut }
      const before = this.previous[s.id] ?? now[s.id]!
      const rate = {
        msgsIn: c.msgsIn - before.msgsIn,
        msgsOut: c.msgsOut - before.msgsOut,
        bytesIn: c.bytesIn - before.bytesIn,
        bytesOut: c.bytesOut - before.bytesOut,
      }
      history[s.id] = [...(this.history[s.id] ?? []), rate].slice(-HISTORY_SECONDS)
    }
    this.previous = now
    this.history = history
  }

  /** After an outage the counters jumped: the next sample is a new baseline, not one huge second. */
  restartRates(): void {
    this.previous = {}
  }

  /** Another engine (the host restarted): its socket ids name other sockets, so their history is not ours. */
  forgetRates(): void {
    this.previous = {}
    this.history = {}
  }

  replace(list: SocketSummary[]): void {
    this.list = list
  }

  applyCounters(counters: SocketCounters[]): void {
    if (counters.length === 0) return
    const byId = new Map(counters.map((c) => [c.socketId, c]))
    this.list = this.list.map((s) => {
      const update = byId.get(s.id)
      return update ? { ...s, counters: update } : s
    })
  }

  name(socketId: string): string {
    return this.list.find((s) => s.id === socketId)?.name ?? socketId
  }
}

export const sockets = new SocketsState()
