// One managed ZeroMQ socket: endpoints, options, subscriptions, a serialised send path and the receive loop.
// It counts its own traffic and hands each message to the engine's capture through its listener. REQ/REP
// turns (lockstep.ts), endpoint bookkeeping (endpoints.ts) and XPUB's downstream table (downstream.ts) are
// kept in their own modules.
import * as zmq from 'zeromq'
import type { SocketOptions } from '../../contract/schemas'
import type { TapSideName } from '../../contract/taps'
import type { Direction, SocketCounters, SocketState, SocketSummary, SocketType } from '../../contract/views'
import { preview } from './codec'
import { DownstreamSubscriptions } from './downstream'
import { Endpoints } from './endpoints'
import { EngineError, fromZmq } from './errors'
import { watch, type MonitorEvent, type Watch } from './events'
import { Lockstep } from './lockstep'
import { applyOptions, BEFORE_CONNECT_ONLY, DEFAULT_SEND_TIMEOUT_MS } from './options'
import { PATTERNS, type Pattern } from './patterns'
import { createZmqSocket, receiveMeta, sendOn } from './socket-types'
import { SubscriptionList } from './subscriptions'
import { tapPort, type TapPort } from './tap-port'
import { SocketTraffic } from './traffic'

const RECEIVE_REARM_MS = 100

interface Receiver {
  receive(): Promise<unknown[]>
}

/** What the socket tells its owner (the engine). */
export interface SocketListener {
  /** Stores a message the socket has counted (`size`: its frames' total length); returns its capture entry id. */
  captured(socket: ManagedSocket, dir: Direction, frames: Buffer[], size: number, peer: Buffer | undefined): number
  /** How many of the socket's entries the capture ring has dropped: the ring counts those, not the socket. */
  ringDrops(socket: ManagedSocket): number
  monitor(socket: ManagedSocket, event: MonitorEvent): void
  changed(socket: ManagedSocket): void
}

export type ReceivedWatcher = (frames: Buffer[]) => void

/** Who drives the socket: its own receive loop and the user's sends, or a tap that forwards through it. */
export type SocketDrive = { kind: 'own' } | { kind: 'tap'; tapId: string; side: TapSideName }

export class ManagedSocket {
  readonly pattern: Pattern
  readonly traffic = new SocketTraffic()
  private readonly zmq: zmq.Socket
  private readonly endpoints: Endpoints
  private readonly subscriptions = new SubscriptionList()
  private readonly monitor: Watch
  private readonly lockstep: Lockstep
  /** XPUB only: downstream subscriptions, from the 0x01/0x00 messages it receives. */
  private readonly downstream: DownstreamSubscriptions | undefined
  private state: SocketState = { kind: 'open' }
  private sending: Promise<unknown> = Promise.resolve()
  /** Replaced, never mutated, so a watcher that unwatches while being called does not upset the loop over them. */
  private watchers: readonly ReceivedWatcher[] = []
  private closers: (() => void)[] = []
  /** A tap's: its correlation forgets what a dropped service connection took with it. */
  private disconnected: (() => void) | undefined
  /** What the user set (create and set-options merged), as recordings and workspaces describe the socket. */
  private chosen: SocketOptions

  constructor(
    readonly id: string,
    public name: string,
    readonly type: SocketType,
    options: SocketOptions,
    private readonly listener: SocketListener,
    defaultSendTimeout: number = DEFAULT_SEND_TIMEOUT_MS,
    private readonly drive: SocketDrive = { kind: 'own' },
  ) {
    this.pattern = PATTERNS[type]
    this.chosen = { ...options }
    this.zmq = createZmqSocket(type)
    this.endpoints = new Endpoints(this.zmq, () => this.assertOpen())
    this.lockstep = new Lockstep(this.pattern.lockstep)
    this.downstream = type === 'xpub' ? new DownstreamSubscriptions() : undefined
    try {
      // An inspector's close must be immediate and its sends must not hang forever on an absent peer. ROUTER
      // never waits: zeromq.js would otherwise retry an unknown peer (EHOSTUNREACH) until the timeout. A tap
      // waits as long as it takes, like zmq_proxy: a blocked side is back-pressure, shown, never a dropped message.
      const sendTimeout = type === 'router' ? 0 : drive.kind === 'tap' ? -1 : defaultSendTimeout
      applyOptions(this.zmq, type, { linger: 0, ...(this.pattern.canSend ? { sendTimeout } : {}), ...options })
      if (options.reqRelaxed === true) this.lockstep.setRule('relaxed')
      // Each PLAIN server is its own ZAP domain, so the engine's ZAP handler knows whose users to check.
      if (options.plain?.role === 'server') (this.zmq as unknown as { zapDomain: string }).zapDomain = id
    } catch (error) {
      this.zmq.close()
      throw error
    }
    this.monitor = watch(this.zmq, (event) => this.onMonitor(event))
    // A tap side re-arms only once it has an inproc endpoint (bind, connect): a timed receive costs on every
    // message, and the tap runs its own loops.
    if (drive.kind === 'own' && this.pattern.canReceive) {
      this.rearmReceives()
      void this.receiveLoop()
    }
  }

