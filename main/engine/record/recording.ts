// One recording in progress: which sockets it keeps, their MCAP channels, the staging of captured messages and
// the writer thread that owns the file. Beside capture, never instead: the ring is fed first, then this.
import { dirname } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Worker } from 'node:worker_threads'
import {
  EVENTS_TOPIC,
  MULTIPART_ENCODING,
  RECORDING_FLUSH_MS,
  RECORDING_PROFILE,
  type RecordingScope,
  type RecordingState,
  type RecordingSummary,
  type RotationPolicy,
} from '../../../contract/recordings'
import type { Direction } from '../../../contract/views'
import type { MonitorEvent } from '../events'
import { Staging, type StagedBatch } from './staging'
import { startWorker } from './workers'
import { fromFs } from '../fs-errors'
import { rotatedName, type ChannelSpec, type FileStart, type FromWriter, type ToWriter } from './writer-protocol'

export { rotatedName } from './writer-protocol'

/** What the recording asks of the engine: who a socket is, and what the setup looks like now. */
export interface RecordingHost {
  channelMetadata(socketId: string, dir: Direction): [string, string][]
  topology(): { name: string; entries: [string, string][] }[]
  freeBytes(folder: string): Promise<number | undefined>
  changed(): void
}

export interface RecordingSettings {
  id: string
  path: string
  scope: RecordingScope
  /** Socket ids of a chosen scope, taps' sides included; undefined records every socket. */
  sockets: ReadonlySet<string> | undefined
  rotation: RotationPolicy
  /** Recording stops (the file closed whole) when the folder's disk has less than this free. */
  minFreeBytes: number
  library: string
}

/** Staged messages the writer has not written yet may take this much memory; beyond it messages are counted. */
const MAX_BACKLOG_BYTES = 256 * 1024 * 1024
const EVENTS_CHANNEL = 1
/** Staged messages are handed over at least this often (or when a batch buffer is full). */
const HAND_OVER_MS = 50

export class Recording {
  private readonly worker: Worker
  private readonly staging: Staging
  private readonly channels = new Map<string, number>()
  private nextChannel = EVENTS_CHANNEL + 1
  private lastSocket = ''
  private lastDir: Direction = 'in'
  private lastChannel = 0
  private state: RecordingState = { kind: 'recording' }
  private messages = 0
  private events = 0
  private written = 0
  private notRecorded = 0
  private readonly files: string[] = []
  private finishedBytes = 0
  private fileBytes = 0
  private fileStartedMono = performance.now()
  private readonly startedWall = Date.now()
  /** Batches handed over and not yet written: [messages handed over up to and with it, its bytes]. */
  private readonly backlog: [number, number][] = []
  private backlogBytes = 0
  private handedOver = 0
  private handOverTimer: NodeJS.Timeout | undefined
  private readonly tick: NodeJS.Timeout
  private readonly finished: Promise<void>
  private settle!: () => void
  private rotating = false

  private constructor(
    private readonly settings: RecordingSettings,
    private readonly host: RecordingHost,
    opened: (error?: Error) => void,
  ) {
    this.finished = new Promise((resolve) => (this.settle = resolve))
    this.staging = new Staging((batch) => this.handOver(batch))
    this.worker = startWorker('record-writer')
    let first = true
    this.worker.on('message', (message: FromWriter) => {
      if (first) {
        first = false
        opened(message.type === 'failed' ? systemError(message) : undefined)
      }
      this.onWriter(message)
    })
    this.worker.on('error', (error) => {
      if (first) opened(error)
      first = false
      this.fail('write-error', `the recording's writer stopped: ${error.message}`)
    })
    this.files.push(settings.path)
    this.post({
      type: 'open',
      file: this.fileStart(settings.path, 1),
      chunkBytes: 1024 * 1024,
      compression: 'zstd',
      flushMs: RECORDING_FLUSH_MS,
      ...(settings.rotation.maxBytes !== undefined ? { maxBytes: settings.rotation.maxBytes } : {}),
    })
    this.post({
      type: 'channel',
      channel: { id: EVENTS_CHANNEL, topic: EVENTS_TOPIC, messageEncoding: 'json', metadata: [] },
    })
    this.tick = setInterval(() => void this.everySecond(), 1000)
  }

