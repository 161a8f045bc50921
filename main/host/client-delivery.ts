// Pushes engine events to every WebSocket client, each at its own pace. A client that falls behind (its socket
// has not drained) gets batches without their rows, and those rows are counted in the batch's `skipped` for
// that client: every entry id reaches every client either as a row or as a count, never as a silent gap.
// Socket lists, counters, timeline and terminal output still go, so a slow page stays truthful, only sparser.
import type { WebSocket } from 'ws'
import type { WsServerFrame } from '../../contract/channels'
import type { CaptureBatch, EngineEvent } from '../../contract/views'
import type { EventSink } from '../engine/engine'

export const DEFAULT_SLOW_CLIENT_BYTES = 32 * 1024 * 1024

/** The batch a slow client gets: everything but the rows, which it is told it missed (and can query). */
function withoutRows(batch: CaptureBatch): CaptureBatch {
  return { ...batch, entries: [], skipped: batch.skipped + batch.entries.length }
}

export class ClientDelivery implements EventSink {
  private readonly clients = new Set<WebSocket>()

  constructor(private readonly slowClientBytes: number) {}

  add(client: WebSocket): void {
    this.clients.add(client)
  }

  remove(client: WebSocket): void {
    this.clients.delete(client)
  }

  emit(event: EngineEvent): void {
    if (this.clients.size === 0) return
    // Serialised at most twice per event (full and row-less), not once per client.
    const frame = (pushed: EngineEvent): string => JSON.stringify({ event: pushed } satisfies WsServerFrame)
    const full = frame(event)
    let rowless: string | undefined
    for (const client of this.clients) {
      if (client.readyState !== client.OPEN) continue
      if (event.type === 'batch' && event.batch.entries.length > 0 && client.bufferedAmount > this.slowClientBytes) {
        rowless ??= frame({ type: 'batch', batch: withoutRows(event.batch) })
        client.send(rowless)
      } else {
        client.send(full)
      }
    }
  }

  closeAll(): void {
    for (const client of this.clients) client.terminate()
    this.clients.clear()
  }
}
