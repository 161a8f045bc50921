// One tap: a capturing proxy between the user's own processes. Each way (down: requests, publications, tasks;
// up: replies, subscriptions) is a loop that receives on one side and sends on the other, and only then
// captures: forwarding never waits for capture. Per message the tap adds a copy into the ring and two counter
// updates to what a bare zeromq.js loop does (receive, then send); bench P5 measures the difference. Arming
// the next receive before awaiting the send measured no faster here, and needs a rejection handler per message.
// Paused, a tap keeps receiving and holds what arrives, in order, until resume or step; at the hold limit it
// stops receiving, so ZeroMQ queues and its high-water marks push back on the sender, as without the tap.
import { performance } from 'node:perf_hooks'
import type { TapFamily, TapState, TapSummary, TapWay } from '../../contract/taps'
import { EngineError, fromZmq } from './errors'
import type { ManagedSocket } from './socket'
import { RequestCorrelation, type Pair } from './tap-correlation'
import { nextSideFlow, TICK_MS } from './tap-flow'
import { HoldQueue, type HeldMessage } from './tap-hold'
import { tapSummary, type TapSide } from './tap-summary'

/** What a paused tap holds at most before it stops receiving and lets ZeroMQ's queues take over. */
export interface HoldLimit {
  messages: number
  bytes: number
}
export const DEFAULT_HOLD_LIMIT: HoldLimit = { messages: 100_000, bytes: 64 * 1024 * 1024 }

export interface TapSettings {
  /** request/reply: a request without a reply after this long is listed as unanswered. */
  replyTimeoutMs: number
  holdLimit: HoldLimit
}

interface Way {
  way: TapWay
  from: TapSide
  to: TapSide
  held: HoldQueue
  /** The send in flight on `to` (zeromq.js allows one per socket, and this way is its only sender). */
  sending: Promise<void> | undefined
  draining: boolean
  /** Held messages step may still send while paused. */
  credit: number
  sentAtTick: number
  lastMoved: number
}

export interface TapHooks {
  /** The tap's summary moved: the next batch carries the tap list. */
  changed(): void
  ringDrops(socketId: string): number
}

export class Tap {
  private state: TapState = { kind: 'open' }
  private moved = false
  /** Paused with `next` armed: step found nothing held, so the next message to arrive, either way, goes through. */
  private control: { kind: 'forwarding' } | { kind: 'paused'; next: 'hold' | 'forward' } = { kind: 'forwarding' }
  private readonly ways: Record<TapWay, Way>
  private readonly correlation: RequestCorrelation | undefined
  private roomWaiters: (() => void)[] = []
  private readonly ticker: NodeJS.Timeout

  constructor(
    readonly id: string,
    readonly name: string,
    readonly family: TapFamily,
    private readonly upstream: TapSide,
    private readonly downstream: TapSide,
    private readonly rewiring: string,
    private readonly hooks: TapHooks,
    private readonly settings: TapSettings,
  ) {
    const way = (name: TapWay, from: TapSide, to: TapSide): Way => ({
      way: name,
      from,
      to,
      held: new HoldQueue(),
      sending: undefined,
      draining: false,
      credit: 0,
      sentAtTick: 0,
      lastMoved: 0,
    })
    this.ways = { down: way('down', upstream, downstream), up: way('up', downstream, upstream) }
    this.correlation = family === 'reqrep' ? new RequestCorrelation(settings.replyTimeoutMs) : undefined
    downstream.port.onDisconnect(() => {
      if (downstream.port.peers() === 0) this.correlation?.serviceLost(performance.now())
    })
    this.ticker = setInterval(() => this.tick(), TICK_MS)
    this.ticker.unref()
    void this.run(this.ways.down)
    // PUSH never receives: nothing comes back up a pipeline.
    if (downstream.socket.pattern.canReceive) void this.run(this.ways.up)
  }

  get sockets(): readonly ManagedSocket[] {
    return [this.upstream.socket, this.downstream.socket]
  }

  summary(): TapSummary {
    const { down, up } = this.ways
    return tapSummary({
      tap: this,
      state: this.state,
      flow:
        this.control.kind === 'paused'
          ? {
              kind: 'paused',
              held: { down: down.held.length, up: up.held.length },
              heldBytes: down.held.bytes + up.held.bytes,
              full: this.holdFull(),
            }
          : { kind: 'forwarding' },
      upstream: this.upstream,
      downstream: this.downstream,
      ringDrops: this.hooks.ringDrops,
      inFlight: this.correlation?.inFlight ?? 0,
      rewiring: this.rewiring,
    })
  }

