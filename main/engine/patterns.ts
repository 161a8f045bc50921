// What each socket type may do. The engine consults this before touching libzmq so that misuse is answered
// with a sentence about the pattern, not a bare errno.
import type { SocketType } from '../../contract/views'

export interface Pattern {
  canSend: boolean
  canReceive: boolean
  subscribes: boolean
  /** Strict send/receive alternation (REQ starts by sending, REP by receiving). */
  lockstep: 'none' | 'send-first' | 'receive-first'
  /** First frame of every received message is the peer's routing id. */
  routingIdFrame: boolean
  draft: boolean
  /** Why sending is impossible, for the error message. */
  whyNoSend?: string
}

const P = (p: Partial<Pattern>): Pattern => ({
  canSend: true,
  canReceive: true,
  subscribes: false,
  lockstep: 'none',
  routingIdFrame: false,
  draft: false,
  ...p,
})

export const PATTERNS: Record<SocketType, Pattern> = {
  pair: P({}),
  pub: P({ canReceive: false }),
  sub: P({
    canSend: false,
    subscribes: true,
    whyNoSend: 'SUB sockets only receive; change the subscriptions instead, or use XSUB to send upstream',
  }),
  req: P({ lockstep: 'send-first' }),
  rep: P({ lockstep: 'receive-first' }),
  dealer: P({}),
  router: P({ routingIdFrame: true }),
  pull: P({ canSend: false, whyNoSend: 'PULL sockets only receive; use a PUSH socket to send work' }),
  push: P({ canReceive: false }),
  xpub: P({}),
  xsub: P({ subscribes: true }),
  stream: P({ routingIdFrame: true }),
  server: P({ draft: true }),
  client: P({ draft: true }),
  radio: P({ canReceive: false, draft: true }),
  dish: P({ canSend: false, draft: true, whyNoSend: 'DISH sockets only receive; RADIO sends' }),
  gather: P({ canSend: false, draft: true, whyNoSend: 'GATHER sockets only receive; SCATTER sends' }),
  scatter: P({ canReceive: false, draft: true }),
  datagram: P({ routingIdFrame: true, draft: true }),
}
