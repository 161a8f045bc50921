// Terminal sessions (node-pty) for the terminal pane: the user's login shell, output batched to the host on a
// fixed cadence, explicit close that kills the whole process tree.
import { existsSync, statSync, type Stats } from 'node:fs'
import { homedir, userInfo } from 'node:os'
import * as pty from 'node-pty'
import type { TerminalExit, TerminalOutput, TerminalView, ShellPolicy } from '../../contract/views'
import { EngineError } from '../engine/errors'
import { killTree } from './process-tree'

export interface TerminalSink {
  output(chunks: TerminalOutput[]): void
  exited(exit: TerminalExit): void
}

/**
 * How a shell tab starts: the user's login shell by default (their environment, as in any terminal). Tests
 * start a hermetic one instead, so that a login profile which hangs (a stale pyenv rehash lock was seen here)
 * cannot stall them; one e2e spec keeps the real login shell.
 */
export type ShellLaunch = { kind: 'login' } | { kind: 'command'; file: string; args: string[] }

/**
 * ZEROSCOPE_SHELL, when set, is the command a shell tab runs instead of the login shell, split on spaces
 * (e.g. "/bin/bash --noprofile --norc"); for a profile that is slow or broken, and for tests.
 */
export function shellLaunchFrom(value: string | undefined): ShellLaunch {
  const words = (value ?? '').trim().split(/\s+/).filter(Boolean)
  const [file, ...args] = words
  return file ? { kind: 'command', file, args } : { kind: 'login' }
}

type SessionState = { kind: 'running' } | { kind: 'exited'; exitCode: number; signal: number | null }

interface Session {
  id: string
  process: pty.IPty
  shell: string
  cwd: string
  state: SessionState
  pending: string[]
  /** Characters in `pending`, kept beside it so a chatty shell costs one addition per chunk, not a re-count. */
  pendingChars: number
}

const FLUSH_MS = 16
/** Output held for one session between flushes; a runaway `yes` must not grow memory without bound. */
const MAX_PENDING_CHARS = 4 * 1024 * 1024

export function loginShell(): string {
  if (process.platform === 'win32') return process.env.COMSPEC ?? 'powershell.exe'
  const fromEnv = process.env.SHELL
  if (fromEnv && existsSync(fromEnv)) return fromEnv
  try {
    const fromPasswd = userInfo().shell
    if (fromPasswd && existsSync(fromPasswd)) return fromPasswd
  } catch {
    // No passwd entry (containers); fall through.
  }
  return existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh'
}

/** Undefined for a path that cannot be looked at (missing, a file in its way, no permission). */
function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}

/** The open terminal sessions, by id; output from all of them is flushed to the sink together. */
export class TerminalSessions {
  private readonly sessions = new Map<string, Session>()
  private nextId = 1
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly sink: TerminalSink,
    private readonly policy: ShellPolicy = { kind: 'enabled' },
    private readonly launch: ShellLaunch = { kind: 'login' },
  ) {}

  open(cols: number, rows: number, cwd?: string): TerminalView {
    if (this.policy.kind === 'disabled') throw new EngineError('NOT_ALLOWED', this.policy.reason)
    const directory = cwd ?? homedir()
    // node-pty reports a bad cwd or shell only as text in the new tab ("chdir(2) failed") and an exit code 1.
    const stats = statOrUndefined(directory)
    if (!stats) throw new EngineError('INVALID_REQUEST', `working directory ${directory} does not exist`)
    if (!stats.isDirectory())
      throw new EngineError('INVALID_REQUEST', `working directory ${directory} is a file, not a folder`)
    if (this.launch.kind === 'command' && this.launch.file.includes('/') && !existsSync(this.launch.file)) {
      throw new EngineError(
        'NOT_ALLOWED',
        `the shell ${this.launch.file} (from ZEROSCOPE_SHELL) does not exist; fix or unset ZEROSCOPE_SHELL`,
      )
    }
    const shell = this.launch.kind === 'command' ? this.launch.file : loginShell()
    const args = this.launch.kind === 'command' ? this.launch.args : process.platform === 'win32' ? [] : ['-l']
    const id = `t${this.nextId++}`
    const child = pty.spawn(shell, args, {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: directory,
      env: { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor', ZEROSCOPE_TERMINAL: id } as Record<
        string,
        string
      >,
    })
    const session: Session = {
      id,
      process: child,
      shell,
      cwd: directory,
      state: { kind: 'running' },
      pending: [],
      pendingChars: 0,
    }
    child.onData((data) => this.queue(session, data))
    child.onExit(({ exitCode, signal }) => {
      // node-pty reports signal 0 for a normal exit.
      const bySignal = signal ? signal : null
      session.state = { kind: 'exited', exitCode, signal: bySignal }
      this.flush()
      this.sink.exited({ terminalId: id, exitCode, signal: bySignal })
    })
    this.sessions.set(id, session)
    return this.view(session)
  }

  write(terminalId: string, data: string): null {
    const session = this.running(terminalId)
    session.process.write(data)
    return null
  }

  resize(terminalId: string, cols: number, rows: number): null {
    this.running(terminalId).process.resize(cols, rows)
    return null
  }

  list(): TerminalView[] {
    return [...this.sessions.values()].map((s) => this.view(s))
  }

  /** Kills the shell and everything it started; the session is forgotten. */
  close(terminalId: string): null {
    const session = this.session(terminalId)
    this.sessions.delete(terminalId)
    if (session.state.kind === 'running') killTree(session.process.pid)
    return null
  }

  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.close(id)
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  private queue(session: Session, data: string): void {
    session.pending.push(data)
    session.pendingChars += data.length
    if (session.pendingChars > MAX_PENDING_CHARS) {
      session.pending = [session.pending.join('').slice(-MAX_PENDING_CHARS)]
      session.pendingChars = MAX_PENDING_CHARS
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS)
      this.timer.unref()
    }
  }

  private flush(): void {
    this.timer = undefined
    const chunks: TerminalOutput[] = []
    for (const session of this.sessions.values()) {
      if (session.pending.length === 0) continue
      chunks.push({ terminalId: session.id, data: session.pending.join('') })
      session.pending = []
      session.pendingChars = 0
    }
    if (chunks.length > 0) this.sink.output(chunks)
  }

  private view(session: Session): TerminalView {
    return {
      id: session.id,
      shell: session.shell,
      cwd: session.cwd,
      pid: session.process.pid,
      state: session.state,
    }
  }

  private session(terminalId: string): Session {
    const session = this.sessions.get(terminalId)
    if (!session) throw new EngineError('UNKNOWN_TERMINAL', `no terminal with id ${terminalId}`)
    return session
  }

  private running(terminalId: string): Session {
    const session = this.session(terminalId)
    if (session.state.kind !== 'running') throw new EngineError('NOT_ALLOWED', `terminal ${terminalId} has exited`)
    return session
  }
}
