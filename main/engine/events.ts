// Socket monitor events (zeromq Observer) -> timeline entries and endpoint status changes.
import type * as zmq from 'zeromq'
import type { EndpointStatus } from '../../contract/views'

export interface MonitorEvent {
  kind: string
  address?: string
  intervalMs?: number
  error?: string
}

export function describe(event: zmq.Event): MonitorEvent {
  const out: MonitorEvent = { kind: event.type }
  if ('address' in event) out.address = event.address
  if ('interval' in event) out.intervalMs = event.interval
  if ('error' in event) {
    const error = event.error as { message?: string; code?: string }
    out.error = [error.code, error.message].filter(Boolean).join(': ')
  }
  return out
}

/** The endpoint status an event implies, given the current one; undefined when it does not change it. */
export function nextStatus(current: EndpointStatus, event: MonitorEvent): EndpointStatus | undefined {
  const peers = current.kind === 'connected' ? current.peers : 0
  switch (event.kind) {
    case 'bind':
      return { kind: 'listening' }
    case 'accept':
      return { kind: 'connected', peers: peers + 1 }
    case 'connect:delay':
      return current.kind === 'connected' ? undefined : { kind: 'connecting' }
    case 'connect:retry':
      return { kind: 'retrying', intervalMs: event.intervalMs ?? 0 }
    case 'connect':
      return { kind: 'connected', peers: 1 }
    case 'disconnect':
      if (current.kind === 'connected' && current.peers > 1) return { kind: 'connected', peers: current.peers - 1 }
      return current.kind === 'connected' || current.kind === 'connecting' ? { kind: 'disconnected' } : undefined
    case 'bind:error':
    case 'accept:error':
    case 'handshake:error:protocol':
    case 'handshake:error:auth':
    case 'handshake:error:other':
      return { kind: 'failed', message: `${event.kind}${event.error ? ` (${event.error})` : ''}` }
    default:
      return undefined
  }
}

/**
 * libzmq never ends the monitor of a socket closed with a pending inproc connect (nothing bound there), so
 * `finish` waits for the monitor's end only this long before closing that observer itself.
 */
const MONITOR_END_MS = 500

/** True if `promise` settled within `ms`. */
function settledWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  return Promise.race([promise.then(() => true), limit]).finally(() => clearTimeout(timer))
}

export interface Watch {
  /** Once the socket is closed: awaits the observer's own end, closing it only if libzmq never ends it. */
  finish(): Promise<void>
}

/**
 * Runs the observer until its socket closes. It normally ends by itself ('end') once the socket is closed;
 * closing a live observer first leaves zeromq.js 6.8 unable to monitor later sockets, so callers close the
 * socket and then `finish`, which closes only an observer libzmq never ends (a pending inproc connect).
 */
export function watch(socket: zmq.Socket, onEvent: (event: MonitorEvent) => void): Watch {
  let observer: zmq.Observer
  try {
    observer = socket.events
  } catch (error) {
    // The monitor's inproc address is derived from the socket; one left behind by a socket libzmq never
    // reaped can collide with it. The socket works regardless, just without a timeline.
    onEvent({ kind: 'monitor:unavailable', error: (error as Error).message })
    return { finish: () => Promise.resolve() }
  }
  const done = (async () => {
    try {
      for await (const event of observer) {
        if (event.type !== 'end' && event.type !== 'unknown') onEvent(describe(event))
      }
    } catch {
      // A receive pending when the observer is closed rejects; that ends the watch as well.
    }
  })()
  return {
    async finish() {
      if (await settledWithin(done, MONITOR_END_MS)) return
      if (!observer.closed) observer.close()
      await done
    },
  }
}
