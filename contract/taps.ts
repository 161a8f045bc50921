// Tap shapes: a tap is a capturing proxy the engine inserts between the user's own processes. Type-only apart
// from the family table, so every bundle can take it.
/** The socket types a tap's sides use (a subset of views' SocketType; spelled here so taps.ts imports nothing). */
export type TapSocketType = 'router' | 'dealer' | 'xsub' | 'xpub' | 'pull' | 'push'

export const TAP_FAMILIES = ['reqrep', 'pubsub', 'pipeline'] as const
export type TapFamily = (typeof TAP_FAMILIES)[number]

/** A tap's two sides, named by where the primary messages (requests, publications, tasks) come from and go. */
export type TapSideName = 'upstream' | 'downstream'

/**
 * Which way a tapped message went: `down` is upstream -> downstream (client -> service, publisher ->
 * subscriber, producer -> consumer); `up` is the way back (replies, subscriptions).
 */
export type TapWay = 'down' | 'up'

export interface TapFamilyShape {
  /** The words a user of the family uses for each side; also the side keys of tap:create. */
  roles: Record<TapSideName, string>
  socketTypes: Record<TapSideName, TapSocketType>
  /** How each side usually meets the user's processes, for the form's defaults. */
  defaultModes: Record<TapSideName, 'bind' | 'connect'>
  /** Labels of the two ways, as log rows show them. */
  ways: Record<TapWay, string>
}

export const TAP_SHAPES = {
  reqrep: {
    roles: { upstream: 'clients', downstream: 'service' },
    socketTypes: { upstream: 'router', downstream: 'dealer' },
    defaultModes: { upstream: 'bind', downstream: 'connect' },
    ways: { down: 'client → service', up: 'service → client' },
  },
  pubsub: {
    roles: { upstream: 'publishers', downstream: 'subscribers' },
    socketTypes: { upstream: 'xsub', downstream: 'xpub' },
    defaultModes: { upstream: 'connect', downstream: 'bind' },
    ways: { down: 'publisher → subscriber', up: 'subscription ↑' },
  },
  pipeline: {
    roles: { upstream: 'producers', downstream: 'consumers' },
    socketTypes: { upstream: 'pull', downstream: 'push' },
    // The classic ventilator binds and its workers connect: the tap connects to it and binds for the workers.
    defaultModes: { upstream: 'connect', downstream: 'bind' },
    // PUSH never receives, so nothing goes up a pipeline tap.
    ways: { down: 'producer → consumer', up: 'consumer → producer' },
  },
} as const satisfies Record<TapFamily, TapFamilyShape>

/** What a side is doing with the messages it has to send on. */
export type TapSideFlow =
  | { kind: 'idle' }
  | { kind: 'flowing' }
  /** A send has waited this long: no peer to take it, or every peer is at its high-water mark. */
  | { kind: 'blocked'; sinceMs: number; reason: 'no-peer' | 'high-water-mark' }

export interface TapSideView {
  side: TapSideName
  role: string
  socketId: string
  socketType: TapSocketType
  mode: 'bind' | 'connect'
  /** What the user asked for and what ZeroMQ resolved it to (a wildcard port becomes a real one). */
  requested: string
  address: string
  flow: TapSideFlow
}

export interface TapWayCounters {
  messages: number
  bytes: number
}

/** Forwarding, or paused with messages held in order (both ways) until resume or step. */
export type TapFlow =
  | { kind: 'forwarding' }
  | {
      kind: 'paused'
      /** Held messages per way and their bytes; at the hold limit the tap stops receiving and ZeroMQ queues. */
      held: Record<TapWay, number>
      heldBytes: number
      full: boolean
    }

export type TapState = { kind: 'open' } | { kind: 'closed' } | { kind: 'error'; message: string }

export interface TapSummary {
  id: string
  name: string
  family: TapFamily
  state: TapState
  flow: TapFlow
  upstream: TapSideView
  downstream: TapSideView
  forwarded: Record<TapWay, TapWayCounters>
  /** Entries of this tap's messages the capture ring evicted before anyone read them (counted, never silent). */
  captureDrops: number
  /** request/reply: requests forwarded that have no reply yet. */
  inFlight: number
  /** The one sentence the user needs: where to point their processes. */
  rewiring: string
}

export interface LatencyHistogram {
  /** Upper bound of each bucket, in microseconds (the last bucket is unbounded). */
  boundsUs: number[]
  counts: number[]
  count: number
  p50Us: number | null
  p95Us: number | null
  p99Us: number | null
  maxUs: number | null
}

/** A request and, once it came, its reply: entry ids of the capture, client routing id in hex. */
export interface TapPair {
  requestId: number
  replyId: number | null
  client: string
  latencyUs: number | null
  /** Still waiting: milliseconds since the request was forwarded. */
  waitingMs: number | null
  /** The service's connection dropped while this request was with it: no reply will come. */
  lost?: true
}

export interface TapClientStats {
  client: string
  requests: number
  replies: number
  outstanding: number
  timedOut: number
  meanLatencyUs: number | null
}

export interface TapCorrelation {
  histogram: LatencyHistogram
  slowest: TapPair[]
  /** Requests still without a reply after replyTimeoutMs, oldest first. */
  unanswered: TapPair[]
  timedOut: number
  replyTimeoutMs: number
  clients: TapClientStats[]
  /** Clients that had several requests outstanding at once: their replies are paired in order (FIFO). */
  fifoClients: number
  /** Replies for a client with nothing outstanding (a service answering twice, or after a tap restart). */
  unmatchedReplies: number
  /**
   * Requests the service had when its last connection dropped: their replies will never come, so they leave
   * the FIFO (later replies pair with later requests). Requests queued while no service was connected stay.
   */
  lostWithService: number
}

export interface TapStats {
  summary: TapSummary
  /** request/reply taps only. */
  correlation: TapCorrelation | null
}