  stats(): { summary: TapSummary; correlation: ReturnType<RequestCorrelation['view']> | null } {
    return { summary: this.summary(), correlation: this.correlation?.view(performance.now()) ?? null }
  }

  pair(entryId: number): ReturnType<RequestCorrelation['pair']> {
    return this.correlation?.pair(entryId, performance.now())
  }

  pause(): void {
    this.control = { kind: 'paused', next: 'hold' }
    this.hooks.changed()
  }

  resume(): void {
    this.control = { kind: 'forwarding' }
    for (const way of [this.ways.down, this.ways.up]) {
      way.credit = 0
      void this.drain(way)
    }
    this.releaseRoom()
    this.hooks.changed()
  }

  /** Forwards exactly one message: the oldest held, or (none held) the next to arrive. Stays paused. */
  step(): void {
    if (this.control.kind === 'forwarding') {
      throw new EngineError(
        'NOT_ALLOWED',
        `tap ${this.id} is forwarding; pause it first, then step one message at a time`,
      )
    }
    const { down, up } = this.ways
    const downHead = down.held.peek()
    const upHead = up.held.peek()
    if (downHead === undefined && upHead === undefined) {
      if (this.control.kind === 'paused') this.control = { kind: 'paused', next: 'forward' }
      return
    }
    const way = upHead === undefined || (downHead !== undefined && downHead.entryId < upHead.entryId) ? down : up
    way.credit++
    void this.drain(way)
  }

  /** Stops forwarding; the registry closes the side sockets, which ends the loops' pending receives. */
  close(): void {
    if (this.state.kind === 'closed') return
    this.state = { kind: 'closed' }
    clearInterval(this.ticker)
    this.ways.down.held.clear()
    this.ways.up.held.clear()
    this.releaseRoom()
  }

  private async run(way: Way): Promise<void> {
    const { from, to } = way
    for (;;) {
      let frames: Buffer[]
      try {
        frames = await from.port.receive()
      } catch (error) {
        if (!this.receiving(from)) return
        const code = (error as { code?: string }).code
        // EAGAIN: the idle re-arm (socket.ts); EBUSY: a bind or unbind in flight on this side.
        if (code !== 'EAGAIN' && code !== 'EBUSY') return this.fail(`${from.plan.role} side: receive`, error)
        await from.port.busy()
        continue
      }
      if (this.state.kind !== 'open') return
      // A reply is matched on arrival: the latency wanted is the service's, not the time a paused tap held it.
      const answered = this.matchReply(way, frames)
      const control = this.control
      if ((control.kind === 'forwarding' || control.next === 'forward') && way.held.length === 0 && !way.draining) {
        if (control.kind === 'paused') this.control = { kind: 'paused', next: 'hold' }
        // Registered before the send: the service's reply can be handled before this send's promise settles.
        const pending = this.expectReply(way, frames)
        way.sending = to.port.send(frames)
        let sent = true
        try {
          await way.sending
        } catch (error) {
          sent = await this.sendFailed(way, frames, error)
        }
        way.sending = undefined
        const entryId = this.capture(way, frames, answered)
        if (sent) this.forwarded(way, frames, entryId, pending)
        continue
      }
      this.hold(way, frames, this.capture(way, frames, answered))
      if (this.holdFull()) await new Promise<void>((resolve) => this.roomWaiters.push(resolve))
      if (this.state.kind !== 'open') return
    }
  }

  private hold(way: Way, frames: Buffer[], entryId: number): void {
    let size = 0
    for (const frame of frames) size += frame.length
    way.held.push({ way: way.way, frames, size, entryId, peer: this.peerOf(frames) })
    void this.drain(way)
    this.hooks.changed()
  }

  /** Stores the message in the capture ring; a matched reply learns its entry id. */
  private capture(way: Way, frames: Buffer[], answered: Pair | undefined): number {
    const entryId = way.from.port.captured(frames, this.peerOf(frames))
    if (answered !== undefined) this.correlation!.identifyReply(answered, entryId)
    return entryId
  }

