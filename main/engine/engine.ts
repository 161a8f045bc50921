// The engine: registry of managed sockets, the capture ring and batched delivery to whichever host injected
// the sink. Plain async methods; it knows nothing about IPC or WebSockets.
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import * as zmq from 'zeromq'
import type { FrameInput, SocketOptions } from '../../contract/schemas'
import {
  DRAFT_SOCKET_TYPES,
  SOCKET_TYPES,
  type CaptureExport,
  type CaptureStats,
  type EngineEvent,
  type EngineInfo,
  type HostKind,
  type FullFrames,
  type LogEntryView,
  type SocketCounters,
  type SocketSummary,
  type SocketType,
  type TimelineEntry,
} from '../../contract/views'
import { CaptureRing, DEFAULT_RING_BYTES, toView } from './capture'
import { encodeFrame } from './codec'
import { countMessage } from './distribution'
import { EngineError } from './errors'
import type { MonitorEvent } from './events'
import { ManagedSocket, type SocketListener } from './socket-host'
import { deriveSocketCap, processFdLimit, socketLimitMessage, type SocketCap } from './fd-limit'
import { ZapHandler, type ZapDecision } from './zap'
import { exportCapture } from './export'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { APP_VERSION } from '../version'

export interface EventSink {
  emit(event: EngineEvent): void
}

export interface EngineConfig {
  host: HostKind
  ringBytes?: number
  /** Delivery cadence: at most one batch per this many milliseconds. */
  batchIntervalMs?: number
  /** Entries per batch; a busier period sends the newest ones and counts the rest as skipped. */
  batchMaxEntries?: number
  /** Where capture exports are written (default ~/.zeroscope/exports). */
  exportsDir?: string
  /** How long a send waits for a peer before EAGAIN, unless the socket sets its own (default 2 s). */
  sendTimeoutMs?: number
  /** Most sockets open at once (default: what the fd limit and libzmq's context allow, with headroom). */
  maxSockets?: number
}

const MAX_TIMELINE_PER_BATCH = 2000

export class Engine implements SocketListener {
  private readonly sockets = new Map<string, ManagedSocket>()
  private readonly drivers = new Map<string, () => void>()
  /** In-app reactions to received messages (preset workers, servers); only sockets that have one pay for it. */
  private readonly receivers = new Map<string, (frames: Buffer[]) => void>()
  private readonly ring: CaptureRing
  private pendingTimeline: TimelineEntry[] = []
  private timelineId = 0
  private nextSocket = 1
  private lastDeliveredId = 0
  private skippedInBatches = 0
  private socketsDirty = false
  private timer: NodeJS.Timeout | undefined
  private zap: ZapHandler | undefined
  private state: { kind: 'running' } | { kind: 'closed' } = { kind: 'running' }
  private readonly batchIntervalMs: number
  private readonly instance = randomBytes(8).toString('hex')
  private readonly batchMaxEntries: number
  private readonly socketCap: SocketCap

  constructor(
    private readonly sink: EventSink,
    private readonly config: EngineConfig,
  ) {
    this.ring = new CaptureRing(config.ringBytes ?? DEFAULT_RING_BYTES, (socketId) => this.onEvict(socketId))
    this.batchIntervalMs = config.batchIntervalMs ?? 33
    this.batchMaxEntries = config.batchMaxEntries ?? 2000
    this.socketCap =
      config.maxSockets !== undefined
        ? { kind: 'configured', max: config.maxSockets }
        : deriveSocketCap(processFdLimit(), zmq.context.maxSockets)
  }

  info(): Omit<EngineInfo, 'shell'> {
    const draft = zmq.capability.draft === true
    return {
      instance: this.instance,
      appVersion: APP_VERSION,
      libzmqVersion: zmq.version,
      capabilities: Object.fromEntries(Object.entries(zmq.capability).map(([k, v]) => [k, v === true])),
      socketTypes: [...SOCKET_TYPES, ...(draft ? DRAFT_SOCKET_TYPES : [])],
      capture: this.captureStats(),
      host: this.config.host,
    }
  }

  list(): SocketSummary[] {
    return [...this.sockets.values()].map((s) => s.summary())
  }

  describe(socketId: string): SocketSummary {
    return this.socket(socketId).summary()
  }

