// The composer: a multipart message being written (frames with their encodings), where it goes, how often,
// and what was sent before.
import { Channel } from '../../contract/channels'
import type { FrameInput } from '../../contract/schemas'
import { frameProblem, type FrameEncoding } from '../../contract/frame-check'
import type { SocketSummary } from '../../contract/views'
import { messageSizeProblem } from '../lib/limits'
import { requireApi } from '../lib/api'

export interface DraftFrame {
  key: number
  enc: FrameEncoding
  data: string
}

export type Run =
  | { kind: 'idle' }
  | { kind: 'sending'; sent: number; total: number }
  | { kind: 'done'; sent: number }
  | { kind: 'failed'; sent: number; message: string }

export interface Sent {
  socketId: string
  socketName: string
  frames: DraftFrame[]
  peer: string
  at: number
}

/** How the message goes out: from which socket, to which ROUTER peer, how many times and how fast. */
export interface ComposerSettings {
  chosen: string | null
  /** ROUTER only: routing id (hex) prepended as the first frame; '' = the frames already carry it. */
  peer: string
  times: number
  rate: number
}

const HISTORY = 30

/** `{n}` becomes the message number (1, 2, …), `{ts}` the send time; in text and JSON frames. */
export function fillPlaceholders(frame: DraftFrame, n: number, now: Date): FrameInput {
  if (frame.enc !== 'text' && frame.enc !== 'json') return { enc: frame.enc, data: frame.data }
  return { enc: frame.enc, data: frame.data.replaceAll('{n}', String(n)).replaceAll('{ts}', now.toISOString()) }
}

class ComposerState {
  frames = $state<DraftFrame[]>([{ key: 1, enc: 'text', data: '' }])
  chosen = $state<string | null>(null)
  /** ROUTER only: routing id (hex) prepended as the first frame; '' = the frames already carry it. */
  peer = $state('')
  times = $state(1)
  rate = $state(10)
  run = $state.raw<Run>({ kind: 'idle' })
  history = $state.raw<Sent[]>([])
  private nextKey = 2
  private cancelled = false

  problems = $derived(this.frames.map((f) => frameProblem(f.enc, f.data)))
  /** The whole message against the contract's limit, said before sending rather than refused after. */
  sizeProblem = $derived(messageSizeProblem(this.frames))

  configure(patch: Partial<ComposerSettings>): void {
    if (patch.chosen !== undefined) this.chosen = patch.chosen
    if (patch.peer !== undefined) this.peer = patch.peer
    if (patch.times !== undefined) this.times = patch.times
    if (patch.rate !== undefined) this.rate = patch.rate
  }

  addFrame(): void {
    this.frames = [...this.frames, { key: this.nextKey++, enc: 'text', data: '' }]
  }

  removeFrame(key: number): void {
    if (this.frames.length > 1) this.frames = this.frames.filter((f) => f.key !== key)
  }

  moveFrame(key: number, step: -1 | 1): void {
    const index = this.frames.findIndex((f) => f.key === key)
    const target = index + step
    if (index < 0 || target < 0 || target >= this.frames.length) return
    const next = [...this.frames]
    ;[next[index], next[target]] = [next[target]!, next[index]!]
    this.frames = next
  }

  update(key: number, patch: Partial<Omit<DraftFrame, 'key'>>): void {
    this.frames = this.frames.map((f) => (f.key === key ? { ...f, ...patch } : f))
  }

  stop(): void {
    this.cancelled = true
  }

  load(sent: Sent): void {
    this.frames = sent.frames.map((f) => ({ ...f, key: this.nextKey++ }))
    this.chosen = sent.socketId
    this.peer = sent.peer
  }

  /**
   * Frames from elsewhere (a log row's full frames, a saved message) to edit and send. They already carry a
   * ROUTER's routing id if they had one, so no peer is added; `socketId` becomes the sender when given.
   */
  loadFrames(frames: readonly FrameInput[], socketId?: string): void {
    if (frames.length === 0) return
    this.frames = frames.map((f) => ({ key: this.nextKey++, enc: f.enc, data: f.data }))
    if (socketId !== undefined) this.chosen = socketId
    this.peer = ''
    this.run = { kind: 'idle' }
  }

  async send(target: SocketSummary): Promise<void> {
    // An emptied or nonsense field means "once" and "as fast as allowed", never "send nothing".
    const total = Number.isFinite(this.times) ? Math.max(1, Math.floor(this.times)) : 1
    const rate = Number.isFinite(this.rate) && this.rate > 0 ? this.rate : 10
    const interval = total > 1 ? 1000 / Math.max(0.1, rate) : 0
    const frames = this.frames.map((f) => ({ ...f }))
    const peer = target.type === 'router' ? this.peer : ''
    this.cancelled = false
    this.run = { kind: 'sending', sent: 0, total }
    this.history = [
      { socketId: target.id, socketName: target.name, frames, peer, at: Date.now() },
      ...this.history,
    ].slice(0, HISTORY)
    for (let n = 1; n <= total; n++) {
      if (this.cancelled) break
      const now = new Date()
      const wire = frames.map((f) => fillPlaceholders(f, n, now))
      const result = await requireApi().call(Channel.socketSend, {
        socketId: target.id,
        frames: peer ? [{ enc: 'hex', data: peer }, ...wire] : wire,
      })
      if (!result.ok) {
        this.run = { kind: 'failed', sent: n - 1, message: result.error.message }
        return
      }
      this.run = { kind: 'sending', sent: n, total }
      if (n < total && interval > 0) await new Promise((resolve) => setTimeout(resolve, interval))
    }
    this.run = { kind: 'done', sent: this.run.kind === 'sending' ? this.run.sent : 0 }
  }
}

export const composer = new ComposerState()
