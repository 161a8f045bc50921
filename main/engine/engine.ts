// The engine: the registry of managed sockets and a facade of plain async methods over them, the capture ring
// and delivery to whichever host injected the sink. It knows nothing about IPC or WebSockets. Each socket
// counts its own traffic; per captured message the engine only stores it in the ring and schedules a batch.
import { randomBytes } from 'node:crypto'
import { homedir } from 'node:os'
import { join } from 'node:path'
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
  type FullFrames,
  type LogEntryView,
  type SocketSummary,
  type SocketType,
} from '../../contract/views'
import { APP_VERSION } from '../version'
import { CaptureRing, DEFAULT_RING_BYTES } from './capture'
import { toView } from './capture-entry'
import { encodeFrame } from './codec'
import { Delivery, type EventSink } from './delivery'
import { EngineError } from './errors'
import { CaptureExports, type ExportRequest } from './capture-exports'
import type { CapturedEntry } from './capture-entry'
import { exportFrames } from './export-frames'
import { deriveSocketCap, processFdLimit, socketLimitMessage, type SocketCap } from './fd-limit'
import { ManagedSocket, type ReceivedWatcher, type SocketDrive, type SocketListener } from './socket'
import { TapRegistry } from './tap-registry'
import { PlainServers } from './zap'
import { engineRecordings } from './record/engine-recordings'
import type { Recordings } from './record/recordings'
import { Replays } from './record/replay'
import { RecordingSources } from './record/sources'
import { engineWorkspaces } from './workspace/engine-workspaces'
import { EngineDecoders } from './decode/engine-decoders'
import { JupyterSessions } from './decode/jupyter-sessions'
import type { EntryDecode } from '../../contract/decoders'
import type { Workspaces } from './workspace/workspaces'

export type { EventSink } from './delivery'

import type { EngineConfig } from './engine-config'
export type { EngineConfig } from './engine-config'

export class Engine {
  private readonly sockets = new Map<string, ManagedSocket>()
  private readonly ring: CaptureRing
  private readonly delivery: Delivery
  private readonly plainServers: PlainServers
  private nextSocket = 1
  private state: { kind: 'running' } | { kind: 'closed' } = { kind: 'running' }
  private readonly instance = randomBytes(8).toString('hex')
  private readonly socketCap: SocketCap
  /** Capturing proxies between the user's processes; their side sockets live in `sockets` like any other. */
  readonly taps: TapRegistry
  /** Recordings beside the ring: the listener hands them what they keep, after the ring took it. */
  readonly recordings: Recordings
  /** Recordings opened as read-only log sources, and replays of them from the engine's sockets. */
  readonly sources: RecordingSources
  readonly replays: Replays
  readonly workspaces: Workspaces
  private readonly exports: CaptureExports
  /** Decoder rules, field filters, sequence rules and plots: decoding only where someone looks. */
  readonly decoders: EngineDecoders
  /** Jupyter kernels observed through their IOPub, or tapped on every channel. */
  readonly jupyter: JupyterSessions
  /** What the sockets call; private, so that nothing else can feed the ring or the timeline. */
  private readonly listener: SocketListener = {
    captured: (socket, dir, frames, size, peer) => {
      const mono = performance.now()
      const id = this.ring.push(socket.id, dir, mono, frames, size, peer)
      this.recordings.recorderOf(socket.id)?.captured(socket.id, dir, mono, frames, peer)
      if (this.decoders.active) this.decoders.captured(id, socket.id, frames, Date.now())
      if (this.jupyter.active) this.jupyter.captured(id, socket.id, frames)
      this.delivery.schedule()
      return id
    },
    ringDrops: (socket) => this.ring.dropsOf(socket.id),
    monitor: (socket, event) => {
      this.delivery.timeline(socket.id, event)
      this.recordings.event(socket.id, performance.now(), event)
    },
    changed: () => this.delivery.socketsChanged(),
  }