  private matchReply(way: Way, frames: Buffer[]): Pair | undefined {
    if (way.way !== 'up' || this.correlation === undefined || frames[0] === undefined) return undefined
    return this.correlation.reply(frames[0].toString('hex'), performance.now())
  }

  private peerOf(frames: Buffer[]): Buffer | undefined {
    return this.correlation !== undefined ? frames[0] : undefined
  }

  /** A request about to go to the service: the correlation waits for its reply from now on. */
  private expectReply(way: Way, frames: Buffer[]): Pair | undefined {
    if (way.way !== 'down' || this.correlation === undefined || frames[0] === undefined) return undefined
    return this.correlation.request(frames[0].toString('hex'), performance.now())
  }

  /** Counts a message out of `to`; a request learns its capture entry id. */
  private forwarded(way: Way, frames: Buffer[], entryId: number, pending: Pair | undefined): void {
    way.to.port.sent(frames, this.peerOf(frames))
    if (pending !== undefined) this.correlation!.identify(pending, entryId)
    // A flag, not a call: this runs per message, and the capture has already scheduled the next batch.
    this.moved = true
  }

  /** Whether the tap forwarded anything since the last call (its counters moved). */
  takeMoved(): boolean {
    const moved = this.moved
    this.moved = false
    return moved
  }

  /** Sends held messages in order while forwarding, or as many as steps allow while paused. */
  private async drain(way: Way): Promise<void> {
    if (way.draining || way.sending !== undefined) return
    way.draining = true
    try {
      for (;;) {
        const held: HeldMessage | undefined = way.held.peek()
        const paused = this.control.kind === 'paused'
        if (held === undefined || this.state.kind !== 'open' || (paused && way.credit === 0)) break
        if (paused) way.credit--
        const pending = this.expectReply(way, held.frames)
        way.sending = way.to.port.send(held.frames)
        let sent = true
        try {
          await way.sending
        } catch (error) {
          sent = await this.sendFailed(way, held.frames, error)
        }
        way.sending = undefined
        way.held.shift()
        if (sent) this.forwarded(way, held.frames, held.entryId, pending)
        if (!this.holdFull()) this.releaseRoom()
      }
    } finally {
      way.draining = false
    }
  }

  /**
   * A bind in flight on the sending side (EBUSY) is waited out and the send retried; any other failure (a
   * ROUTER_MANDATORY side with the client gone) is counted on the side as a send error, and the message stays
   * in the capture without counting as forwarded. True if the retry sent it.
   */
  private async sendFailed(way: Way, frames: Buffer[], error: unknown): Promise<boolean> {
    const busy = (error as { code?: string }).code === 'EBUSY' && way.to.port.isOpen()
    if (busy) {
      await way.to.port.busy()
      const retried = await way.to.port.send(frames).then(
        () => true,
        () => false,
      )
      if (retried) return true
    }
    if (way.to.port.isOpen()) way.to.port.sendFailed()
    return false
  }

  private holdFull(): boolean {
    const { down, up } = this.ways
    const { messages, bytes } = this.settings.holdLimit
    return down.held.length + up.held.length >= messages || down.held.bytes + up.held.bytes >= bytes
  }

  private releaseRoom(): void {
    const waiters = this.roomWaiters
    this.roomWaiters = []
    for (const resolve of waiters) resolve()
  }

  private receiving(side: TapSide): boolean {
    return this.state.kind === 'open' && side.port.isOpen()
  }

  private fail(what: string, error: unknown): void {
    if (this.state.kind !== 'open') return
    this.state = { kind: 'error', message: fromZmq(what, error).message }
    this.hooks.changed()
  }

  /** Blocked sends (no peer, or every peer at its high-water mark) and unanswered requests, four times a second. */
  private tick(): void {
    const now = performance.now()
    let moved = this.correlation?.sweep(now) ?? false
    for (const way of [this.ways.down, this.ways.up]) {
      const sent = way.to.socket.traffic.msgsOut
      if (sent !== way.sentAtTick) way.lastMoved = now
      const flow = nextSideFlow(way.to.flow, {
        sent,
        sentBefore: way.sentAtTick,
        sending: way.sending !== undefined,
        peers: way.to.port.peers(),
        quietMs: now - way.lastMoved,
      })
      way.sentAtTick = sent
      if (flow !== way.to.flow) {
        way.to.flow = flow
        moved = true
      }
    }
    if (moved) this.hooks.changed()
  }
}
