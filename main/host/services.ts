// What a host runs: the socket engine and the terminal sessions, sharing one event sink, closed together.
import type { EngineEvent, ShellPolicy } from '../../contract/views'
import { Engine, type EngineConfig, type EventSink } from '../engine/engine'
import { SettingsStore } from '../engine/settings-store'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { TerminalSessions, type ShellLaunch } from '../terminal/terminal'

/** Native file dialogs, where the host has them (Electron); undefined answers "cancelled". */
export interface FileDialogs {
  saveRecording(): Promise<string | undefined>
  openRecording(): Promise<string | undefined>
  saveWorkspace(): Promise<string | undefined>
  openWorkspace(): Promise<string | undefined>
}

export interface Services {
  engine: Engine
  terminals: TerminalSessions
  shell: ShellPolicy
  dialogs?: FileDialogs
  settings: SettingsStore
  shutdown(): Promise<void>
}

/** What a host sets up beyond the engine: where the user's settings file is (default ~/.zeroscope/settings.json). */
export type HostConfig = EngineConfig & { settingsPath?: string }

export function createServices(
  sink: EventSink,
  config: HostConfig,
  shell: ShellPolicy = { kind: 'enabled' },
  launch: ShellLaunch = { kind: 'login' },
): Services {
  const emit = (event: EngineEvent): void => sink.emit(event)
  const engine = new Engine(sink, config)
  const terminals = new TerminalSessions(
    {
      output: (chunks) => emit({ type: 'terminal-output', chunks }),
      exited: (exit) => emit({ type: 'terminal-exit', exit }),
    },
    shell,
    launch,
  )
  const settings = new SettingsStore(config.settingsPath ?? join(homedir(), '.zeroscope', 'settings.json'), (next) =>
    emit({ type: 'settings', settings: next }),
  )
  return {
    engine,
    terminals,
    shell,
    settings,
    async shutdown() {
      terminals.closeAll()
      await engine.shutdown()
    },
  }
}
