// What a tap gets of the side sockets it drives: libzmq's receive and send without turn-taking or a send chain
// (the tap's loop is a side's only sender), and the socket's own counting and capture. Kept thin: it is the
// forwarding path, called twice per message.
import type * as zmq from 'zeromq'

export interface TapPort {
  readonly socketId: string
  receive(): Promise<Buffer[]>
  send(frames: Buffer[]): Promise<void>
  /** Binds or unbinds in flight: zeromq.js answers receive and send with EBUSY until they settle. */
  busy(): Promise<void> | undefined
  /** Counts a received message and stores it in the capture ring; its entry id. */
  captured(frames: Buffer[], peer: Buffer | undefined): number
  /** Counts a message the tap sent out on this side (the receiving side's entry is its record). */
  sent(frames: Buffer[], peer: Buffer | undefined): void
  sendFailed(): void
  /** Peers connected now, as the monitor reports them: a blocked send with none has no one to go to. */
  peers(): number
  isOpen(): boolean
  /** Called after each monitor event that dropped a connection of this side (the status already applied). */
  onDisconnect(handler: () => void): void
}

interface Raw {
  receive(): Promise<Buffer[]>
  send(frames: Buffer[]): Promise<void>
}

/** The socket's side of the port: everything but libzmq's two calls, which `tapPort` wraps. */
export type TapPortParts = Omit<TapPort, 'receive' | 'send'>

/** zeromq.js throws EBUSY synchronously while a bind is in flight; the tap expects every failure as a rejection. */
export function tapPort(socket: zmq.Socket, parts: TapPortParts): TapPort {
  const raw = socket as unknown as Raw
  return {
    ...parts,
    receive: () => {
      try {
        return raw.receive()
      } catch (error) {
        return Promise.reject(error as Error)
      }
    },
    send: (frames) => {
      try {
        return raw.send(frames)
      } catch (error) {
        return Promise.reject(error as Error)
      }
    },
  }
}