  constructor(
    private readonly sink: EventSink,
    private readonly config: EngineConfig,
  ) {
    this.ring = new CaptureRing(config.ringBytes ?? DEFAULT_RING_BYTES)
    this.taps = new TapRegistry(
      {
        createSocket: (type, name, options, drive) => this.open(type, name, options, drive),
        closeSocket: (socket) => this.closeSocket(socket),
        ringDrops: (socketId) => this.ring.dropsOf(socketId),
        schedule: () => this.delivery.schedule(),
      },
      config.tapHoldLimit,
    )
    this.delivery = new Delivery(sink, this.ring, this.sockets, this.taps, {
      intervalMs: config.batchIntervalMs ?? 33,
      maxEntries: config.batchMaxEntries ?? 2000,
    })
    this.recordings = engineRecordings({
      host: config.host,
      folder: config.recordingsDir,
      minFreeBytes: config.recordingMinFreeBytes,
      sockets: this.sockets,
      taps: this.taps,
      changed: () => this.emitWhileRunning({ type: 'recordings', recordings: this.recordings.list() }),
    })
    this.sources = new RecordingSources(config.recordingReadTimeoutMs)
    this.replays = new Replays(this.sources, {
      send: (socketId, frames) => this.sendBytes(socketId, frames),
      onClose: (socketId, closer) => this.onClose(socketId, closer),
      changed: () => this.emitWhileRunning({ type: 'replays', replays: this.replays.list() }),
    })
    this.exports = new CaptureExports(this.ring, this.sources, this.exportsDir, (event) => this.emitWhileRunning(event))
    this.decoders = new EngineDecoders({
      entry: (entryId) => this.ring.get(entryId),
      tapOf: (socketId) => this.taps.ownerOf(socketId)?.id,
      socketName: (socketId) => this.sockets.get(socketId)?.name ?? socketId,
      emit: (event) => this.emitWhileRunning(event),
      timeline: (socketId, event) => this.delivery.timeline(socketId, event),
    })
    this.jupyter = new JupyterSessions({
      create: (type, name) => this.create(type, name),
      subscribeAll: (socketId) => this.subscribeBytes(socketId, Buffer.alloc(0)),
      connect: (socketId, endpoint) => this.connect(socketId, endpoint),
      close: (socketId) => this.close(socketId),
      createTap: (request) => this.taps.create(request),
      closeTap: (tapId) => this.taps.close(tapId),
      folder: config.jupyterDir ?? join(homedir(), '.zeroscope', 'jupyter'),
      emit: (event) => this.emitWhileRunning(event),
    })
    this.workspaces = engineWorkspaces(this, this.sockets, config.workspacesDir, (change) =>
      this.emitWhileRunning({ type: 'workspace', change }),
    )
    this.plainServers = new PlainServers((socketId, event) => {
      if (this.sockets.has(socketId)) this.delivery.timeline(socketId, event)
    })
    this.socketCap =
      config.maxSockets !== undefined
        ? { kind: 'configured', max: config.maxSockets }
        : deriveSocketCap(processFdLimit(), zmq.context.maxSockets)
  }

  /** Events of the engine's own parts (recordings, replays, exports); none once shutdown begins. */
  private emitWhileRunning(event: EngineEvent): void {
    if (this.state.kind === 'running') this.sink.emit(event)
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
    return this.open(type, name, options, { kind: 'own' }).summary()
  }