  /** The port a tap forwards through; only for a socket the tap created as one of its sides. */
  tapPort(): TapPort {
    if (this.drive.kind !== 'tap') throw new EngineError('INTERNAL', `socket ${this.id} is not a tap side`)
    return tapPort(this.zmq, {
      socketId: this.id,
      busy: () => (this.endpoints.inFlight > 0 ? this.endpoints.settled : undefined),
      captured: (frames, peer) => {
        if (this.downstream !== undefined && this.downstream.track(frames[0])) this.listener.changed(this)
        return this.capture('in', frames, peer)
      },
      sent: (frames, peer) => {
        this.traffic.count('out', frames, peer)
        if (this.type === 'xsub' && this.subscriptions.track(frames[0])) this.listener.changed(this)
      },
      sendFailed: () => this.traffic.countSendError(),
      peers: () => this.endpoints.peers(),
      isOpen: () => this.state.kind === 'open',
      onDisconnect: (handler) => (this.disconnected = handler),
    })
  }

  /** Counters with the per-peer table; what each batch carries for a socket that saw traffic. */
  countersView(): SocketCounters {
    return this.traffic.view(this.id, this.listener.ringDrops(this))
  }

  summary(): SocketSummary {
    return {
      id: this.id,
      name: this.name,
      type: this.type,
      state: this.state,
      endpoints: this.endpoints.view(),
      subscriptions: this.subscriptions.view(),
      downstream: this.downstream?.view() ?? [],
      turn: this.lockstep.turn,
      canSend: this.pattern.canSend,
      canReceive: this.pattern.canReceive,
      counters: this.countersView(),
      ...(this.drive.kind === 'tap' ? { tap: { tapId: this.drive.tapId, side: this.drive.side } } : {}),
    }
  }

  async bind(endpoint: string): Promise<void> {
    this.assertOpen()
    if (endpoint.startsWith('inproc://')) this.rearmReceives()
    const { address, plan } = await this.endpoints.bind(endpoint)
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
    if (endpoint.startsWith('inproc://')) this.rearmReceives()
    await this.endpoints.connect(endpoint)
    this.listener.changed(this)
  }

  async unbind(endpoint: string): Promise<void> {
    await this.endpoints.unbind(endpoint, this.name)
    this.listener.changed(this)
  }

  /** An endpoint that could not be made, kept as failed with why (see Endpoints.recordFailure). */
  endpointFailed(requested: string, mode: 'bind' | 'connect', message: string): void {
    this.endpoints.recordFailure(requested, mode, message)
    this.listener.changed(this)
  }

  disconnect(endpoint: string): void {
    this.endpoints.disconnect(endpoint, this.name)
    this.listener.changed(this)
  }

  setOptions(options: SocketOptions): void {
    this.assertOpen()
    const late = BEFORE_CONNECT_ONLY.filter((key) => options[key] !== undefined)
    if (late.length > 0 && this.endpoints.size > 0) {
      throw new EngineError(
        'NOT_ALLOWED',
        `${late.join(', ')} only affect(s) connections made after it is set; set it before bind/connect (or disconnect first)`,
      )
    }
    applyOptions(this.zmq, this.type, options)
    this.chosen = { ...this.chosen, ...options }
    if (options.reqRelaxed !== undefined) this.lockstep.setRule(options.reqRelaxed ? 'relaxed' : 'strict')
    this.listener.changed(this)
  }

  get options(): SocketOptions {
    return { ...this.chosen }
  }

  subscribe(prefix: Buffer): void {
    this.assertSubscriber()
    if (this.type === 'sub') (this.zmq as zmq.Subscriber).subscribe(prefix)
    // XSUB subscribes by sending 0x01 + prefix upstream; the engine does it so XSUB's log shows it too.
    else void this.send([Buffer.concat([Buffer.from([1]), prefix])]).catch(() => {})
    this.subscriptions.add(prefix)
    this.listener.changed(this)
  }

  unsubscribe(prefix: Buffer): void {
    this.assertSubscriber()
    if (!this.subscriptions.has(prefix)) throw new EngineError('NOT_ALLOWED', `not subscribed to ${preview(prefix)}`)
    if (this.type === 'sub') (this.zmq as zmq.Subscriber).unsubscribe(prefix)
    else void this.send([Buffer.concat([Buffer.from([0]), prefix])]).catch(() => {})
    this.subscriptions.remove(prefix)
    this.listener.changed(this)
  }

