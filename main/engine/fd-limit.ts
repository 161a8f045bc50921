// How many sockets this process can hold. Past its file-descriptor limit libzmq does not always fail politely:
// some calls assert and abort the whole process (getifaddrs during a tcp bind, for one), taking the host down.
// So the engine stops creating sockets well before that, at a cap derived here.
import { readFileSync } from 'node:fs'

/** The soft RLIMIT_NOFILE: what the process can open, as `ulimit -n` shows it. */
export type FdLimit = { kind: 'measured'; soft: number } | { kind: 'unlimited' } | { kind: 'assumed'; soft: number }

export type SocketCap =
  | { kind: 'configured'; max: number }
  | { kind: 'fd-limit'; max: number; fdLimit: Exclude<FdLimit, { kind: 'unlimited' }> }
  | { kind: 'zmq-context'; max: number; contextMax: number }

/**
 * Measured (count of /proc/self/fd before and after): a zeromq.js socket with its monitor holds 3 fds (its
 * mailbox, the monitor's PAIR, the observer's PAIR) and each bind or connect one more.
 */
export const FDS_PER_SOCKET = 4
/** The socket, the monitor's PAIR and the observer's PAIR all count against libzmq's ZMQ_MAX_SOCKETS. */
export const ZMQ_SOCKETS_PER_SOCKET = 3
/** libzmq sockets the engine uses besides inspected ones (the ZAP handler), with some spare. */
const RESERVED_ZMQ_SOCKETS = 8
/**
 * Fds kept for everything else: the host itself (Electron holds about a hundred), terminals, exports, browser
 * clients, and every accepted peer connection (one fd each, not in FDS_PER_SOCKET and unbounded).
 */
const RESERVED_FDS_MIN = 128
const RESERVED_FDS_SHARE = 0.25
/**
 * Without /proc (macOS, Windows) the limit is not readable from Node. Node raises its soft limit to the hard
 * one at start-up on POSIX, and Windows has no such limit for sockets, so 1024 is below what is really there.
 */
const ASSUMED_FD_LIMIT = 1024

/** The "Max open files" soft limit from the text of /proc/<pid>/limits. */
export function parseMaxOpenFiles(limits: string): FdLimit | undefined {
  const match = /^Max open files\s+(\S+)/m.exec(limits)
  if (!match) return undefined
  if (match[1] === 'unlimited') return { kind: 'unlimited' }
  const soft = Number(match[1])
  return Number.isInteger(soft) && soft > 0 ? { kind: 'measured', soft } : undefined
}

export function processFdLimit(): FdLimit {
  if (process.platform === 'linux') {
    try {
      const parsed = parseMaxOpenFiles(readFileSync('/proc/self/limits', 'utf8'))
      if (parsed) return parsed
    } catch {
      // /proc not mounted (some containers): fall through to the assumption.
    }
  }
  return { kind: 'assumed', soft: ASSUMED_FD_LIMIT }
}

/** The smaller of what the fd limit and libzmq's context allow, each with headroom. */
export function deriveSocketCap(fdLimit: FdLimit, contextMax: number): SocketCap {
  const byContext: SocketCap = {
    kind: 'zmq-context',
    max: Math.max(0, Math.floor((contextMax - RESERVED_ZMQ_SOCKETS) / ZMQ_SOCKETS_PER_SOCKET)),
    contextMax,
  }
  if (fdLimit.kind === 'unlimited') return byContext
  const reserved = Math.max(RESERVED_FDS_MIN, Math.ceil(fdLimit.soft * RESERVED_FDS_SHARE))
  const max = Math.max(0, Math.floor((fdLimit.soft - reserved) / FDS_PER_SOCKET))
  return max < byContext.max ? { kind: 'fd-limit', max, fdLimit } : byContext
}

/** The LIMIT sentence: how many are open, which limit that is, and what the user can do. */
export function socketLimitMessage(cap: SocketCap, open: number): string {
  switch (cap.kind) {
    case 'configured':
      return `ZeroScope has ${open} sockets open, the most it is configured to hold (maxSockets ${cap.max}); close some first`
    case 'fd-limit': {
      const limit =
        cap.fdLimit.kind === 'measured'
          ? `its file-descriptor limit of ${cap.fdLimit.soft} (ulimit -n)`
          : `the file-descriptor limit it assumes on this platform (${cap.fdLimit.soft})`
      return `ZeroScope has ${open} sockets open, the most this process can hold with ${limit}; close some, or raise the limit`
    }
    case 'zmq-context':
      return (
        `ZeroScope has ${open} sockets open, the most libzmq's context allows (ZMQ_MAX_SOCKETS ${cap.contextMax}, ` +
        `${ZMQ_SOCKETS_PER_SOCKET} per inspected socket with its monitor); close some first`
      )
  }
}