  private open(type: SocketType, name: string | undefined, options: SocketOptions, drive: SocketDrive): ManagedSocket {
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
      this.listener,
      this.config.sendTimeoutMs,
      drive,
    )
    this.sockets.set(id, socket)
    if (options.plain?.role === 'server') this.plainServers.add(id, options.plain.users ?? [])
    this.delivery.socketsChanged()
    return socket
  }

  async close(socketId: string): Promise<null> {
    const socket = this.socket(socketId)
    const tap = this.taps.ownerOf(socketId)
    if (tap !== undefined) {
      throw new EngineError(
        'NOT_ALLOWED',
        `${socket.name} is a side of tap ${tap.id}; close the tap to close both sides`,
      )
    }
    await this.closeSocket(socket)
    return null
  }

  private async closeSocket(socket: ManagedSocket): Promise<void> {
    const socketId = socket.id
    this.sockets.delete(socketId)
    this.plainServers.remove(socketId)
    // Closing stops what was tied to the socket (onClose) before libzmq's socket goes; the socket reports the
    // change itself (listener.changed), after it left the registry.
    await socket.close()
  }

  rename(socketId: string, name: string): SocketSummary {
    const socket = this.socket(socketId)
    socket.name = name
    this.delivery.socketsChanged()
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

  /** A subscription given as bytes (a workspace's, saved as hex). */
  subscribeBytes(socketId: string, prefix: Buffer): SocketSummary {
    const socket = this.socket(socketId)
    socket.subscribe(prefix)
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

  /** Raw frames, no encoding step: for callers in this process (presets, tests). */
  sendBytes(socketId: string, frames: Buffer[]): Promise<number> {
    return this.socket(socketId).send(frames)
  }

  query(beforeId: number | undefined, limit: number, socketId?: string): LogEntryView[] {
    return this.ring.query(beforeId, limit, socketId).map((entry) => toView(entry))
  }

  frames(entryId: number): FullFrames {
    return { entryId, frames: this.entry(entryId).frames.map((frame) => frame.toString('base64')) }
  }

  /** The decoder rules' reading of a live message, or of an opened recording's (read from its file). */
  async decodeEntry(
    at: { entryId: number } | { sourceId: string; position: number; socketId?: string },
  ): Promise<EntryDecode> {
    if ('entryId' in at) {
      const entry = this.entry(at.entryId)
      const decoded = this.decoders.decodeEntry(entry.id, entry.socketId, entry.frames)
      const jupyter = this.jupyter.decode(entry.socketId, entry.frames)
      return jupyter === undefined ? decoded : { ...decoded, jupyter }
    }
    const full = await this.sources.read(at.sourceId, { op: 'frames', position: at.position })
    const frames = full.frames.map((b64) => Buffer.from(b64, 'base64'))
    return this.decoders.decodeEntry(full.entryId, at.socketId ?? '', frames)
  }

  private entry(entryId: number): CapturedEntry {
    const entry = this.ring.get(entryId)
    if (!entry) {
      throw new EngineError(
        'UNKNOWN_ENTRY',
        `log entry ${entryId} is not in the capture ring (never captured, or evicted)`,
      )
    }
    return entry
  }

  private get exportsDir(): string {
    return this.config.exportsDir ?? join(homedir(), '.zeroscope', 'exports')
  }

  clearLog(): null {
    this.ring.clear()
    this.delivery.cleared()
    return null
  }

  /** Writes the capture (all, one socket's, or what a filter shows) with full frames as NDJSON or CSV; crash-safe. */
  exportLog(request: ExportRequest = {}): Promise<CaptureExport> {
    return this.exports.run(request, new Map([...this.sockets.values()].map((s) => [s.id, s.name])))
  }

  cancelExport(exportId: string): null {
    return this.exports.cancel(exportId)
  }

  /** One captured message's frames, each to a file of its own. */
  exportFrames(entryId: number): Promise<{ folder: string; paths: string[] }> {
    return exportFrames(this.exportsDir, this.entry(entryId))
  }

  configureCapture(maxBytes: number): CaptureStats {
    this.ring.resize(maxBytes)
    this.delivery.schedule()
    return this.captureStats()
  }

  curveKeypair(): { publicKey: string; secretKey: string } {
    if (!zmq.capability.curve) throw new EngineError('UNSUPPORTED', 'this libzmq build has no CURVE support')
    return zmq.curveKeyPair()
  }

  /**
   * Calls `watcher` with every message the socket receives, until the returned function is called or the
   * socket closes. Kept on the socket: sockets nobody watches pay nothing for it.
   */
  onReceive(socketId: string, watcher: ReceivedWatcher): () => void {
    return this.socket(socketId).watchReceived(watcher)
  }

  /** Calls `closer` when the socket closes (or the engine shuts down): ties a driver's lifetime to a socket. */
  onClose(socketId: string, closer: () => void): void {
    this.socket(socketId).onClose(closer)
  }

  captureStats(): CaptureStats {
    return this.delivery.captureStats()
  }

  async shutdown(): Promise<void> {
    if (this.state.kind === 'closed') return
    this.state = { kind: 'closed' }
    // Nothing is delivered once shutdown begins, not even the closing sockets' last changes.
    this.delivery.close()
    this.decoders.close()
    // Before the sockets go: what they captured is written and the files closed whole.
    this.replays.stopAll()
    await Promise.all([this.recordings.closeAll(), this.sources.closeAll(), this.jupyter.closeAll()])
    await this.taps.closeAll()
    await Promise.all([...this.sockets.values()].map((s) => s.close()))
    this.sockets.clear()
    await this.plainServers.close()
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
