// Monitor events per socket (connect, retry, accept, disconnect, handshake failures), newest last, bounded.
import type { TimelineEntry } from '../../contract/views'

const PER_SOCKET = 300

class EventsState {
  bySocket = $state.raw<Record<string, TimelineEntry[]>>({})

  /** Another engine's socket ids name other sockets: their timelines start over. */
  clear(): void {
    this.bySocket = {}
  }

  add(entries: TimelineEntry[]): void {
    if (entries.length === 0) return
    const next = { ...this.bySocket }
    for (const entry of entries) {
      const list = next[entry.socketId] ?? []
      next[entry.socketId] = list.length >= PER_SOCKET ? [...list.slice(1 - PER_SOCKET), entry] : [...list, entry]
    }
    this.bySocket = next
  }
}

export const events = new EventsState()
