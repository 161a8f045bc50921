// Replays: a recording's messages (all, or those a filter chooses) sent again from a socket of the engine,
// with their original spacing, at a multiple of it, or as fast as the socket takes them; once or in a loop.
import { performance } from 'node:perf_hooks'
import type { RecordingFilter, ReplayState, ReplaySummary, ReplayTiming } from '../../../contract/recordings'
import { EngineError } from '../errors'
import type { ReplayMessage } from './reader-protocol'
import type { RecordingSources } from './sources'

export interface ReplayTarget {
  send(socketId: string, frames: Buffer[]): Promise<unknown>
  onClose(socketId: string, closer: () => void): void
  changed(): void
}

export interface ReplayRequest {
  sourceId: string
  socketId: string
  timing: ReplayTiming
  loop?: boolean
  filter?: RecordingFilter
}

const BATCH = 500
/** Progress reaches the page at most this often while a replay runs. */
const PROGRESS_MS = 250

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

class Replay {
  state: ReplayState = { kind: 'running' }
  sent = 0
  total: number
  passes = 0
  private lastProgress = 0

  constructor(
    readonly id: string,
    private readonly request: ReplayRequest,
    private readonly sources: RecordingSources,
    private readonly target: ReplayTarget,
  ) {
    // With a filter, how many match is known once a pass has read the file; until then the whole file bounds it.
    this.total = sources.get(request.sourceId).messages
  }

  summary(): ReplaySummary {
    const { sourceId, socketId, timing, loop = false } = this.request
    return {
      id: this.id,
      sourceId,
      socketId,
      timing,
      loop,
      state: this.state,
      sent: this.sent,
      total: this.total,
      passes: this.passes,
    }
  }

  stop(): void {
    if (this.state.kind === 'running') this.state = { kind: 'stopped' }
  }

  async run(): Promise<void> {
    try {
      do {
        await this.pass()
        if (this.state.kind !== 'running') return
        this.passes++
        if (this.request.filter !== undefined) this.total = this.sent
      } while (this.request.loop === true && this.sent > 0)
      if (this.state.kind === 'running') this.state = { kind: 'done' }
    } catch (error) {
      if (this.state.kind === 'running') this.state = { kind: 'failed', message: (error as Error).message }
    } finally {
      this.target.changed()
    }
  }

  private async pass(): Promise<void> {
    const { sourceId, socketId, timing, filter } = this.request
    this.sent = 0
    let from = 0
    let base: { wall: number; offset: number } | undefined
    for (;;) {
      const batch = await this.sources.read(sourceId, { op: 'replay', from, limit: BATCH, filter })
      for (const message of batch.messages) {
        if (this.state.kind !== 'running') return
        base ??= { wall: performance.now(), offset: message.offsetMs }
        await this.waitFor(message, base, timing)
        if (this.state.kind !== 'running') return
        try {
          await this.target.send(
            socketId,
            message.frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength)),
          )
        } catch (error) {
          throw new Error(`replay stopped at message #${message.position + 1}: ${(error as Error).message}`, {
            cause: error,
          })
        }
        this.sent++
        this.progress()
      }
      if (batch.done) return
      from = batch.next
    }
  }

  private async waitFor(
    message: ReplayMessage,
    base: { wall: number; offset: number },
    timing: ReplayTiming,
  ): Promise<void> {
    if (timing.kind === 'fast') return
    const factor = timing.kind === 'speed' ? timing.factor : 1
    const due = base.wall + (message.offsetMs - base.offset) / factor
    // Waiting in slices keeps a stop prompt during a long gap in the recording.
    for (
      let wait = due - performance.now();
      wait > 0.5 && this.state.kind === 'running';
      wait = due - performance.now()
    ) {
      await sleep(Math.min(wait, 250))
    }
  }

  private progress(): void {
    const now = performance.now()
    if (now - this.lastProgress < PROGRESS_MS) return
    this.lastProgress = now
    this.target.changed()
  }
}

export class Replays {
  private readonly replays = new Map<string, Replay>()
  private nextId = 1

  constructor(
    private readonly sources: RecordingSources,
    private readonly target: ReplayTarget,
  ) {}

  start(request: ReplayRequest): ReplaySummary {
    const busy = [...this.replays.values()].find(
      (r) => r.state.kind === 'running' && r.summary().socketId === request.socketId,
    )
    if (busy !== undefined)
      throw new EngineError('NOT_ALLOWED', `${request.socketId} is already replaying (${busy.id}); stop it first`)
    const replay = new Replay(`rp${this.nextId++}`, request, this.sources, this.target)
    this.replays.set(replay.id, replay)
    this.target.onClose(request.socketId, () => replay.stop())
    void replay.run()
    this.target.changed()
    return replay.summary()
  }

  stop(replayId: string): ReplaySummary {
    const replay = this.replays.get(replayId)
    if (replay === undefined) throw new EngineError('UNKNOWN_RECORDING', `no replay with id ${replayId}`)
    replay.stop()
    this.target.changed()
    return replay.summary()
  }

  /** Replays of a closed recording stop with it. */
  stopFrom(sourceId: string): void {
    for (const r of this.replays.values()) if (r.summary().sourceId === sourceId) r.stop()
  }

  list(): ReplaySummary[] {
    return [...this.replays.values()].map((r) => r.summary())
  }

  stopAll(): void {
    for (const r of this.replays.values()) r.stop()
  }
}
