// Every failure the engine reports is an EngineError carrying a contract error code; libzmq errno names are
// translated into sentences a ZeroMQ user recognises.
import type { ContractError, ErrorCode } from '../../contract/views'

const MAX_MESSAGE = 1000

export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly zmqCode?: string,
  ) {
    super(message)
    this.name = 'EngineError'
  }

  toContract(): ContractError {
    // Messages may quote user input; never echo megabytes of it back.
    const message = this.message.length > MAX_MESSAGE ? `${this.message.slice(0, MAX_MESSAGE)}…` : this.message
    return this.zmqCode === undefined
      ? { code: this.code, message }
      : { code: this.code, message, zmqCode: this.zmqCode }
  }
}

const EXPLAIN: Record<string, string> = {
  EADDRINUSE: 'the address is already in use (another socket or process is bound to it)',
  EADDRNOTAVAIL: 'the address is not available on this machine',
  EFSM: 'the socket is not in a state where this is allowed',
  EHOSTUNREACH: 'no connected peer has that routing id (ROUTER mandatory)',
  EPROTONOSUPPORT: 'this libzmq does not support that transport',
  ENOCOMPATPROTO: 'the transport is not compatible with this socket type',
  ENODEV: 'the interface or host does not exist',
  ENOENT: 'the endpoint is not bound or connected on this socket',
  ENOTSUP: 'this socket type does not support the operation',
  EINVAL: 'ZeroMQ rejected an argument',
  EAGAIN: 'the operation would block',
  EMTHREAD: 'no I/O thread is available',
  ETERM: 'the ZeroMQ context was terminated',
  EMFILE:
    'this process is out of file descriptors or libzmq sockets; close some sockets, or raise the limit (ulimit -n)',
  ENFILE: 'the system is out of file descriptors; close some sockets or other programs',
}

/** Errnos that mean a resource ran out rather than a mistake: answered as LIMIT, like the engine's own cap. */
const LIMIT_ERRNOS = new Set(['EMFILE', 'ENFILE'])

interface ZmqLikeError {
  code?: unknown
  message?: unknown
}

/**
 * Wraps whatever a zeromq call threw into an EngineError, with context about what was attempted. An errno can
 * mean different things per operation (ENOENT: "no such endpoint" for unbind, "no such directory" for an ipc
 * bind), so the caller may say what it means there; otherwise the general sentence is used.
 */
export function fromZmq(action: string, error: unknown, meaning: Partial<Record<string, string>> = {}): EngineError {
  if (error instanceof EngineError) return error
  const zmq = (typeof error === 'object' && error !== null ? error : {}) as ZmqLikeError
  const code = typeof zmq.code === 'string' ? zmq.code : undefined
  const raw = typeof zmq.message === 'string' ? zmq.message : String(error)
  const explained = code !== undefined ? (meaning[code] ?? EXPLAIN[code]) : undefined
  const message = explained ? `${action}: ${explained} (${code}: ${raw})` : `${action}: ${raw}`
  return new EngineError(code !== undefined && LIMIT_ERRNOS.has(code) ? 'LIMIT' : 'ZMQ_ERROR', message, code)
}

export function toContractError(error: unknown): ContractError {
  if (error instanceof EngineError) return error.toContract()
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'INTERNAL', message: `internal error: ${message}` }
}
