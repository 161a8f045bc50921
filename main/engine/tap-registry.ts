// The engine's taps: creates a tap's two side sockets through the engine (so they count against the socket
// cap, show in the socket list and report their monitor events like any socket), wires them, and closes them
// with the tap. One tap is all-or-nothing: if either side cannot bind or connect, neither is left behind.
import type { TapCreateRequest } from '../../contract/schemas'
import type { TapPair, TapSideName, TapStats, TapSummary } from '../../contract/taps'
import type { SocketOptions } from '../../contract/schemas'
import type { SocketType } from '../../contract/views'
import { EngineError } from './errors'
import type { ManagedSocket, SocketDrive } from './socket'
import { DEFAULT_HOLD_LIMIT, Tap, type HoldLimit } from './tap'
import type { TapSide } from './tap-summary'
import { assertNoSelfLoop, rewiringSentence, sidePlans, type SidePlan } from './tap-wiring'

const DEFAULT_REPLY_TIMEOUT_MS = 5000
const FAMILY_NAMES = { reqrep: 'REQ/REP', pubsub: 'PUB/SUB', pipeline: 'PUSH/PULL' } as const

/** What the registry needs of the engine. */
export interface TapHost {
  createSocket(type: SocketType, name: string, options: SocketOptions, drive: SocketDrive): ManagedSocket
  closeSocket(socket: ManagedSocket): Promise<void>
  ringDrops(socketId: string): number
  /** A tap moved: the next batch carries the tap list. */
  schedule(): void
}

export class TapRegistry {
  private readonly taps = new Map<string, Tap>()
  /** What each tap was created from: a workspace saves taps as these. */
  private readonly requests = new Map<string, TapCreateRequest>()
  private nextTap = 1
  private moved = false

  constructor(
    private readonly host: TapHost,
    private readonly holdLimit: HoldLimit = DEFAULT_HOLD_LIMIT,
  ) {}

  list(): TapSummary[] {
    return [...this.taps.values()].map((tap) => tap.summary())
  }

  /** Whether any tap moved since the last call; delivery then sends the tap list. */
  takeMoved(): boolean {
    let moved = this.moved
    this.moved = false
    for (const tap of this.taps.values()) if (tap.takeMoved()) moved = true
    return moved
  }

  async create(request: TapCreateRequest): Promise<TapSummary> {
    const id = `tap${this.nextTap++}`
    const name = request.name ?? `${FAMILY_NAMES[request.family]} tap ${id.slice(3)}`
    const plans = sidePlans(request)
    const made: ManagedSocket[] = []
    try {
      const open = (plan: SidePlan): ManagedSocket => {
        const drive: SocketDrive = { kind: 'tap', tapId: id, side: plan.side }
        const options = plan.request.options ?? {}
        const socket = namingSide(plan, () =>
          this.host.createSocket(plan.type, `${name} · ${plan.role}`, options, drive),
        )
        made.push(socket)
        return socket
      }
      const sockets = { upstream: open(plans.upstream), downstream: open(plans.downstream) }
      const addresses: Partial<Record<TapSideName, string>> = {}
      // Binds first, so that a connect can be checked against where this tap itself listens.
      for (const side of ['upstream', 'downstream'] as const) {
        if (plans[side].request.mode !== 'bind') continue
        await onSide(plans[side], () => sockets[side].bind(plans[side].request.endpoint))
        addresses[side] = sockets[side].summary().endpoints[0]?.address ?? plans[side].request.endpoint
      }
      assertNoSelfLoop(request.family, plans, addresses)
      for (const side of ['upstream', 'downstream'] as const) {
        if (plans[side].request.mode !== 'connect') continue
        await onSide(plans[side], () => sockets[side].connect(plans[side].request.endpoint))
        addresses[side] = plans[side].request.endpoint
      }
      const side = (name: TapSideName): TapSide => ({
        plan: plans[name],
        socket: sockets[name],
        port: sockets[name].tapPort(),
        address: addresses[name]!,
        flow: { kind: 'idle' },
      })
      const hooks = { changed: () => this.changed(), ringDrops: (socketId: string) => this.host.ringDrops(socketId) }
      const replyTimeoutMs = request.family === 'reqrep' ? (request.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS) : 0
      const rewiring = rewiringSentence(plans, addresses as Record<TapSideName, string>)
      const tap = new Tap(id, name, request.family, side('upstream'), side('downstream'), rewiring, hooks, {
        replyTimeoutMs,
        holdLimit: this.holdLimit,
      })
      this.taps.set(id, tap)
      this.requests.set(id, request)
      this.changed()
      return tap.summary()
    } catch (error) {
      await Promise.all(made.map((socket) => this.host.closeSocket(socket)))
      throw error
    }
  }

  async close(tapId: string): Promise<null> {
    const tap = this.tap(tapId)
    this.taps.delete(tapId)
    this.requests.delete(tapId)
    tap.close()
    await Promise.all(tap.sockets.map((socket) => this.host.closeSocket(socket)))
    this.changed()
    return null
  }

  pause(tapId: string): TapSummary {
    const tap = this.tap(tapId)
    tap.pause()
    return tap.summary()
  }

  resume(tapId: string): TapSummary {
    const tap = this.tap(tapId)
    tap.resume()
    return tap.summary()
  }

  step(tapId: string): TapSummary {
    const tap = this.tap(tapId)
    tap.step()
    return tap.summary()
  }

  stats(tapId: string): TapStats {
    return this.tap(tapId).stats()
  }

  /** The request or reply paired with a captured entry of a request/reply tap. */
  pair(entryId: number): TapPair {
    for (const tap of this.taps.values()) {
      const pair = tap.pair(entryId)
      if (pair !== undefined) return pair
    }
    throw new EngineError(
      'UNKNOWN_ENTRY',
      `entry ${entryId} is not a request or reply of an open request/reply tap (pairs of the last 100,000 requests are kept)`,
    )
  }

  /** The tap a socket belongs to, if any: its sides are closed with the tap, not on their own. */
  ownerOf(socketId: string): Tap | undefined {
    for (const tap of this.taps.values()) if (tap.sockets.some((s) => s.id === socketId)) return tap
    return undefined
  }

  /** The open taps as they were asked for, oldest first. */
  creationRequests(): { tapId: string; request: TapCreateRequest }[] {
    return [...this.requests.entries()].map(([tapId, request]) => ({ tapId, request }))
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.taps.keys()].map((id) => this.close(id)))
  }

  private changed(): void {
    this.moved = true
    this.host.schedule()
  }

  private tap(tapId: string): Tap {
    const tap = this.taps.get(tapId)
    if (!tap) throw new EngineError('UNKNOWN_TAP', `no tap with id ${tapId}`)
    return tap
  }
}

/** A side's failure names the side: "service side (DEALER): connect tcp://…: …". */
function sideError(plan: SidePlan, error: unknown): unknown {
  if (!(error instanceof EngineError)) return error
  return new EngineError(error.code, `${plan.role} side (${plan.type.toUpperCase()}): ${error.message}`, error.zmqCode)
}

function namingSide<T>(plan: SidePlan, action: () => T): T {
  try {
    return action()
  } catch (error) {
    throw sideError(plan, error)
  }
}

async function onSide(plan: SidePlan, action: () => Promise<void>): Promise<void> {
  try {
    await action()
  } catch (error) {
    throw sideError(plan, error)
  }
}
