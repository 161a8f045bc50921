// Socket construction per type, and the few draft types whose send/receive carry metadata beside frames.
import { createRequire } from 'node:module'
import * as zmq from 'zeromq'
import type { SocketType } from '../../contract/views'
import { EngineError, fromZmq } from './errors'

type Constructor = new () => zmq.Socket

const STANDARD: Record<string, Constructor> = {
  pair: zmq.Pair,
  pub: zmq.Publisher,
  sub: zmq.Subscriber,
  req: zmq.Request,
  rep: zmq.Reply,
  dealer: zmq.Dealer,
  router: zmq.Router,
  pull: zmq.Pull,
  push: zmq.Push,
  xpub: zmq.XPublisher,
  xsub: zmq.XSubscriber,
  stream: zmq.Stream,
}

const DRAFT_CLASS: Record<string, string> = {
  server: 'Server',
  client: 'Client',
  radio: 'Radio',
  dish: 'Dish',
  gather: 'Gather',
  scatter: 'Scatter',
  datagram: 'Datagram',
}

let draftModule: Record<string, Constructor> | undefined

function draft(): Record<string, Constructor> {
  if (!zmq.capability.draft) {
    throw new EngineError(
      'UNSUPPORTED',
      'this libzmq build has no draft socket types (zeromq.capability.draft is false)',
    )
  }
  // Loaded lazily: the draft entry point only exists in builds with draft support.
  draftModule ??= createRequire(import.meta.url)('zeromq/draft') as Record<string, Constructor>
  return draftModule
}

export function createZmqSocket(type: SocketType): zmq.Socket {
  const className = DRAFT_CLASS[type]
  const ctor = STANDARD[type] ?? (className ? draft()[className] : undefined)
  if (!ctor) throw new EngineError('UNSUPPORTED', `unknown socket type ${type}`)
  try {
    return new ctor()
  } catch (error) {
    // Out of fds or of libzmq sockets (EMFILE) is the usual reason; fromZmq answers it as LIMIT.
    throw fromZmq(`create ${type.toUpperCase()} socket`, error)
  }
}

interface Sender {
  send(...args: unknown[]): Promise<void>
}

/**
 * Draft SERVER replies to a peer named by a numeric routing id and RADIO publishes to a group; the composer
 * expresses both as a first frame (routing id as decimal text, group as text) followed by the payload.
 */
export function sendOn(socket: zmq.Socket, type: SocketType, frames: Buffer[]): Promise<void> {
  const sender = socket as unknown as Sender
  if (type === 'server' || type === 'radio') {
    const [head, body] = frames
    if (frames.length !== 2 || !head || !body) {
      throw new EngineError(
        'INVALID_REQUEST',
        `${type.toUpperCase()} sends exactly two frames: ${type === 'server' ? 'routing id' : 'group'}, payload`,
      )
    }
    const text = head.toString('utf8')
    if (type === 'server') {
      const routingId = Number(text)
      if (!Number.isInteger(routingId) || routingId <= 0)
        throw new EngineError('INVALID_REQUEST', 'SERVER routing id must be a positive integer')
      return sender.send(body, { routingId })
    }
    return sender.send(body, { group: text })
  }
  if (type === 'client' || type === 'scatter' || type === 'dish' || type === 'gather') {
    if (frames.length !== 1) throw new EngineError('INVALID_REQUEST', `${type.toUpperCase()} messages are single-frame`)
    return sender.send(frames[0])
  }
  return sender.send(frames)
}

export interface ReceivedMeta {
  frames: Buffer[]
  peer?: Buffer
}

/** Standard sockets receive Buffer[]; draft SERVER/DISH receive [Buffer, { routingId } | { group }]. */
export function receiveMeta(received: unknown[]): ReceivedMeta {
  const last = received[received.length - 1]
  if (received.length === 2 && last !== null && typeof last === 'object' && !Buffer.isBuffer(last)) {
    const meta = last as { routingId?: number; group?: string | Buffer }
    const body = received[0] as Buffer
    if (meta.routingId !== undefined) return { frames: [body], peer: Buffer.from(String(meta.routingId)) }
    if (meta.group !== undefined) return { frames: [Buffer.from(meta.group), body] }
  }
  return { frames: received as Buffer[] }
}
