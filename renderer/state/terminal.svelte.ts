// The terminal pane: shell tabs (a pty in the main process) and inspector-console tabs (in this page), the
// pane's open state and height (remembered by the host's settings), and routing of pty output to the tab that owns it.
import { Channel } from '../../contract/channels'
import type { LogEntryView, TerminalExit, TerminalOutput, TerminalView } from '../../contract/views'
import { ConsoleSession } from '../console/console-session'
import { requireApi } from '../lib/api'
import { createSocket } from './socket-actions'
import { sockets } from './sockets.svelte'
import { taps } from './taps.svelte'
import { settings } from './settings.svelte'
import {
  DEFAULT_TERMINAL_HEIGHT,
  LAYOUT_KEYS,
  layoutFlag,
  layoutNumber,
  MIN_TERMINAL_HEIGHT,
  type LayoutValues,
} from '../lib/workspace-layout'

export interface TabIO {
  /** The view hands over its writer when mounted; returns a detach function. */
  attach(write: (data: string) => void): () => void
  input(data: string): void
  resize(cols: number, rows: number): void
}

export type TabState =
  | { kind: 'starting' }
  | { kind: 'running' }
  | { kind: 'exited'; exitCode: number }
  | { kind: 'failed'; message: string }

/**
 * Whether the tab has shown anything yet. A login shell prints nothing until its profile has run, which can take
 * seconds: until then the pane says what it waits for instead of showing a blank screen.
 */
export type Heard = { kind: 'nothing'; since: number } | { kind: 'output' }

export interface TerminalTab {
  key: string
  kind: 'shell' | 'console'
  title: string
  state: TabState
  heard: Heard
  io: TabIO
}

const MAX_BUFFERED = 1024 * 1024

class ShellIO implements TabIO {
  terminalId: string | undefined
  private buffer = ''
  private writer: ((data: string) => void) | undefined
  private opening: Promise<void> | undefined
  private heard = false
  /** Closed by the user; a pty still opening then is closed as soon as the host has it. */
  private closed = false

  constructor(
    private readonly onState: (state: TabState) => void,
    private readonly onHeard: () => void,
    existing?: string,
  ) {
    this.terminalId = existing
    this.heard = existing !== undefined
  }

  attach(write: (data: string) => void): () => void {
    this.writer = write
    if (this.buffer) write(this.buffer)
    this.buffer = ''
    return () => (this.writer = undefined)
  }

  output(data: string): void {
    if (data === '') return
    if (!this.heard) {
      this.heard = true
      this.onHeard()
    }
    if (this.writer) this.writer(data)
    else this.buffer = (this.buffer + data).slice(-MAX_BUFFERED)
  }

  private typedEarly = ''

  input(data: string): void {
    // Keys typed while the pty is still starting are kept and sent once it runs.
    if (this.terminalId) void requireApi().call(Channel.terminalWrite, { terminalId: this.terminalId, data })
    else this.typedEarly += data
  }

  resize(cols: number, rows: number): void {
    // The pty is started at the view's first measured size, so the shell never sees a wrong one.
    if (!this.terminalId) {
      this.opening ??= this.open(cols, rows)
      return
    }
    void requireApi().call(Channel.terminalResize, { terminalId: this.terminalId, cols, rows })
  }

  close(): void {
    this.closed = true
    if (this.terminalId) void requireApi().call(Channel.terminalClose, { terminalId: this.terminalId })
  }

  private async open(cols: number, rows: number): Promise<void> {
    const opened = await requireApi().call(Channel.terminalOpen, { cols, rows })
    if (this.closed) {
      // The tab went away while the host started the shell: nobody would ever see or close it.
      if (opened.ok) void requireApi().call(Channel.terminalClose, { terminalId: opened.value.id })
      return
    }
    if (!opened.ok) {
      this.output(`\x1b[31m${opened.error.message}\x1b[0m\r\n`)
      this.onState({ kind: 'failed', message: opened.error.message })
      return
    }
    this.terminalId = opened.value.id
    this.onState({ kind: 'running' })
    if (this.typedEarly) this.input(this.typedEarly)
    this.typedEarly = ''
  }
}

class ConsoleIO implements TabIO {
  constructor(readonly session: ConsoleSession) {}
  attach(write: (data: string) => void): () => void {
    return this.session.attach(write)
  }
  input(data: string): void {
    this.session.input(data)
  }
  resize(): void {}
}

class TerminalState {
  open = $state(false)
  height = $state(DEFAULT_TERMINAL_HEIGHT)
  tabs = $state.raw<TerminalTab[]>([])
  active = $state<string | null>(null)
  private counter = 0

  remember(): void {
    settings.remember(this.layoutValues())
  }

  /** The pane's open state and height from the host's settings or a workspace; what is not there stays. */
  applyLayout(values: LayoutValues): void {
    this.open = layoutFlag(values, LAYOUT_KEYS.terminalOpen) ?? this.open
    this.height = layoutNumber(values, LAYOUT_KEYS.terminalHeight, MIN_TERMINAL_HEIGHT, 4000) ?? this.height
  }