  /** Starts writing; resolves once the file exists with its header, rejects with why it could not be made. */
  static async start(settings: RecordingSettings, host: RecordingHost): Promise<Recording> {
    let recording: Recording | undefined
    await new Promise<void>((resolve, reject) => {
      recording = new Recording(settings, host, (error) => (error ? reject(error) : resolve()))
    }).catch(async (error: unknown) => {
      await recording?.shutdownWorker()
      throw error
    })
    return recording!
  }

  get id(): string {
    return this.settings.id
  }

  get active(): boolean {
    return this.state.kind === 'recording'
  }

  records(socketId: string): boolean {
    return (
      this.state.kind === 'recording' && (this.settings.sockets === undefined || this.settings.sockets.has(socketId))
    )
  }

  captured(
    socketId: string,
    dir: Direction,
    mono: number,
    frames: readonly Uint8Array[],
    peer: Uint8Array | undefined,
  ): void {
    if (this.backlogBytes > MAX_BACKLOG_BYTES) {
      this.notRecorded++
      return
    }
    this.messages++
    this.staging.message(this.channelOf(socketId, dir), mono, frames, peer)
    this.scheduleHandOver()
  }

  event(socketId: string, mono: number, event: MonitorEvent): void {
    this.events++
    this.staging.bytes(EVENTS_CHANNEL, mono, Buffer.from(JSON.stringify({ socketId, ...event })))
    this.scheduleHandOver()
  }

  summary(): RecordingSummary {
    return {
      id: this.settings.id,
      scope: this.settings.scope,
      state: this.state,
      path: this.files[this.files.length - 1]!,
      files: [...this.files],
      startedWall: this.startedWall,
      messages: this.messages,
      written: this.written,
      events: this.events,
      bytes: this.finishedBytes + this.fileBytes,
      notRecorded: this.notRecorded,
      rotation: this.settings.rotation,
    }
  }

  /** Writes what is staged, closes the file whole (summary, indexes) and ends the writer thread. */
  async stop(reason: 'user' | 'shutdown'): Promise<RecordingSummary> {
    if (this.state.kind === 'recording') {
      this.state = { kind: 'stopped', reason }
      this.finishUp()
    }
    await this.finished
    return this.summary()
  }

  private finishUp(): void {
    clearInterval(this.tick)
    clearTimeout(this.handOverTimer)
    const batch = this.staging.take()
    if (batch !== undefined) this.handOver(batch)
    this.post({ type: 'close' })
  }

  private channelOf(socketId: string, dir: Direction): number {
    // Captures come in runs from one socket: the last channel answers without building its key.
    if (socketId === this.lastSocket && dir === this.lastDir) return this.lastChannel
    const key = `${socketId}/${dir}`
    let id = this.channels.get(key)
    if (id === undefined) {
      id = this.nextChannel++
      this.channels.set(key, id)
      // Posted before the batch holding its first message: the worker sees messages in order.
      const batch = this.staging.take()
      if (batch !== undefined) this.handOver(batch)
      const channel: ChannelSpec = {
        id,
        topic: key,
        messageEncoding: MULTIPART_ENCODING,
        metadata: this.host.channelMetadata(socketId, dir),
      }
      this.post({ type: 'channel', channel })
    }
    this.lastSocket = socketId
    this.lastDir = dir
    this.lastChannel = id
    return id
  }

  private scheduleHandOver(): void {
    this.handOverTimer ??= setTimeout(() => {
      this.handOverTimer = undefined
      const batch = this.staging.take()
      if (batch !== undefined) this.handOver(batch)
    }, HAND_OVER_MS)
  }