  create(type: SocketType, name?: string, options: SocketOptions = {}): SocketSummary {
    this.assertRunning()
    // Refused here, before libzmq runs out of fds: past that point some of its calls abort the process.
    if (this.sockets.size >= this.socketCap.max) {
      throw new EngineError('LIMIT', socketLimitMessage(this.socketCap, this.sockets.size))
    }
    const id = `s${this.nextSocket++}`
    const socket = new ManagedSocket(
      id,
      name ?? `${type.toUpperCase()} ${id}`,
      type,
      options,
      this,
      this.config.sendTimeoutMs,
    )
    this.sockets.set(id, socket)
    if (options.plain?.role === 'server') {
      this.zap ??= new ZapHandler((domain, decision) => this.onZap(domain, decision))
      const users = new Map((options.plain.users ?? []).map((u) => [u.username, u.password]))
      this.zap
        .register(id, users)
        .catch((error: unknown) =>
          this.monitor(socket, { kind: 'auth:unavailable', error: `ZAP handler could not start: ${String(error)}` }),
        )
    }
    this.changed(socket)
    return socket.summary()
  }

  async close(socketId: string): Promise<null> {
    const socket = this.socket(socketId)
    this.drivers.get(socketId)?.()
    this.drivers.delete(socketId)
    this.receivers.delete(socketId)
    this.sockets.delete(socketId)
    this.zap?.unregister(socketId)
    await socket.close()
    this.socketsDirty = true
    this.schedule()
    return null
  }

  rename(socketId: string, name: string): SocketSummary {
    const socket = this.socket(socketId)
    socket.name = name
    this.changed(socket)
    return socket.summary()
  }

  async bind(socketId: string, endpoint: string): Promise<SocketSummary> {
    const socket = this.socket(socketId)
    await socket.bind(endpoint)
    return socket.summary()
  }

  async connect(socketId: string, endpoint: string): Promise<SocketSummary> {
    const socket = this.socket(socketId)
    await socket.connect(endpoint)
    return socket.summary()
  }

  async unbind(socketId: string, endpoint: string): Promise<SocketSummary> {
    const socket = this.socket(socketId)
    await socket.unbind(endpoint)
    return socket.summary()
  }

  disconnect(socketId: string, endpoint: string): SocketSummary {
    const socket = this.socket(socketId)
    socket.disconnect(endpoint)
    return socket.summary()
  }

  setOptions(socketId: string, options: SocketOptions): SocketSummary {
    const socket = this.socket(socketId)
    socket.setOptions(options)
    return socket.summary()
  }

  subscribe(socketId: string, prefix: FrameInput): SocketSummary {
    const socket = this.socket(socketId)
    socket.subscribe(encodeFrame(prefix))
    return socket.summary()
  }

  unsubscribe(socketId: string, prefix: FrameInput): SocketSummary {
    const socket = this.socket(socketId)
    socket.unsubscribe(encodeFrame(prefix))
    return socket.summary()
  }

  async send(socketId: string, frames: FrameInput[]): Promise<{ entryId: number }> {
    const socket = this.socket(socketId)
    const bytes = frames.map((frame, index) => encodeFrame(frame, index))
    return { entryId: await socket.send(bytes) }
  }

  /** For in-app drivers (presets): raw frames, no encoding step. */
  sendBytes(socketId: string, frames: Buffer[]): Promise<number> {
    return this.socket(socketId).send(frames)
  }

  query(beforeId: number | undefined, limit: number, socketId?: string): LogEntryView[] {
    return this.ring.query(beforeId, limit, socketId).map((entry) => toView(entry))
  }

  frames(entryId: number): FullFrames {
    const entry = this.ring.get(entryId)
    if (!entry)
      throw new EngineError(
        'UNKNOWN_ENTRY',
        `log entry ${entryId} is not in the capture ring (never captured, or evicted)`,
      )
    return { entryId, frames: entry.frames.map((frame) => frame.toString('base64')) }
  }

  clearLog(): null {
    this.ring.clear()
    this.lastDeliveredId = this.ring.lastId
    this.schedule()
    return null
  }

  /** Writes the capture (optionally one socket's) with full frames to a JSONL file; crash-safe. */
  async exportLog(socketId?: string): Promise<CaptureExport> {
    const entries = this.ring.snapshot(socketId)
    const names = new Map([...this.sockets.values()].map((s) => [s.id, s.name]))
    try {
      return await exportCapture(this.config.exportsDir ?? join(homedir(), '.zeroscope', 'exports'), entries, names)
    } finally {
      entries.release()
    }
  }

  configureCapture(maxBytes: number): CaptureStats {
    this.ring.resize(maxBytes)
    this.schedule()
    return this.captureStats()
  }