  layoutValues(): LayoutValues {
    return { [LAYOUT_KEYS.terminalOpen]: this.open, [LAYOUT_KEYS.terminalHeight]: this.height }
  }

  private setState(key: string, state: TabState): void {
    this.tabs = this.tabs.map((t) => (t.key === key ? { ...t, state } : t))
  }

  private setHeard(key: string): void {
    this.tabs = this.tabs.map((t) => (t.key === key ? { ...t, heard: { kind: 'output' } } : t))
  }

  private add(tab: TerminalTab): void {
    this.tabs = [...this.tabs, tab]
    this.active = tab.key
    this.open = true
    this.remember()
  }

  newShell(): void {
    const key = `tab${++this.counter}`
    const io = new ShellIO(
      (state) => this.setState(key, state),
      () => this.setHeard(key),
    )
    this.add({
      key,
      kind: 'shell',
      title: `shell ${this.counter}`,
      state: { kind: 'starting' },
      heard: { kind: 'nothing', since: Date.now() },
      io,
    })
  }

  /**
   * Shells still running in the host after a reload (or opened by another window) become tabs again. After a
   * reconnect, a tab whose shell the host no longer lists (it restarted, or the exit came while the link was down)
   * says so instead of looking alive.
   */
  adopt(views: TerminalView[]): void {
    for (const tab of this.tabs) {
      if (!(tab.io instanceof ShellIO) || !tab.io.terminalId || tab.state.kind !== 'running') continue
      const id = tab.io.terminalId
      const view = views.find((v) => v.id === id)
      if (view?.state.kind === 'exited')
        this.exited({ terminalId: id, exitCode: view.state.exitCode, signal: view.state.signal })
      else if (!view) {
        tab.io.output('\r\n\x1b[2m[this shell is gone: the host restarted]\x1b[0m\r\n')
        this.setState(tab.key, { kind: 'failed', message: 'this shell is gone (the host restarted)' })
      }
    }
    for (const view of views) {
      if (
        view.state.kind !== 'running' ||
        this.tabs.some((t) => t.io instanceof ShellIO && t.io.terminalId === view.id)
      )
        continue
      const key = `tab${++this.counter}`
      const io = new ShellIO(
        (state) => this.setState(key, state),
        () => this.setHeard(key),
        view.id,
      )
      // A shell adopted after a reload has been running (and talking) for a while: no notice for it.
      const tab: TerminalTab = {
        key,
        kind: 'shell',
        title: `shell ${this.counter}`,
        state: { kind: 'running' },
        heard: { kind: 'output' },
        io,
      }
      this.tabs = [...this.tabs, tab]
      this.active ??= key
    }
  }

  newConsole(): void {
    const key = `tab${++this.counter}`
    const session = new ConsoleSession({
      api: requireApi(),
      sockets: () => sockets.list,
      taps: () => taps.list,
      currentTap: () => taps.current,
      createSocket,
    })
    this.add({
      key,
      kind: 'console',
      title: `console ${this.counter}`,
      state: { kind: 'running' },
      heard: { kind: 'output' },
      io: new ConsoleIO(session),
    })
  }

  close(key: string): void {
    const tab = this.tabs.find((t) => t.key === key)
    if (!tab) return
    if (tab.io instanceof ShellIO) tab.io.close()
    const index = this.tabs.indexOf(tab)
    this.tabs = this.tabs.filter((t) => t !== tab)
    if (this.active === key) this.active = (this.tabs[index] ?? this.tabs[index - 1])?.key ?? null
  }

  toggle(): void {
    this.open = !this.open
    if (this.open && this.tabs.length === 0) this.newShell()
    this.remember()
  }

  cycle(step: number): void {
    if (this.tabs.length === 0) return
    const index = this.tabs.findIndex((t) => t.key === this.active)
    this.active = this.tabs[(index + step + this.tabs.length) % this.tabs.length]!.key
  }

  resizeBy(delta: number): void {
    this.height = Math.max(MIN_TERMINAL_HEIGHT, Math.min(window.innerHeight - 160, this.height + delta))
    this.remember()
  }

  deliver(chunks: TerminalOutput[]): void {
    for (const chunk of chunks) {
      const tab = this.tabs.find((t) => t.io instanceof ShellIO && t.io.terminalId === chunk.terminalId)
      if (tab) (tab.io as ShellIO).output(chunk.data)
    }
  }

  exited(exit: TerminalExit): void {
    const tab = this.tabs.find((t) => t.io instanceof ShellIO && t.io.terminalId === exit.terminalId)
    if (!tab) return
    ;(tab.io as ShellIO).output(`\r\n\x1b[2m[process exited with code ${exit.exitCode}]\x1b[0m\r\n`)
    this.setState(tab.key, { kind: 'exited', exitCode: exit.exitCode })
  }

  entries(entries: LogEntryView[]): void {
    for (const tab of this.tabs) if (tab.io instanceof ConsoleIO) tab.io.session.entries(entries)
  }
}

export const terminal = new TerminalState()
settings.onLayout((values) => terminal.applyLayout(values))