  private handOver(batch: StagedBatch): void {
    this.handedOver += batch.messages
    this.backlog.push([this.handedOver, batch.length])
    this.backlogBytes += batch.length
    this.worker.postMessage({ type: 'batch', ...batch } satisfies ToWriter, [batch.buffer])
  }

  private onWriter(message: FromWriter): void {
    if (message.type === 'spare') return this.staging.recycle(message.buffer)
    this.written = message.written
    // Events are staged like messages; what the backlog counts is everything handed over.
    while (this.backlog.length > 0 && this.backlog[0]![0] <= message.written)
      this.backlogBytes -= this.backlog.shift()![1]
    if (message.type === 'progress') {
      if (message.path !== this.files[this.files.length - 1]) return
      this.fileBytes = message.fileBytes
    } else if (message.type === 'rotated') {
      // The writer moved on: past the size limit on its own, or when the time limit asked it to.
      this.finishedBytes += message.previousBytes
      this.fileBytes = 0
      this.files.push(message.path)
      this.fileStartedMono = performance.now()
      this.rotating = false
    } else if (message.type === 'closed') {
      this.fileBytes = message.fileBytes
      void this.shutdownWorker().then(() => this.settle())
    } else {
      const path = this.files[this.files.length - 1]!
      const why = fromFs(`recording stopped: cannot write ${path}`, systemError(message), 'record to another folder')
      const text = why instanceof Error ? why.message : `recording stopped: ${message.message} (writing ${path})`
      this.fail(
        'write-error',
        `${text}. ${message.whole ? 'The file holds everything written before and is whole' : 'What was written before opens (recovered up to its last whole chunk)'}`,
      )
      void this.shutdownWorker().then(() => this.settle())
    }
    this.host.changed()
  }

  /** The time limit: the writer closes this file and goes on in the next (unless its size limit just did). */
  private rotate(): void {
    if (this.rotating) return
    this.rotating = true
    const index = this.files.length + 1
    const batch = this.staging.take()
    if (batch !== undefined) this.handOver(batch)
    this.post({ type: 'rotate', file: this.fileStart(rotatedName(this.settings.path, index), index) })
  }

  private async everySecond(): Promise<void> {
    if (this.state.kind !== 'recording') return
    const seconds = this.settings.rotation.maxSeconds
    if (seconds !== undefined && performance.now() - this.fileStartedMono >= seconds * 1000) this.rotate()
    const folder = dirname(this.files[this.files.length - 1]!)
    const free = await this.host.freeBytes(folder)
    if (free !== undefined && free < this.settings.minFreeBytes && this.state.kind === 'recording') {
      const mib = (n: number): string => `${Math.floor(n / (1024 * 1024))} MiB`
      this.fail(
        'disk-space',
        `recording stopped before the disk filled: ${mib(free)} free on the disk of ${folder} (it stops below ` +
          `${mib(this.settings.minFreeBytes)}); the file is whole — free some space, or record to another folder`,
      )
      this.finishUp()
    }
    this.host.changed()
  }

  private fail(reason: 'disk-space' | 'write-error', message: string): void {
    if (this.state.kind === 'failed') return
    this.state = { kind: 'failed', reason, message }
    clearInterval(this.tick)
    clearTimeout(this.handOverTimer)
  }

  private fileStart(path: string, index: number): FileStart {
    return {
      path,
      index,
      profile: RECORDING_PROFILE,
      library: this.settings.library,
      metadata: this.host.topology(),
      originNs: String(BigInt(Math.round(performance.timeOrigin * 1e3)) * 1000n),
    }
  }

  private post(message: ToWriter): void {
    this.worker.postMessage(message)
  }

  private async shutdownWorker(): Promise<void> {
    clearInterval(this.tick)
    clearTimeout(this.handOverTimer)
    await this.worker.terminate()
  }
}

/** A writer's failure as the Node error it was, so that its code names the file-system problem. */
function systemError(message: { message: string; code?: string; syscall?: string }): Error {
  return Object.assign(new Error(message.message), { code: message.code, syscall: message.syscall })
}
