// One way of a tap (down: requests, publications, tasks; up: replies, subscriptions): a loop that receives on
// one side, sends on the other, and only then captures, so forwarding never waits for capture. Per message it
// adds a copy into the ring and two counter updates to what a bare zeromq.js loop does (receive, then send);
// bench P5 measures the difference. Arming the next receive before awaiting the send measured no faster here,
// and needs a rejection handler per message. While its tap is paused it holds what arrives, in order.
import { performance } from 'node:perf_hooks'
import type { TapWay } from '../../contract/taps'
import type { Pair, RequestCorrelation } from './tap-correlation'
import { HoldQueue, type HeldMessage } from './tap-hold'
import type { TapSide } from './tap-summary'

/** What a way asks of its tap: the pause state and hold limit both ways share. */
export interface WayContext {
  readonly correlation: RequestCorrelation | undefined
  isOpen(): boolean
  isPaused(): boolean
  /** Whether the next message goes straight through: forwarding, or paused with a step armed (which it takes). */
  admit(): boolean
  holdFull(): boolean
  /** Resolves once there is room to hold again (or the tap closed). */
  room(): Promise<void>
  releaseRoom(): void
  /** Something the tap list shows changed (held counts); forwarded messages only set `moved`. */
  changed(): void
  fail(what: string, error: unknown): void
}

export class TapWayPump {
  readonly held = new HoldQueue()
  /** The send in flight on `to` (zeromq.js allows one per socket, and this way is its only sender). */
  sending: Promise<void> | undefined
  private draining = false
  /** Held messages step may still send while paused. */
  credit = 0
  /** Forwarded since the tap list was last delivered (a flag, set per message). */
  moved = false
  /** For the tap's flow judgement: messages `to` had sent at the last tick, and when it last sent one. */
  sentAtTick = 0
  lastMoved = 0

  constructor(
    readonly way: TapWay,
    readonly from: TapSide,
    readonly to: TapSide,
    private readonly tap: WayContext,
  ) {}

  async run(): Promise<void> {
    const { from, to, tap } = this
    for (;;) {
      let frames: Buffer[]
      try {
        frames = await from.port.receive()
      } catch (error) {
        if (!tap.isOpen() || !from.port.isOpen()) return
        const code = (error as { code?: string }).code
        // EAGAIN: the idle re-arm (socket.ts); EBUSY: a bind or unbind in flight on this side.
        if (code !== 'EAGAIN' && code !== 'EBUSY') return tap.fail(`${from.plan.role} side: receive`, error)
        await from.port.busy()
        continue
      }
      if (!tap.isOpen()) return
      // A reply is matched on arrival: the latency wanted is the service's, not the time a paused tap held it.
      const answered = this.matchReply(frames)
      if (this.held.length === 0 && !this.draining && tap.admit()) {
        // Registered before the send: the service's reply can be handled before this send's promise settles.
        const pending = this.expectReply(frames)
        this.sending = to.port.send(frames)
        let sent = true
        try {
          await this.sending
        } catch (error) {
          sent = await this.sendFailed(frames, error)
        }
        this.sending = undefined
        const entryId = this.capture(frames, answered)
        if (sent) this.forwarded(frames, entryId, pending)
        continue
      }
      this.hold(frames, this.capture(frames, answered))
      if (tap.holdFull()) await tap.room()
      if (!tap.isOpen()) return
    }
  }

  /** Sends held messages in order while forwarding, or as many as steps allow while paused. */
  async drain(): Promise<void> {
    if (this.draining || this.sending !== undefined) return
    this.draining = true
    try {
      for (;;) {
        const held: HeldMessage | undefined = this.held.peek()
        const paused = this.tap.isPaused()
        if (held === undefined || !this.tap.isOpen() || (paused && this.credit === 0)) break
        if (paused) this.credit--
        const pending = this.expectReply(held.frames)
        this.sending = this.to.port.send(held.frames)
        let sent = true
        try {
          await this.sending
        } catch (error) {
          sent = await this.sendFailed(held.frames, error)
        }
        this.sending = undefined
        this.held.shift()
        if (sent) this.forwarded(held.frames, held.entryId, pending)
        if (!this.tap.holdFull()) this.tap.releaseRoom()
      }
    } finally {
      this.draining = false
    }
  }

  private hold(frames: Buffer[], entryId: number): void {
    let size = 0
    for (const frame of frames) size += frame.length
    this.held.push({ way: this.way, frames, size, entryId, peer: this.peerOf(frames) })
    void this.drain()
    this.tap.changed()
  }

  /** Stores the message in the capture ring; a matched reply learns its entry id. */
  private capture(frames: Buffer[], answered: Pair | undefined): number {
    const entryId = this.from.port.captured(frames, this.peerOf(frames))
    if (answered !== undefined) this.tap.correlation!.identifyReply(answered, entryId)
    return entryId
  }

  private matchReply(frames: Buffer[]): Pair | undefined {
    const { correlation } = this.tap
    if (this.way !== 'up' || correlation === undefined || frames[0] === undefined) return undefined
    return correlation.reply(frames[0].toString('hex'), performance.now())
  }

  /** A request about to go to the service: the correlation waits for its reply from now on. */
  private expectReply(frames: Buffer[]): Pair | undefined {
    const { correlation } = this.tap
    if (this.way !== 'down' || correlation === undefined || frames[0] === undefined) return undefined
    return correlation.request(frames[0].toString('hex'), performance.now())
  }

  /** request/reply messages are filed under the client's routing id, both ways. */
  private peerOf(frames: Buffer[]): Buffer | undefined {
    return this.tap.correlation !== undefined ? frames[0] : undefined
  }

  /** Counts a message out of `to`; a request learns its capture entry id. */
  private forwarded(frames: Buffer[], entryId: number, pending: Pair | undefined): void {
    this.to.port.sent(frames, this.peerOf(frames))
    if (pending !== undefined) this.tap.correlation!.identify(pending, entryId)
    this.moved = true
  }

  /**
   * A bind in flight on the sending side (EBUSY) is waited out and the send retried; any other failure (a
   * ROUTER_MANDATORY side with the client gone) is counted on the side as a send error, and the message stays
   * in the capture without counting as forwarded. True if the retry sent it.
   */
  private async sendFailed(frames: Buffer[], error: unknown): Promise<boolean> {
    const { port } = this.to
    if ((error as { code?: string }).code === 'EBUSY' && port.isOpen()) {
      await port.busy()
      const retried = await port.send(frames).then(
        () => true,
        () => false,
      )
      if (retried) return true
    }
    if (port.isOpen()) port.sendFailed()
    return false
  }
}
