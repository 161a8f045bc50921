// One managed ZeroMQ socket: endpoints, options, subscriptions, a serialised send path, the receive loop and
// the monitor. It reports what happens through callbacks; the engine owns capture and delivery.
import * as zmq from 'zeromq'
import type { SocketOptions } from '../../contract/schemas'
import type {
  EndpointStatus,
  EndpointView,
  SocketCounters,
  SocketState,
  SocketSummary,
  SocketType,
  Turn,
} from '../../contract/views'
import { bytesView, preview } from './codec'
import { EngineError, fromZmq } from './errors'
import { watch, nextStatus, type MonitorEvent, type Watch } from './events'
import { applyOptions, BEFORE_CONNECT_ONLY, DEFAULT_SEND_TIMEOUT_MS } from './options'
import { PATTERNS, type Pattern } from './patterns'
import { PeerTable } from './distribution'
import { createZmqSocket, receiveMeta, sendOn } from './socket-types'
import { assertResolvable } from './resolve'
import { checkIpcBind } from './ipc-path'

const RECEIVE_REARM_MS = 100
/** tcp://[::1]:5555, tcp://[fe80::1%eth0];[::1]:5555, udp://[::1]:5555: a bracketed host in either part. */
const IPV6_ENDPOINT = /^(?:tcp|udp):\/\/[^[]*\[/
/**
 * libzmq never ends the monitor of a socket closed with a pending inproc connect (nothing bound there), so
 * close waits for the monitor's end only this long before closing that observer itself.
 */
const MONITOR_END_MS = 500

/** True if `promise` settled within `ms`. */
function settledWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  return Promise.race([promise.then(() => true), limit]).finally(() => clearTimeout(timer))
}

interface Receiver {
  receive(): Promise<unknown[]>
}

export interface SocketListener {
  message(socket: ManagedSocket, dir: 'in' | 'out', frames: Buffer[], peer: Buffer | undefined): number
  monitor(socket: ManagedSocket, event: MonitorEvent): void
  changed(socket: ManagedSocket): void
}

interface Endpoint {
  requested: string
  address: string
  mode: 'bind' | 'connect'
  status: EndpointStatus
}

export class ManagedSocket {
  readonly pattern: Pattern
  private readonly zmq: zmq.Socket
  private readonly endpoints: Endpoint[] = []
  private readonly subscriptions: Buffer[] = []
  private readonly monitor: Watch
  private state: SocketState = { kind: 'open' }
  private turn: Turn
  private relaxed = false
  private sending: Promise<unknown> = Promise.resolve()
  private turnWaiters: (() => void)[] = []
  /**
   * REQ/REP only: a receive is allowed now (REP before its first request, REQ once its request is out).
   * Separate from `turn`, which flips as soon as a send is accepted so that a second send is refused.
   */
  private armed: boolean
  /** zeromq.js refuses receive/send (EBUSY) while a bind or unbind is in flight; both wait for this. */
  private blocked: Promise<void> = Promise.resolve()
  private binding = 0
  readonly counters: SocketCounters
  /** Set by the engine when the counters moved since its last batch (a flag, not a set: it is per message). */
  countersChanged = false
  readonly peers = new PeerTable()
  /** XPUB: downstream subscriptions by prefix (hex) -> subscriber count, from the 0x01/0x00 messages. */
  private readonly downstream = new Map<string, number>()

  constructor(
    readonly id: string,
    public name: string,
    readonly type: SocketType,
    options: SocketOptions,
    private readonly listener: SocketListener,
    defaultSendTimeout: number = DEFAULT_SEND_TIMEOUT_MS,
  ) {
    this.pattern = PATTERNS[type]
    this.zmq = createZmqSocket(type)
    this.counters = {
      socketId: id,
      msgsIn: 0,
      msgsOut: 0,
      bytesIn: 0,
      bytesOut: 0,
      sendErrors: 0,
      ringDrops: 0,
      peers: [],
    }
    this.turn =
      this.pattern.lockstep === 'send-first' ? 'send' : this.pattern.lockstep === 'receive-first' ? 'receive' : 'free'
    this.armed = this.pattern.lockstep === 'receive-first'
    try {
      // An inspector's close must be immediate and its sends must not hang forever on an absent peer. ROUTER
      // never waits: zeromq.js would otherwise retry an unknown peer (EHOSTUNREACH) until the timeout.
      const sendTimeout = type === 'router' ? 0 : defaultSendTimeout
      applyOptions(this.zmq, type, { linger: 0, ...(this.pattern.canSend ? { sendTimeout } : {}), ...options })
      this.relaxed = options.reqRelaxed === true
      // Each PLAIN server is its own ZAP domain, so the engine's ZAP handler knows whose users to check.
      if (options.plain?.role === 'server') (this.zmq as unknown as { zapDomain: string }).zapDomain = id
    } catch (error) {
      this.zmq.close()
      throw error
    }
    this.monitor = watch(this.zmq, (event) => this.onMonitor(event))
    if (this.pattern.canReceive) {
      // zeromq.js 6.8 misses the wake-up for a receive that was already pending when an inproc connect
      // happened, so a pending receive is re-armed every RECEIVE_REARM_MS (one timer per idle socket).
      ;(this.zmq as unknown as { receiveTimeout: number }).receiveTimeout = RECEIVE_REARM_MS
      void this.receiveLoop()
    }
  }

  /** Counters with the per-peer table; what each batch carries for a socket that saw traffic. */
  countersView(): SocketCounters {
    return { ...this.counters, peers: this.peers.snapshot() }
  }

  summary(): SocketSummary {
    return {
      id: this.id,
      name: this.name,
      type: this.type,
      state: this.state,
      endpoints: this.endpoints.map((e): EndpointView => ({ ...e })),
      subscriptions: this.subscriptions.map(bytesView),
      downstream: [...this.downstream.entries()].map(([hex, subscribers]) => ({
        prefix: bytesView(Buffer.from(hex, 'hex')),
        subscribers,
      })),
      turn: this.turn,
      canSend: this.pattern.canSend,
      canReceive: this.pattern.canReceive,
      counters: this.countersView(),
    }
  }

  async bind(endpoint: string): Promise<void> {
    this.assertOpen()
    if (this.endpoints.some((e) => e.requested === endpoint && e.mode === 'bind')) {
      throw new EngineError('NOT_ALLOWED', `${endpoint} is already bound on this socket`)
    }
    const plan = await checkIpcBind(endpoint)
    this.assertOpen()
    this.enableIpv6For(endpoint)
    try {
      await this.blockWhile(this.zmq.bind(endpoint))
    } catch (error) {
      throw fromZmq(`bind ${endpoint}`, error, {
        ENOENT: 'the directory of the ipc path does not exist (libzmq does not create it)',
      })
    }
    // lastEndpoint resolves wildcards (tcp://127.0.0.1:* -> the real port), which peers need to connect.
    const address = this.zmq.lastEndpoint ?? endpoint
    this.endpoints.push({ requested: endpoint, address, mode: 'bind', status: { kind: 'listening' } })
    this.listener.changed(this)
    if (plan.kind === 'stale-socket') {
      this.listener.monitor(this, {
        kind: 'ipc:stale-replaced',
        address,
        error: `replaced a stale socket file at ${plan.path} (no process was listening on it)`,
      })
    }
  }

  async connect(endpoint: string): Promise<void> {
    this.assertOpen()
    if (this.endpoints.some((e) => e.requested === endpoint && e.mode === 'connect')) {
      throw new EngineError('NOT_ALLOWED', `already connected to ${endpoint}`)
    }
    // libzmq accepts any host name and retries for ever when it cannot be resolved; say so up front.
    await assertResolvable(endpoint)
    this.assertOpen()
    this.enableIpv6For(endpoint)
    try {
      this.zmq.connect(endpoint)
    } catch (error) {
      throw fromZmq(`connect ${endpoint}`, error)
    }
    this.endpoints.push({ requested: endpoint, address: endpoint, mode: 'connect', status: { kind: 'connecting' } })
    this.listener.changed(this)
  }

  async unbind(endpoint: string): Promise<void> {
    const found = this.findEndpoint(endpoint, 'bind')
    try {
      await this.blockWhile(this.zmq.unbind(found.address))
    } catch (error) {
      throw fromZmq(`unbind ${endpoint}`, error)
    }
    this.endpoints.splice(this.endpoints.indexOf(found), 1)
    this.listener.changed(this)
  }

  disconnect(endpoint: string): void {
    const found = this.findEndpoint(endpoint, 'connect')
    try {
      this.zmq.disconnect(found.address)
    } catch (error) {
      throw fromZmq(`disconnect ${endpoint}`, error)
    }
    this.endpoints.splice(this.endpoints.indexOf(found), 1)
    this.listener.changed(this)
  }

  setOptions(options: SocketOptions): void {
    this.assertOpen()
    const late = BEFORE_CONNECT_ONLY.filter((key) => options[key] !== undefined)
    if (late.length > 0 && this.endpoints.length > 0) {
      throw new EngineError(
        'NOT_ALLOWED',
        `${late.join(', ')} only affect(s) connections made after it is set; set it before bind/connect (or disconnect first)`,
      )
    }
    applyOptions(this.zmq, this.type, options)
    if (options.reqRelaxed !== undefined) this.relaxed = options.reqRelaxed
    this.listener.changed(this)
  }

  subscribe(prefix: Buffer): void {
    this.assertSubscriber()
    if (this.type === 'sub') (this.zmq as zmq.Subscriber).subscribe(prefix)
    // XSUB subscribes by sending 0x01 + prefix upstream; the engine does it so XSUB's log shows it too.
    else void this.send([Buffer.concat([Buffer.from([1]), prefix])]).catch(() => {})
    if (!this.subscriptions.some((s) => s.equals(prefix))) this.subscriptions.push(prefix)
    this.listener.changed(this)
  }

  unsubscribe(prefix: Buffer): void {
    this.assertSubscriber()
    const index = this.subscriptions.findIndex((s) => s.equals(prefix))
    if (index < 0) throw new EngineError('NOT_ALLOWED', `not subscribed to ${preview(prefix)}`)
    if (this.type === 'sub') (this.zmq as zmq.Subscriber).unsubscribe(prefix)
    else void this.send([Buffer.concat([Buffer.from([0]), prefix])]).catch(() => {})
    this.subscriptions.splice(index, 1)
    this.listener.changed(this)
  }

  /** Sends one multipart message; resolves with the capture entry id of the sent message. */
  send(frames: Buffer[]): Promise<number> {
    this.assertOpen()
    if (!this.pattern.canSend) {
      throw new EngineError('NOT_ALLOWED', this.pattern.whyNoSend ?? `${this.type.toUpperCase()} sockets cannot send`)
    }
    this.assertTurn()
    // The turn flips now, so a second send is refused at once; receive loops are released by sendNow only
    // once the message is really out.
    if (this.pattern.lockstep !== 'none') this.turn = 'receive'
    // zeromq.js allows one send in flight per socket; chain them so callers may fire concurrently.
    const result = this.sending.then(() => this.blocked).then(() => this.sendNow(frames))
    this.sending = result.catch(() => {})
    return result
  }

  async close(): Promise<void> {
    if (this.state.kind === 'closed') return
    this.state = { kind: 'closed' }
    this.releaseTurnWaiters()
    this.zmq.close()
    const ended = await settledWithin(this.monitor.done, MONITOR_END_MS)
    if (!ended) await this.monitor.abandon()
    this.listener.changed(this)
  }

  private async sendNow(frames: Buffer[]): Promise<number> {
    try {
      await sendOn(this.zmq, this.type, frames)
    } catch (error) {
      this.counters.sendErrors++
      // A failed send leaves REQ free to send again and REP still owing its reply.
      if (this.pattern.lockstep !== 'none') this.turn = 'send'
      this.listener.changed(this)
      throw this.explainSendError(error)
    }
    if (this.pattern.lockstep !== 'none') {
      this.armed = true
      this.releaseTurnWaiters()
    }
    const peer = this.pattern.routingIdFrame ? frames[0] : undefined
    if (this.pattern.lockstep !== 'none') this.listener.changed(this)
    return this.listener.message(this, 'out', frames, peer)
  }

  private explainSendError(error: unknown): EngineError {
    return fromZmq(`send on ${this.type.toUpperCase()} ${this.name}`, error, {
      EAGAIN:
        'no peer took the message in time; PUSH/DEALER/REQ block while no peer is connected or all are at ' +
        'their high-water mark',
    })
  }

  private async receiveLoop(): Promise<void> {
    while (this.state.kind === 'open') {
      // REQ/REP may only receive on their turn; libzmq answers a receive out of turn with EFSM.
      // Awaited only when there is something to wait for: two extra awaits per message cost a quarter of the
      // capture rate on a fast stream.
      if (this.pattern.lockstep !== 'none' && !this.armed) await this.receiveTurn()
      if (this.binding > 0) await this.blocked
      if (this.state.kind !== 'open') return
      let received: unknown[]
      try {
        received = await (this.zmq as unknown as Receiver).receive()
      } catch (error) {
        if (this.state.kind !== 'open') return
        const code = (error as { code?: string }).code
        if (code === 'EAGAIN' || code === 'EFSM' || code === 'EBUSY') continue
        this.state = { kind: 'error', message: fromZmq('receive', error).message }
        this.listener.changed(this)
        return
      }
      let frames = received as Buffer[]
      let peer: Buffer | undefined
      // Only draft SERVER/DISH hand over metadata beside the body; others need no per-message unpacking.
      if (this.pattern.draft) ({ frames, peer } = receiveMeta(received))
      if (this.pattern.routingIdFrame) peer ??= frames[0]
      if (this.type === 'xpub') this.trackDownstream(frames[0])
      if (this.pattern.lockstep !== 'none') {
        // REQ got its reply, REP got a request: either way it is their turn to send.
        this.turn = 'send'
        this.armed = false
        this.listener.changed(this)
      }
      this.listener.message(this, 'in', frames, peer)
    }
  }

  /** libzmq refuses a bracketed IPv6 host unless the socket's ipv6 option is on; it also keeps IPv4 working. */
  private enableIpv6For(endpoint: string): void {
    if (IPV6_ENDPOINT.test(endpoint) && !this.zmq.ipv6) this.zmq.ipv6 = true
  }

  private blockWhile(operation: Promise<void>): Promise<void> {
    this.binding++
    this.blocked = operation.then(
      () => void this.binding--,
      () => void this.binding--,
    )
    return operation
  }

  private trackDownstream(frame: Buffer | undefined): void {
    if (!frame || frame.length === 0 || (frame[0] !== 0 && frame[0] !== 1)) return
    const key = frame.subarray(1).toString('hex')
    const count = (this.downstream.get(key) ?? 0) + (frame[0] === 1 ? 1 : -1)
    if (count > 0) this.downstream.set(key, count)
    else this.downstream.delete(key)
    this.listener.changed(this)
  }

  private releaseTurnWaiters(): void {
    const waiters = this.turnWaiters
    this.turnWaiters = []
    for (const release of waiters) release()
  }

  /** Resolves when a send has gone out (REQ awaits its reply, REP its next request) or the socket closes. */
  private receiveTurn(): Promise<void> {
    return new Promise((resolve) => this.turnWaiters.push(resolve))
  }

  private onMonitor(event: MonitorEvent): void {
    const endpoint =
      this.endpoints.find((e) => e.address === event.address) ??
      this.endpoints.find((e) => e.requested === event.address)
    if (endpoint) {
      const status = nextStatus(endpoint.status, event)
      if (status) {
        endpoint.status = status
        this.listener.changed(this)
      }
    }
    this.listener.monitor(this, event)
  }

  private findEndpoint(endpoint: string, mode: 'bind' | 'connect'): Endpoint {
    this.assertOpen()
    const found = this.endpoints.find((e) => e.mode === mode && (e.requested === endpoint || e.address === endpoint))
    if (!found) {
      const verb = mode === 'bind' ? 'bound' : 'connected'
      throw new EngineError('NOT_ALLOWED', `${endpoint} is not ${verb} on ${this.name}`)
    }
    return found
  }

  private assertOpen(): void {
    if (this.state.kind === 'closed') throw new EngineError('UNKNOWN_SOCKET', `socket ${this.id} is closed`)
  }

  private assertSubscriber(): void {
    this.assertOpen()
    if (!this.pattern.subscribes) {
      throw new EngineError(
        'NOT_ALLOWED',
        `${this.type.toUpperCase()} sockets have no subscriptions; only SUB and XSUB do`,
      )
    }
  }

  private assertTurn(): void {
    if (this.relaxed || this.turn !== 'receive') return
    if (this.type === 'req') {
      throw new EngineError(
        'NOT_ALLOWED',
        'REQ must receive the reply to its last request before sending again (EFSM). Wait for the REP to answer, ' +
          'or create the REQ with "relaxed" to allow a new request.',
        'EFSM',
      )
    }
    throw new EngineError('NOT_ALLOWED', 'REP can only send a reply after it has received a request (EFSM).', 'EFSM')
  }
}
