// REQ/REP lockstep as one state. It answers two questions that differ for a moment: whose move it is (what a
// send is checked against, and what the socket list shows), and whether the receive loop may ask libzmq for a
// message (libzmq answers a receive out of turn with EFSM). A send passes the turn as soon as it is accepted,
// so a second send is refused at once, but the receive loop is released only once the message is really out.
import type { Turn } from '../../contract/views'
import { EngineError } from './errors'
import type { Pattern } from './patterns'

export type LockstepState =
  /** Not REQ/REP: sends and receives in any order. */
  | { kind: 'free' }
  /** REQ before a request or after its reply; REP owing the reply to a request. Receiving is held. */
  | { kind: 'may-send' }
  /** A send was accepted and is not out yet: the turn has passed, but receiving is still held. */
  | { kind: 'sending' }
  /** The message is out: REQ awaits its reply, REP (from the start) its next request. Receiving is released. */
  | { kind: 'awaiting' }

/** reqRelaxed: a REQ may send a new request before the reply to the last one (libzmq drops that reply). */
export type TurnRule = 'strict' | 'relaxed'

// One object per state: transitions happen per message on REQ/REP and must not allocate.
const FREE: LockstepState = { kind: 'free' }
const MAY_SEND: LockstepState = { kind: 'may-send' }
const SENDING: LockstepState = { kind: 'sending' }
const AWAITING: LockstepState = { kind: 'awaiting' }

export class Lockstep {
  private current: LockstepState
  private waiters: (() => void)[] = []

  constructor(
    private readonly role: Pattern['lockstep'],
    private rule: TurnRule = 'strict',
  ) {
    this.current = role === 'send-first' ? MAY_SEND : role === 'receive-first' ? AWAITING : FREE
  }

  get state(): LockstepState {
    return this.current
  }

  /** Whose move it is, as the contract shows it. */
  get turn(): Turn {
    switch (this.current.kind) {
      case 'free':
        return 'free'
      case 'may-send':
        return 'send'
      case 'sending':
      case 'awaiting':
        return 'receive'
    }
  }

  /** Whether the receive loop may ask libzmq for a message now; checked per message, so a plain compare. */
  get receiveReleased(): boolean {
    return this.current === AWAITING || this.current === FREE
  }

  setRule(rule: TurnRule): void {
    this.rule = rule
  }

  /** A send is being accepted: refused out of turn (EFSM), otherwise the turn passes now. */
  accept(): void {
    switch (this.current.kind) {
      case 'free':
        return
      case 'may-send':
        this.current = SENDING
        return
      case 'sending':
      case 'awaiting':
        // Relaxed: the new request may go; the state stays (a reply to the earlier one may still be received).
        if (this.rule === 'relaxed') return
        throw this.outOfTurn()
    }
  }

  /** The accepted message is out: receiving is released. Returns whether the turn state changed. */
  sent(): boolean {
    if (this.current === FREE) return false
    this.current = AWAITING
    this.releaseWaiters()
    return true
  }

  /**
   * The accepted send failed: REQ gets its turn back and REP still owes its reply. A relaxed REQ whose earlier
   * request is out stays awaiting that reply: the failed request never reached libzmq.
   */
  failed(): void {
    if (this.current === SENDING) this.current = MAY_SEND
  }

  /** A message arrived (REQ's reply, REP's request): their move. Returns whether the turn state changed. */
  received(): boolean {
    if (this.current === FREE) return false
    this.current = MAY_SEND
    return true
  }

  /** Resolves once receiving is released (the message is out) or the socket closes. */
  receiveTurn(): Promise<void> {
    if (this.receiveReleased) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /** The socket closed: a receive loop waiting for its turn is let go (it sees the socket closed). */
  close(): void {
    this.releaseWaiters()
  }

  private releaseWaiters(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const release of waiters) release()
  }

  private outOfTurn(): EngineError {
    if (this.role === 'send-first') {
      return new EngineError(
        'NOT_ALLOWED',
        'REQ must receive the reply to its last request before sending again (EFSM). Wait for the REP to answer, ' +
          'or create the REQ with "relaxed" to allow a new request.',
        'EFSM',
      )
    }
    return new EngineError('NOT_ALLOWED', 'REP can only send a reply after it has received a request (EFSM).', 'EFSM')
  }
}