  curveKeypair(): { publicKey: string; secretKey: string } {
    if (!zmq.capability.curve) throw new EngineError('UNSUPPORTED', 'this libzmq build has no CURVE support')
    return zmq.curveKeyPair()
  }

  /** Calls `handler` with every message the socket receives until the socket closes. */
  onReceive(socketId: string, handler: (frames: Buffer[]) => void): void {
    this.socket(socketId)
    this.receivers.set(socketId, handler)
  }

  /** Ties a driver (a preset's timer or loop) to a socket so closing the socket stops it. */
  attachDriver(socketId: string, stop: () => void): void {
    this.drivers.get(socketId)?.()
    this.drivers.set(socketId, stop)
  }

  captureStats(): CaptureStats {
    return this.ring.stats(this.skippedInBatches)
  }

  async shutdown(): Promise<void> {
    if (this.state.kind === 'closed') return
    this.state = { kind: 'closed' }
    for (const stop of this.drivers.values()) stop()
    this.drivers.clear()
    this.receivers.clear()
    await Promise.all([...this.sockets.values()].map((s) => s.close()))
    this.sockets.clear()
    await this.zap?.close()
    this.zap = undefined
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  // SocketListener: called by managed sockets.

  message(socket: ManagedSocket, dir: 'in' | 'out', frames: Buffer[], peer: Buffer | undefined): number {
    let size = 0
    for (const frame of frames) size += frame.length
    countMessage(socket.counters, dir, size)
    if (peer) socket.peers.count(dir, peer, size)
    const id = this.ring.push(socket.id, dir, performance.now(), frames, size, peer)
    socket.countersChanged = true
    this.schedule()
    if (dir === 'in' && this.receivers.size > 0) this.receivers.get(socket.id)?.(frames)
    return id
  }

  monitor(socket: ManagedSocket, event: MonitorEvent): void {
    const mono = performance.now()
    if (this.pendingTimeline.length < MAX_TIMELINE_PER_BATCH) {
      this.pendingTimeline.push({
        id: ++this.timelineId,
        socketId: socket.id,
        mono,
        wall: performance.timeOrigin + mono,
        ...event,
      })
    }
    this.schedule()
  }

  changed(_socket: ManagedSocket): void {
    this.socketsDirty = true
    this.schedule()
  }

  private onZap(domain: string, decision: ZapDecision): void {
    const socket = this.sockets.get(domain)
    if (!socket) return
    this.monitor(socket, {
      kind: decision.accepted ? 'auth:accepted' : 'auth:refused',
      address: decision.address,
      error: `PLAIN user "${decision.username}"`,
    })
  }

  private onEvict(socketId: string): void {
    const socket = this.sockets.get(socketId)
    if (socket) {
      socket.counters.ringDrops++
      socket.countersChanged = true
    }
  }

  private schedule(): void {
    if (this.timer || this.state.kind === 'closed') return
    this.timer = setTimeout(() => this.flush(), this.batchIntervalMs)
    this.timer.unref()
  }

  private flush(): void {
    this.timer = undefined
    if (this.state.kind === 'closed') return
    if (this.socketsDirty) {
      this.socketsDirty = false
      this.sink.emit({ type: 'sockets', sockets: this.list() })
    }
    const { entries, skipped } = this.ring.since(this.lastDeliveredId, this.batchMaxEntries)
    this.lastDeliveredId = this.ring.lastId
    this.skippedInBatches += skipped
    const counters: SocketCounters[] = []
    for (const socket of this.sockets.values()) {
      if (!socket.countersChanged) continue
      socket.countersChanged = false
      counters.push(socket.countersView())
    }
    const timeline = this.pendingTimeline
    this.pendingTimeline = []
    if (entries.length === 0 && skipped === 0 && counters.length === 0 && timeline.length === 0) return
    this.sink.emit({
      type: 'batch',
      batch: { entries: entries.map((e) => toView(e)), skipped, timeline, counters, capture: this.captureStats() },
    })
  }

  private socket(socketId: string): ManagedSocket {
    this.assertRunning()
    const socket = this.sockets.get(socketId)
    if (!socket) throw new EngineError('UNKNOWN_SOCKET', `no socket with id ${socketId}`)
    return socket
  }

  private assertRunning(): void {
    if (this.state.kind === 'closed') throw new EngineError('NOT_ALLOWED', 'the engine has been shut down')
  }
}
