// Real pty sessions: a shell (hermetic: no login profile, see HERMETIC_SHELL) that echoes, resizes, exits with its
// status, and dies with its whole tree. The login shell itself is exercised by the terminal e2e spec.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TerminalSessions } from '../../main/terminal/terminal'
import type { Services } from '../../main/host/services'
import { newServices, type Probe } from '../helpers/probe'

let services: Services
let terminals: TerminalSessions
let probe: Probe
beforeEach(() => {
  ;({ services, probe } = newServices())
  terminals = services.terminals
})
afterEach(() => services.shutdown())

const output = (id: string) => probe.terminalText.get(id) ?? ''
const seen = (id: string, pattern: RegExp) => probe.until(() => pattern.test(output(id)))

/** Alive and not a zombie (an orphan re-parented to a PID 1 that does not reap stays a zombie). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

async function gone(pids: number[]): Promise<void> {
  // A killed process has no event to await from here; check until the kernel has finished it.
  while (pids.some(alive)) await new Promise((resolve) => setTimeout(resolve, 10))
}

describe('terminal sessions', () => {
  it('spawns a shell in a pty, echoes what it runs', async () => {
    const session = terminals.open(80, 24)
    assert.equal(session.state.kind, 'running')
    terminals.write(session.id, 'echo "hel""lo from $ZEROSCOPE_TERMINAL"\r')
    await seen(session.id, new RegExp(`hello from ${session.id}`))
  })

  it('resize is what the shell sees (stty size)', async () => {
    const session = terminals.open(80, 24)
    terminals.resize(session.id, 132, 41)
    terminals.write(session.id, 'stty size\r')
    await seen(session.id, /41 132/)
  })

  it('reports the exit status when the shell exits', async () => {
    const session = terminals.open(80, 24)
    terminals.write(session.id, 'exit 3\r')
    await probe.until(() => probe.terminalExits.some((e) => e.terminalId === session.id))
    assert.equal(probe.terminalExits.find((e) => e.terminalId === session.id)!.exitCode, 3)
    assert.deepEqual(terminals.list().find((t) => t.id === session.id)!.state, {
      kind: 'exited',
      exitCode: 3,
      signal: null,
    })
    assert.throws(() => terminals.write(session.id, 'x'), /has exited/)
  })

  it('closing kills the whole process tree: no orphans left behind', async () => {
    const session = terminals.open(80, 24)
    terminals.write(session.id, 'sleep 301 & echo "BG=$!"; sh -c "sleep 302" & echo "SH=$!"\r')
    await seen(session.id, /SH=\d+/)
    const background = Number(/BG=(\d+)/.exec(output(session.id))![1])
    const nested = Number(/SH=(\d+)/.exec(output(session.id))![1])
    terminals.write(session.id, 'sleep 303\r')
    const pids = [session.pid, background, nested]
    assert.ok(pids.every(alive))
    terminals.close(session.id)
    await gone(pids)
    assert.equal(terminals.list().length, 0)
  })

  it('several sessions run side by side', async () => {
    const a = terminals.open(80, 24)
    const b = terminals.open(80, 24)
    terminals.write(a.id, 'echo AAA\r')
    terminals.write(b.id, 'echo BBB\r')
    await seen(a.id, /AAA/)
    await seen(b.id, /BBB/)
    assert.doesNotMatch(output(a.id), /BBB/)
  })

  it('a host with the shell disabled refuses to open one', () => {
    const disabled = new TerminalSessions(
      { output: () => {}, exited: () => {} },
      { kind: 'disabled', reason: 'shell terminals are disabled (--no-shell)' },
    )
    assert.throws(() => disabled.open(80, 24), /--no-shell/)
  })
})
