// Delivery to the host: at most one batch per interval (~33 ms) carrying the newest entries up to a cap (the
// rest counted as skipped, so every id is delivered or counted), the monitor timeline since the last batch,
// the counters of the sockets whose traffic moved, and the socket list whenever it changed. Per message only
// `schedule` runs, which is one check while a batch is already due.
import { performance } from 'node:perf_hooks'
import type { CaptureStats, EngineEvent, SocketCounters, TimelineEntry } from '../../contract/views'
import type { CaptureRing } from './capture'
import { toView } from './capture-entry'
import type { MonitorEvent } from './events'
import type { ManagedSocket } from './socket'
import type { TapRegistry } from './tap-registry'

export interface EventSink {
  emit(event: EngineEvent): void
}

export interface DeliveryConfig {
  /** At most one batch per this many milliseconds. */
  intervalMs: number
  /** Entries per batch; a busier period sends the newest ones and counts the rest as skipped. */
  maxEntries: number
}

const MAX_TIMELINE_PER_BATCH = 2000

export class Delivery {
  private timer: NodeJS.Timeout | undefined
  private state: { kind: 'running' } | { kind: 'closed' } = { kind: 'running' }
  private pendingTimeline: TimelineEntry[] = []
  private timelineId = 0
  private lastDeliveredId = 0
  private skippedInBatches = 0
  /** The socket list is sent whole, so one flag for all sockets. */
  private socketsMoved = false

  constructor(
    private readonly sink: EventSink,
    private readonly ring: CaptureRing,
    private readonly sockets: ReadonlyMap<string, ManagedSocket>,
    private readonly taps: Pick<TapRegistry, 'takeMoved' | 'list'>,
    private readonly config: DeliveryConfig,
  ) {}

  /** A batch is due within the interval; called per captured message, so it stays a check while one is. */
  schedule(): void {
    if (this.timer || this.state.kind === 'closed') return
    this.timer = setTimeout(() => this.flush(), this.config.intervalMs)
    this.timer.unref()
  }

  /** A socket appeared, closed or changed what its summary shows. */
  socketsChanged(): void {
    this.socketsMoved = true
    this.schedule()
  }

  /** A monitor event for the timeline; a burst beyond the per-batch cap is not queued. */
  timeline(socketId: string, event: MonitorEvent): void {
    const mono = performance.now()
    if (this.pendingTimeline.length < MAX_TIMELINE_PER_BATCH) {
      this.pendingTimeline.push({
        id: ++this.timelineId,
        socketId,
        mono,
        wall: performance.timeOrigin + mono,
        ...event,
      })
    }
    this.schedule()
  }

  /** The log was cleared: what it held is no longer owed to anyone. */
  cleared(): void {
    this.lastDeliveredId = this.ring.lastId
    this.schedule()
  }

  captureStats(): CaptureStats {
    return this.ring.stats(this.skippedInBatches)
  }

  close(): void {
    this.state = { kind: 'closed' }
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  private flush(): void {
    this.timer = undefined
    if (this.state.kind === 'closed') return
    if (this.socketsMoved) {
      this.socketsMoved = false
      this.sink.emit({ type: 'sockets', sockets: [...this.sockets.values()].map((s) => s.summary()) })
    }
    if (this.taps.takeMoved()) this.sink.emit({ type: 'taps', taps: this.taps.list() })
    const { entries, skipped } = this.ring.since(this.lastDeliveredId, this.config.maxEntries)
    this.lastDeliveredId = this.ring.lastId
    this.skippedInBatches += skipped
    const counters: SocketCounters[] = []
    const dropsMoved = this.ring.takeDropsMoved()
    for (const socket of this.sockets.values()) {
      if (socket.traffic.takeMoved() || dropsMoved.has(socket.id)) counters.push(socket.countersView())
    }
    const timeline = this.pendingTimeline
    this.pendingTimeline = []
    if (entries.length === 0 && skipped === 0 && counters.length === 0 && timeline.length === 0) return
    this.sink.emit({
      type: 'batch',
      batch: { entries: entries.map((e) => toView(e)), skipped, timeline, counters, capture: this.captureStats() },
    })
  }
}
