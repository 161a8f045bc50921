// A recording event sink for tests: keeps every engine event and lets a test await a condition on them,
// resolved by the next event that makes it true (no polling, no sleeps).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EngineEvent, LogEntryView, SocketSummary, TerminalExit, TimelineEntry } from '../../contract/views'
import { Engine, type EngineConfig } from '../../main/engine/engine'
import type { ShellPolicy } from '../../contract/views'
import type { TapSummary } from '../../contract/taps'
import type { RecordingSummary, ReplaySummary } from '../../contract/recordings'
import { HERMETIC_SHELL } from './hermetic-shell'
import { createServices, type Services } from '../../main/host/services'

interface Waiter {
  check: () => boolean
  resolve: () => void
}

export class Probe {
  readonly events: EngineEvent[] = []
  readonly entries: LogEntryView[] = []
  readonly timeline: TimelineEntry[] = []
  sockets: SocketSummary[] = []
  /** The latest tap list the engine sent (a 'taps' event). */
  taps: TapSummary[] = []
  /** The latest recordings and replays the engine sent. */
  recordings: RecordingSummary[] = []
  replays: ReplaySummary[] = []
  readonly terminalText = new Map<string, string>()
  readonly terminalExits: TerminalExit[] = []
  private waiters: Waiter[] = []
  private readonly entryListeners: ((entry: LogEntryView) => void)[] = []

  /** Calls `listener` for every entry delivered from now on (a test's stand-in for an app-side driver). */
  onEntry(listener: (entry: LogEntryView) => void): void {
    this.entryListeners.push(listener)
  }

  emit(event: EngineEvent): void {
    this.events.push(event)
    if (event.type === 'batch') {
      this.entries.push(...event.batch.entries)
      for (const entry of event.batch.entries) for (const listener of this.entryListeners) listener(entry)
      this.timeline.push(...event.batch.timeline)
    } else if (event.type === 'sockets') {
      this.sockets = event.sockets
    } else if (event.type === 'taps') {
      this.taps = event.taps
    } else if (event.type === 'terminal-output') {
      for (const chunk of event.chunks)
        this.terminalText.set(chunk.terminalId, (this.terminalText.get(chunk.terminalId) ?? '') + chunk.data)
    } else if (event.type === 'terminal-exit') {
      this.terminalExits.push(event.exit)
    } else if (event.type === 'recordings') {
      this.recordings = event.recordings
    } else if (event.type === 'replays') {
      this.replays = event.replays
    }
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true
      w.resolve()
      return false
    })
  }

  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ check, resolve }))
  }

  received(socketId: string): LogEntryView[] {
    return this.entries.filter((e) => e.socketId === socketId && e.dir === 'in')
  }

  /** Resolves with the socket's received entries once at least `count` have arrived. */
  async receivedAtLeast(socketId: string, count: number): Promise<LogEntryView[]> {
    await this.until(() => this.received(socketId).length >= count)
    return this.received(socketId)
  }

  eventsOf(socketId: string, kind: string): TimelineEntry[] {
    return this.timeline.filter((t) => t.socketId === socketId && t.kind === kind)
  }

  /** The socket's monitor events of these kinds, in the order they happened (e.g. connect, disconnect, connect). */
  kindsOf(socketId: string, kinds: readonly string[]): string[] {
    return this.timeline.filter((t) => t.socketId === socketId && kinds.includes(t.kind)).map((t) => t.kind)
  }

  async timelineAtLeast(socketId: string, kind: string, count = 1): Promise<void> {
    await this.until(() => this.eventsOf(socketId, kind).length >= count)
  }
}

let exportsDir: string | undefined

/**
 * This test process's throwaway exports folder, removed when it exits. Every engine the helpers build writes
 * its exports here unless the test names another folder: no test may write into the user's ~/.zeroscope.
 */
export function testExportsDir(): string {
  if (exportsDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'zs-test-exports-'))
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
    exportsDir = dir
  }
  return exportsDir
}

let servicesCount = 0

/** Likewise for recordings: the engine's default is ~/.zeroscope/recordings, never written by a test. */
export function testRecordingsDir(): string {
  return join(testExportsDir(), 'recordings')
}

export function newEngine(config: Partial<EngineConfig> = {}): { engine: Engine; probe: Probe } {
  const probe = new Probe()
  const engine = new Engine(probe, {
    host: 'browser',
    batchIntervalMs: 5,
    ...config,
    exportsDir: config.exportsDir ?? testExportsDir(),
    recordingsDir: config.recordingsDir ?? testRecordingsDir(),
    workspacesDir: config.workspacesDir ?? join(testExportsDir(), 'workspaces'),
    jupyterDir: config.jupyterDir ?? join(testExportsDir(), 'jupyter'),
  })
  return { engine, probe }
}

export function text(entry: LogEntryView, frame = 0): string {
  return Buffer.from(entry.frames[frame]?.b64 ?? '', 'base64').toString('utf8')
}

export const txt = (data: string) => ({ enc: 'text' as const, data })

/**
 * Engine plus terminals behind one probe, as a host would have them; for tests that go through dispatch. Shells
 * are hermetic (no login profile): a slow or hanging profile on the machine must not stall unit tests.
 */
export function newServices(
  config: Partial<EngineConfig> = {},
  shell?: ShellPolicy,
): { services: Services; engine: Engine; probe: Probe } {
  const probe = new Probe()
  const services = createServices(
    probe,
    {
      host: 'browser',
      batchIntervalMs: 5,
      ...config,
      exportsDir: config.exportsDir ?? testExportsDir(),
      recordingsDir: config.recordingsDir ?? testRecordingsDir(),
      workspacesDir: config.workspacesDir ?? join(testExportsDir(), 'workspaces'),
      jupyterDir: config.jupyterDir ?? join(testExportsDir(), 'jupyter'),
      settingsPath: join(testExportsDir(), `settings-${++servicesCount}.json`),
    },
    shell,
    HERMETIC_SHELL,
  )
  return { services, engine: services.engine, probe }
}
