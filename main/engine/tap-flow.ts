// What a tap side is doing with the messages it has to send on, judged four times a second from two numbers
// the forwarding path keeps anyway (messages sent, a send in flight): nothing is timed per message.
import type { TapSideFlow } from '../../contract/taps'

/** How often a tap looks at its sends; also the resolution of "blocked for". */
export const TICK_MS = 250
/** A side that sent nothing for this long is idle rather than flowing. */
const IDLE_MS = 2000

export interface FlowSample {
  /** Messages the side had sent at this tick and at the one before. */
  sent: number
  sentBefore: number
  /** A send has been in flight on the side (the tap's loop waits on it). */
  sending: boolean
  peers: number
  /** Milliseconds since the side last sent something. */
  quietMs: number
}

export function nextSideFlow(current: TapSideFlow, sample: FlowSample): TapSideFlow {
  if (sample.sent !== sample.sentBefore) return current.kind === 'flowing' ? current : { kind: 'flowing' }
  if (sample.sending) {
    // No peer to take it, or every peer at its high-water mark: ZeroMQ blocks the send either way.
    const sinceMs = current.kind === 'blocked' ? current.sinceMs + TICK_MS : TICK_MS
    return { kind: 'blocked', sinceMs, reason: sample.peers === 0 ? 'no-peer' : 'high-water-mark' }
  }
  if (current.kind === 'blocked' || sample.quietMs > IDLE_MS)
    return current.kind === 'idle' ? current : { kind: 'idle' }
  return current
}
