// Pairs each request a request/reply tap forwards with its reply, per client routing id. A REQ client has one
// request outstanding at a time, so its pairing is exact; a DEALER client may have several, and their replies
// are paired in order (FIFO) — exact for services that answer in order, which the view says it assumed.
import type { TapClientStats, TapCorrelation, TapPair } from '../../contract/taps'
import { LatencyRecorder } from './tap-histogram'

/** Pairs remembered for tap:pair, newest kept: enough for every row a user can scroll to in the live log. */
const MAX_PAIRS = 100_000
/** Outstanding requests per client; past it the oldest is forgotten (counted as timed out). */
const MAX_OUTSTANDING_PER_CLIENT = 10_000
const MAX_CLIENTS = 10_000
const SLOWEST = 10
const MAX_UNANSWERED_SHOWN = 50
const MAX_CLIENTS_SHOWN = 200

interface Pending {
  pair: Pair
  timedOut: boolean
}

interface ClientCounts {
  requests: number
  replies: number
  timedOut: number
  latencySumUs: number
  pending: Pending[]
}

/** `requestId` is -1 between the send and the capture that follows it (see `request`). */
export interface Pair {
  requestId: number
  replyId: number | null
  client: string
  latencyUs: number | null
  at: number
  lost?: true
}

export class RequestCorrelation {
  private readonly clients = new Map<string, ClientCounts>()
  private readonly byRequest = new Map<number, Pair>()
  private readonly byReply = new Map<number, Pair>()
  private readonly latencies = new LatencyRecorder()
  private slowest: Pair[] = []
  private timedOut = 0
  private unmatchedReplies = 0
  private lostWithService = 0
  private readonly fifoClients = new Set<string>()
  private outstanding = 0

  constructor(readonly replyTimeoutMs: number) {}

  get inFlight(): number {
    return this.outstanding
  }

  /**
   * A request is being sent to the service at `at` (performance.now() ms). Registered before the send, since
   * the reply may be handled before the send's own continuation runs; its entry id follows with `identify`
   * once it is captured (forwarding comes before capture).
   */
  request(client: string, at: number): Pair | undefined {
    const counts = this.client(client)
    if (counts === undefined) return undefined
    counts.requests++
    if (counts.pending.length > 0) this.fifoClients.add(client)
    if (counts.pending.length >= MAX_OUTSTANDING_PER_CLIENT) {
      const forgotten = counts.pending.shift()!
      if (!forgotten.timedOut) this.countTimeout(counts)
      this.outstanding--
    }
    const pair: Pair = { requestId: -1, replyId: null, client, latencyUs: null, at }
    counts.pending.push({ pair, timedOut: false })
    this.outstanding++
    return pair
  }

  /** The captured entry of a request registered with `request`. */
  identify(pair: Pair, requestId: number): void {
    pair.requestId = requestId
    this.remember(pair)
  }

  /**
   * A reply for `client` came back from the service at `at`: matched on arrival, before it is forwarded (the
   * client's next request may be handled before the forward's continuation); its entry id follows.
   */
  reply(client: string, at: number): Pair | undefined {
    const counts = this.clients.get(client)
    const pending = counts?.pending.shift()
    if (counts === undefined || pending === undefined) {
      this.unmatchedReplies++
      return undefined
    }
    this.outstanding--
    counts.replies++
    const pair = pending.pair
    const latencyUs = Math.max(0, (at - pair.at) * 1000)
    counts.latencySumUs += latencyUs
    this.latencies.record(latencyUs)
    pair.latencyUs = latencyUs
    this.noteSlow(pair)
    return pair
  }

  /** The captured entry of a reply matched by `reply`. */
  identifyReply(pair: Pair, replyId: number): void {
    pair.replyId = replyId
    this.byReply.set(replyId, pair)
  }