  /** Sends one multipart message; resolves with the capture entry id of the sent message. */
  send(frames: Buffer[]): Promise<number> {
    this.assertOwnDrive('send on it')
    if (!this.pattern.canSend) {
      throw new EngineError('NOT_ALLOWED', this.pattern.whyNoSend ?? `${this.type.toUpperCase()} sockets cannot send`)
    }
    // Refused out of turn (EFSM); otherwise the turn passes now, and sendNow releases the receive loop once
    // the message is really out.
    this.lockstep.accept()
    // zeromq.js allows one send in flight per socket; chain them so callers may fire concurrently.
    const result = this.sending.then(() => this.endpoints.settled).then(() => this.sendNow(frames))
    this.sending = result.catch(() => {})
    return result
  }

  /** Calls `watcher` with every message the socket receives, until unwatched or closed; only watched sockets pay. */
  watchReceived(watcher: ReceivedWatcher): () => void {
    this.assertOwnDrive('watch what it receives')
    this.watchers = [...this.watchers, watcher]
    return () => {
      this.watchers = this.watchers.filter((w) => w !== watcher)
    }
  }

  /** Runs `closer` when the socket closes: what drives the socket (a timer, a loop) lives as long as it. */
  onClose(closer: () => void): void {
    this.assertOpen()
    this.closers.push(closer)
  }

  async close(): Promise<void> {
    if (this.state.kind === 'closed') return
    this.state = { kind: 'closed' }
    const closers = this.closers
    this.closers = []
    this.watchers = []
    for (const closer of closers) closer()
    this.lockstep.close()
    this.zmq.close()
    await this.monitor.finish()
    this.listener.changed(this)
  }

  private async sendNow(frames: Buffer[]): Promise<number> {
    try {
      await sendOn(this.zmq, this.type, frames)
    } catch (error) {
      this.traffic.countSendError()
      // A failed send leaves REQ free to send again and REP still owing its reply.
      this.lockstep.failed()
      this.listener.changed(this)
      throw this.explainSendError(error)
    }
    if (this.lockstep.sent()) this.listener.changed(this)
    return this.capture('out', frames, this.pattern.routingIdFrame ? frames[0] : undefined)
  }

  private capture(dir: Direction, frames: Buffer[], peer: Buffer | undefined): number {
    const size = this.traffic.count(dir, frames, peer)
    return this.listener.captured(this, dir, frames, size, peer)
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
      if (!this.lockstep.receiveReleased) await this.lockstep.receiveTurn()
      if (this.endpoints.inFlight > 0) await this.endpoints.settled
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
      if (this.downstream !== undefined && this.downstream.track(frames[0])) this.listener.changed(this)
      // REQ got its reply, REP got a request: either way it is their turn to send.
      if (this.lockstep.received()) this.listener.changed(this)
      this.capture('in', frames, peer)
      const watchers = this.watchers
      if (watchers.length > 0) for (const watcher of watchers) watcher(frames)
    }
  }

  /**
   * zeromq.js 6.8 misses the wake-up for a receive that was already pending when an inproc connect happened,
   * so a pending receive is re-armed every RECEIVE_REARM_MS (one timer per idle socket).
   */
  private rearmReceives(): void {
    if (this.pattern.canReceive) (this.zmq as unknown as { receiveTimeout: number }).receiveTimeout = RECEIVE_REARM_MS
  }

  private onMonitor(event: MonitorEvent): void {
    if (this.endpoints.applyMonitor(event)) this.listener.changed(this)
    this.listener.monitor(this, event)
    if (event.kind === 'disconnect') this.disconnected?.()
  }

  private assertOpen(): void {
    if (this.state.kind === 'closed') throw new EngineError('UNKNOWN_SOCKET', `socket ${this.id} is closed`)
  }

  /** A tap's side is the tap's: one sender per zeromq.js socket, and what it forwards is the user's traffic. */
  private assertOwnDrive(what: string): void {
    this.assertOpen()
    if (this.drive.kind === 'tap') {
      throw new EngineError(
        'NOT_ALLOWED',
        `${this.name} is the ${this.drive.side} side of tap ${this.drive.tapId}; the tap forwards on it, so nothing else may ${what}`,
      )
    }
  }

  private assertSubscriber(): void {
    this.assertOwnDrive('change its subscriptions')
    if (!this.pattern.subscribes) {
      throw new EngineError(
        'NOT_ALLOWED',
        `${this.type.toUpperCase()} sockets have no subscriptions; only SUB and XSUB do`,
      )
    }
  }
}
