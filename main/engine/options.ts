// Applies contract socket options to a zeromq.js socket, refusing options that do not fit the socket type.
import type * as zmq from 'zeromq'
import type { SocketOptions } from '../../contract/schemas'
import type { SocketType } from '../../contract/views'
import { EngineError, fromZmq } from './errors'

type Settable = Record<string, unknown>

/** Options that only affect connections made after they are set. */
export const BEFORE_CONNECT_ONLY: readonly (keyof SocketOptions)[] = ['routingId', 'curve', 'plain', 'conflate']

/** Sent messages may wait for a peer this long before the send is answered with EAGAIN. */
export const DEFAULT_SEND_TIMEOUT_MS = 2000

function set(socket: zmq.Socket, type: SocketType, option: string, property: string, value: unknown): void {
  if (!(property in socket)) {
    throw new EngineError('NOT_ALLOWED', `option ${option} does not apply to ${type.toUpperCase()} sockets`)
  }
  try {
    ;(socket as unknown as Settable)[property] = value
  } catch (error) {
    throw fromZmq(`setting ${option}`, error)
  }
}

function only(type: SocketType, allowed: SocketType[], option: string): void {
  if (!allowed.includes(type)) {
    const names = allowed.map((t) => t.toUpperCase()).join('/')
    throw new EngineError('NOT_ALLOWED', `option ${option} applies to ${names} sockets only, not ${type.toUpperCase()}`)
  }
}

export function applyOptions(socket: zmq.Socket, type: SocketType, options: SocketOptions): void {
  const simple: [keyof SocketOptions, string][] = [
    ['sendHighWaterMark', 'sendHighWaterMark'],
    ['receiveHighWaterMark', 'receiveHighWaterMark'],
    ['linger', 'linger'],
    ['routingId', 'routingId'],
    ['reconnectInterval', 'reconnectInterval'],
    ['reconnectMaxInterval', 'reconnectMaxInterval'],
    ['heartbeatInterval', 'heartbeatInterval'],
    ['heartbeatTimeout', 'heartbeatTimeout'],
    ['heartbeatTimeToLive', 'heartbeatTimeToLive'],
    ['conflate', 'conflate'],
    ['immediate', 'immediate'],
    ['sendTimeout', 'sendTimeout'],
  ]
  for (const [option, property] of simple) {
    const value = options[option]
    if (value !== undefined) set(socket, type, option, property, value)
  }
  if (options.xpubVerbosity !== undefined) {
    only(type, ['xpub'], 'xpubVerbosity')
    set(socket, type, 'xpubVerbosity', 'verbosity', options.xpubVerbosity === 'none' ? null : options.xpubVerbosity)
  }
  if (options.routerMandatory !== undefined) {
    only(type, ['router'], 'routerMandatory')
    set(socket, type, 'routerMandatory', 'mandatory', options.routerMandatory)
  }
  if (options.routerHandover !== undefined) {
    only(type, ['router'], 'routerHandover')
    set(socket, type, 'routerHandover', 'handover', options.routerHandover)
  }
  if (options.reqCorrelate !== undefined) {
    only(type, ['req'], 'reqCorrelate')
    set(socket, type, 'reqCorrelate', 'correlate', options.reqCorrelate)
  }
  if (options.reqRelaxed !== undefined) {
    only(type, ['req'], 'reqRelaxed')
    set(socket, type, 'reqRelaxed', 'relaxed', options.reqRelaxed)
  }
  applySecurity(socket, type, options)
}

function applySecurity(socket: zmq.Socket, type: SocketType, options: SocketOptions): void {
  const { curve, plain } = options
  if (curve && plain) throw new EngineError('INVALID_REQUEST', 'choose CURVE or PLAIN, not both')
  if (curve) {
    const keys =
      curve.role === 'server' ? [curve.publicKey, curve.secretKey] : [curve.serverKey, curve.publicKey, curve.secretKey]
    if (!keys.every((key) => /^[0-9A-Za-z.:+=^!/*?&<>()[\]{}@%$#-]{40}$/.test(key))) {
      throw new EngineError('INVALID_REQUEST', 'CURVE keys are 40-character Z85 strings (use "generate key pair")')
    }
    if (curve.role === 'server') set(socket, type, 'curve', 'curveServer', true)
    else set(socket, type, 'curve', 'curveServerKey', curve.serverKey)
    set(socket, type, 'curve', 'curvePublicKey', curve.publicKey)
    set(socket, type, 'curve', 'curveSecretKey', curve.secretKey)
  }
  if (plain) {
    if (plain.role === 'server') set(socket, type, 'plain', 'plainServer', true)
    else {
      set(socket, type, 'plain', 'plainUsername', plain.username)
      set(socket, type, 'plain', 'plainPassword', plain.password)
    }
  }
}
