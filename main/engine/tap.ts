// One tap: a capturing proxy between the user's own processes, made of two ways (tap-way.ts) that share its
// pause state. Paused, a tap keeps receiving and holds what arrives, in order, until resume or step; at the
// hold limit it stops receiving, so ZeroMQ queues and its high-water marks push back on the sender, as without
// the tap. Four times a second it judges each side's flow and marks requests without a reply.
import { performance } from 'node:perf_hooks'
import type { TapFamily, TapState, TapSummary, TapWay } from '../../contract/taps'
import { EngineError, fromZmq } from './errors'
import type { ManagedSocket } from './socket'
import { RequestCorrelation } from './tap-correlation'
import { nextSideFlow, TICK_MS } from './tap-flow'
import { tapSummary, type TapSide } from './tap-summary'
import { TapWayPump, type WayContext } from './tap-way'

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

export interface TapHooks {
  /** The tap's summary moved: the next batch carries the tap list. */
  changed(): void
  ringDrops(socketId: string): number
}

export class Tap {
  private state: TapState = { kind: 'open' }
  /** Paused with `next` armed: step found nothing held, so the next message to arrive, either way, goes through. */
  private control: { kind: 'forwarding' } | { kind: 'paused'; next: 'hold' | 'forward' } = { kind: 'forwarding' }
  private readonly ways: Record<TapWay, TapWayPump>
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
    this.correlation = family === 'reqrep' ? new RequestCorrelation(settings.replyTimeoutMs) : undefined
    const context = this.wayContext()
    this.ways = {
      down: new TapWayPump('down', upstream, downstream, context),
      up: new TapWayPump('up', downstream, upstream, context),
    }
    downstream.port.onDisconnect(() => {
      if (downstream.port.peers() === 0) this.correlation?.serviceLost(performance.now())
    })
    this.ticker = setInterval(() => this.tick(), TICK_MS)
    this.ticker.unref()
    void this.ways.down.run()
    // PUSH never receives: nothing comes back up a pipeline.
    if (downstream.socket.pattern.canReceive) void this.ways.up.run()
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
      void way.drain()
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
      this.control = { kind: 'paused', next: 'forward' }
      return
    }
    const way = upHead === undefined || (downHead !== undefined && downHead.entryId < upHead.entryId) ? down : up
    way.credit++
    void way.drain()
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

  /** Whether the tap forwarded anything since the last call (its counters moved). */
  takeMoved(): boolean {
    const { down, up } = this.ways
    const moved = down.moved || up.moved
    down.moved = up.moved = false
    return moved
  }

  private wayContext(): WayContext {
    return {
      correlation: this.correlation,
      isOpen: () => this.state.kind === 'open',
      isPaused: () => this.control.kind === 'paused',
      admit: () => {
        const control = this.control
        if (control.kind === 'forwarding') return true
        if (control.next === 'hold') return false
        this.control = { kind: 'paused', next: 'hold' }
        return true
      },
      holdFull: () => this.holdFull(),
      room: () => new Promise<void>((resolve) => this.roomWaiters.push(resolve)),
      releaseRoom: () => this.releaseRoom(),
      changed: () => this.hooks.changed(),
      fail: (what, error) => this.fail(what, error),
    }
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
