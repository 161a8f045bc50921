// Jupyter kernels the engine follows: sessions opened from a connection file (its IOPub observed, or every
// channel tapped), and each session's threads (a request and what answered it), asked again on the `jupyter`
// event at most once a second while the panel is open.
import { Channel } from '../../contract/channels'
import type { JupyterMode, JupyterSession, JupyterThreads } from '../../contract/jupyter'
import { requireApi } from '../lib/api'

/** The connection-file input's last choice, as shown beside it. */
export type JupyterOpening =
  | { kind: 'idle' }
  | { kind: 'opening'; name: string }
  | { kind: 'opened'; name: string; sessionId: string }
  | { kind: 'failed'; name: string; message: string }

export type ThreadsView =
  { kind: 'loading' } | { kind: 'loaded'; threads: JupyterThreads } | { kind: 'failed'; message: string }

/** A session the engine would not close, shown beside it. */
export type JupyterClosing = { kind: 'none' } | { kind: 'failed'; sessionId: string; message: string }

/** Threads are asked again at most this often, however often the counts change. */
const REFRESH_MS = 1000
/** A connection file is a few hundred bytes; the engine refuses more than 64 KiB. */
const MAX_FILE_BYTES = 64 * 1024

class JupyterState {
  /** The Jupyter panel is open. */
  shown = $state(false)
  mode = $state<JupyterMode>('observe')
  sessions = $state.raw<JupyterSession[]>([])
  opening = $state.raw<JupyterOpening>({ kind: 'idle' })
  closing = $state.raw<JupyterClosing>({ kind: 'none' })
  threads = $state.raw<Record<string, ThreadsView>>({})
  private lastRefresh = 0
  private timer: ReturnType<typeof setTimeout> | undefined

  /** jupyter:list's answer at (re)connect, and every `jupyter` event. */
  replace(sessions: JupyterSession[]): void {
    this.sessions = sessions
    const kept: Record<string, ThreadsView> = {}
    for (const s of sessions) if (this.threads[s.sessionId]) kept[s.sessionId] = this.threads[s.sessionId]!
    this.threads = kept
    if (this.shown) this.scheduleRefresh()
  }

  show(shown: boolean): void {
    this.shown = shown
    if (shown) void this.refresh()
  }

  choose(mode: JupyterMode): void {
    this.mode = mode
  }

  /** Reads the chosen file and has the engine open it; what is wrong with the file shows beside the input. */
  async open(file: File): Promise<void> {
    const name = file.name
    if (file.size > MAX_FILE_BYTES) {
      this.opening = { kind: 'failed', name, message: `${name} is ${file.size} bytes: not a kernel connection file` }
      return
    }
    this.opening = { kind: 'opening', name }
    let content: string
    try {
      content = await file.text()
    } catch (error) {
      this.opening = { kind: 'failed', name, message: `could not read ${name}: ${String(error)}` }
      return
    }
    const result = await requireApi().call(Channel.jupyterOpen, { name, content, mode: this.mode })
    if (!result.ok) {
      this.opening = { kind: 'failed', name, message: result.error.message }
      return
    }
    this.opening = { kind: 'opened', name, sessionId: result.value.sessionId }
    // The `jupyter` event follows; the session is listed at once all the same.
    if (!this.sessions.some((s) => s.sessionId === result.value.sessionId)) {
      this.replace([...this.sessions, result.value])
    }
  }

  async close(sessionId: string): Promise<void> {
    this.closing = { kind: 'none' }
    const result = await requireApi().call(Channel.jupyterClose, { sessionId })
    if (!result.ok) this.closing = { kind: 'failed', sessionId, message: result.error.message }
    else this.replace(this.sessions.filter((s) => s.sessionId !== sessionId))
  }

  /** Every session's threads now (the Refresh button, opening the panel). */
  async refresh(): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    this.lastRefresh = Date.now()
    await Promise.all(this.sessions.map((s) => this.loadThreads(s.sessionId)))
  }

  private scheduleRefresh(): void {
    if (this.timer !== undefined) return
    const wait = Math.max(0, this.lastRefresh + REFRESH_MS - Date.now())
    this.timer = setTimeout(() => {
      this.timer = undefined
      if (this.shown) void this.refresh()
    }, wait)
  }

  private async loadThreads(sessionId: string): Promise<void> {
    if (!this.threads[sessionId]) this.threads = { ...this.threads, [sessionId]: { kind: 'loading' } }
    const result = await requireApi().call(Channel.jupyterThreads, { sessionId })
    // Closed meanwhile: nothing to show it in.
    if (!this.sessions.some((s) => s.sessionId === sessionId)) return
    const view: ThreadsView = result.ok
      ? { kind: 'loaded', threads: result.value }
      : { kind: 'failed', message: result.error.message }
    this.threads = { ...this.threads, [sessionId]: view }
  }
}

export const jupyter = new JupyterState()

/** Whether the selected message may be a Jupyter one: the engine is asked for its decode even without rules. */
export function jupyterDecodes(): boolean {
  return jupyter.sessions.length > 0
}
