// The check before an ipc bind. libzmq unlinks whatever is at an ipc path before it binds, so a bind onto a
// user's file would delete it, and a bind onto another process's live socket would silently take over that
// service's new connections. Only a stale socket file (nobody listening) may be replaced.
import { lstat } from 'node:fs/promises'
import { connect } from 'node:net'
import { resolve } from 'node:path'
import { EngineError } from './errors'

/** What the bind may go ahead over; anything else has been refused with an EngineError. */
export type IpcBindPlan =
  | { kind: 'unchecked' } // not ipc, or ipc://* (libzmq makes a fresh temporary path)
  | { kind: 'free'; path: string }
  | { kind: 'stale-socket'; path: string }

/**
 * A connect to a unix socket answers at once (accepted into the backlog, or ECONNREFUSED); the limit only
 * keeps a bind from hanging on something unforeseen, and a probe that times out counts as "in use".
 */
const PROBE_TIMEOUT_MS = 1000

type Probe = { kind: 'listening' } | { kind: 'stale' } | { kind: 'gone' } | { kind: 'unknown'; reason: string }

function probeSocket(path: string): Promise<Probe> {
  return new Promise((done) => {
    const client = connect({ path })
    const finish = (result: Probe): void => {
      clearTimeout(timer)
      client.destroy()
      done(result)
    }
    const timer = setTimeout(() => finish({ kind: 'unknown', reason: 'it did not answer a connect' }), PROBE_TIMEOUT_MS)
    client.once('connect', () => finish({ kind: 'listening' }))
    client.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') finish({ kind: 'stale' })
      else if (error.code === 'ENOENT') finish({ kind: 'gone' })
      // EAGAIN is a full backlog (someone listens but is busy); EACCES a socket we may not even connect to.
      else finish({ kind: 'unknown', reason: `a connect to it failed with ${error.code ?? error.message}` })
    })
  })
}

function refuse(endpoint: string, what: string): never {
  throw new EngineError(
    'NOT_ALLOWED',
    `bind ${endpoint}: ${what}; libzmq would delete it before binding, so ZeroScope refuses. Choose another path.`,
  )
}

/** The path libzmq will unlink and bind for `endpoint`, or undefined when there is nothing to check. */
function ipcBindPath(endpoint: string): string | undefined {
  if (!endpoint.startsWith('ipc://')) return undefined
  const path = endpoint.slice('ipc://'.length)
  if (path === '*' || path.length === 0) return undefined
  // libzmq hands the path to unlink() and bind() as is, so a relative one means the process's cwd, and even an
  // abstract-namespace name ("@name") first unlinks a file of that literal name there.
  return resolve(path)
}

/** Refuses (EngineError NOT_ALLOWED) an ipc bind that would destroy a file or take over a live socket. */
export async function checkIpcBind(endpoint: string): Promise<IpcBindPlan> {
  const path = ipcBindPath(endpoint)
  if (path === undefined) return { kind: 'unchecked' }
  let stats
  try {
    stats = await lstat(path)
  } catch {
    // ENOENT: nothing there. Anything else (EACCES on the directory) stops libzmq's unlink and bind as well, and
    // its bind error says so.
    return { kind: 'free', path }
  }
  if (stats.isSymbolicLink()) refuse(endpoint, `${path} is a symbolic link`)
  if (stats.isFile()) refuse(endpoint, `${path} is an existing regular file (${stats.size} bytes)`)
  if (stats.isDirectory()) refuse(endpoint, `${path} is an existing directory`)
  if (!stats.isSocket()) refuse(endpoint, `${path} is an existing ${stats.isFIFO() ? 'FIFO' : 'device file'}`)
  const probe = await probeSocket(path)
  switch (probe.kind) {
    case 'stale':
      return { kind: 'stale-socket', path }
    case 'gone':
      return { kind: 'free', path }
    case 'listening':
      return refuse(
        endpoint,
        `${path} is in use by another process or another ZeroScope socket (it accepts connections)`,
      )
    case 'unknown':
      return refuse(endpoint, `${path} is a socket that may be in use by another process (${probe.reason})`)
  }
}