  /**
   * The service side has no connection left as of `at`: what it was sent before then went down with it (libzmq
   * drops what a dead connection had taken; what is still queued in its pipe goes out after a reconnect, and
   * was sent after the last reply, so the rule cannot tell those apart: it keeps only what came after `at`).
   */
  serviceLost(at: number): void {
    for (const counts of this.clients.values()) {
      while (counts.pending.length > 0 && counts.pending[0]!.pair.at < at) {
        const { pair } = counts.pending.shift()!
        pair.lost = true
        this.outstanding--
        this.lostWithService++
      }
    }
  }

  /** Marks requests older than the timeout as unanswered; true if any was newly marked. */
  sweep(now: number): boolean {
    let marked = false
    for (const counts of this.clients.values()) {
      for (const pending of counts.pending) {
        if (now - pending.pair.at < this.replyTimeoutMs) break
        if (!pending.timedOut) {
          pending.timedOut = true
          this.countTimeout(counts)
          marked = true
        }
      }
    }
    return marked
  }

  pair(entryId: number, now: number): TapPair | undefined {
    const pair = this.byRequest.get(entryId) ?? this.byReply.get(entryId)
    return pair === undefined ? undefined : this.pairView(pair, now)
  }

  view(now: number): TapCorrelation {
    const unanswered: TapPair[] = []
    const clients: TapClientStats[] = []
    for (const [client, counts] of this.clients) {
      for (const pending of counts.pending) {
        if (!pending.timedOut || unanswered.length >= MAX_UNANSWERED_SHOWN) break
        unanswered.push(this.pairView(pending.pair, now))
      }
      if (clients.length < MAX_CLIENTS_SHOWN) {
        clients.push({
          client,
          requests: counts.requests,
          replies: counts.replies,
          outstanding: counts.pending.length,
          timedOut: counts.timedOut,
          meanLatencyUs: counts.replies === 0 ? null : counts.latencySumUs / counts.replies,
        })
      }
    }
    unanswered.sort((a, b) => a.requestId - b.requestId)
    return {
      histogram: this.latencies.view(),
      slowest: this.slowest.map((pair) => this.pairView(pair, now)),
      unanswered,
      timedOut: this.timedOut,
      replyTimeoutMs: this.replyTimeoutMs,
      clients,
      fifoClients: this.fifoClients.size,
      unmatchedReplies: this.unmatchedReplies,
      lostWithService: this.lostWithService,
    }
  }

  private client(client: string): ClientCounts | undefined {
    let counts = this.clients.get(client)
    // A ROUTER facing churning anonymous clients would otherwise grow this map forever.
    if (counts === undefined && this.clients.size < MAX_CLIENTS) {
      counts = { requests: 0, replies: 0, timedOut: 0, latencySumUs: 0, pending: [] }
      this.clients.set(client, counts)
    }
    return counts
  }

  private countTimeout(counts: ClientCounts): void {
    counts.timedOut++
    this.timedOut++
  }

  private remember(pair: Pair): void {
    this.byRequest.set(pair.requestId, pair)
    if (this.byRequest.size > MAX_PAIRS) {
      const oldest = this.byRequest.values().next().value as Pair
      this.byRequest.delete(oldest.requestId)
      if (oldest.replyId !== null) this.byReply.delete(oldest.replyId)
    }
  }

  private noteSlow(pair: Pair): void {
    const last = this.slowest[this.slowest.length - 1]
    if (this.slowest.length >= SLOWEST && last !== undefined && (last.latencyUs ?? 0) >= pair.latencyUs!) return
    this.slowest = [...this.slowest, pair].sort((a, b) => b.latencyUs! - a.latencyUs!).slice(0, SLOWEST)
  }

  private pairView(pair: Pair, now: number): TapPair {
    return {
      requestId: pair.requestId,
      replyId: pair.replyId,
      client: pair.client,
      latencyUs: pair.latencyUs,
      waitingMs: pair.replyId === null && pair.lost !== true ? now - pair.at : null,
      ...(pair.lost === true ? { lost: true as const } : {}),
    }
  }
}
