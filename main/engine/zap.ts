// ZAP handler (ZeroMQ RFC 27) so PLAIN servers can authenticate: libzmq asks inproc://zeromq.zap.01 about every
// PLAIN handshake and refuses it when nobody answers. An inspector accepts any credentials unless the socket
// names its users, and reports every decision to the timeline.
import * as zmq from 'zeromq'
import type { MonitorEvent } from './events'

export interface ZapDecision {
  address: string
  username: string
  accepted: boolean
}

export type PlainUsers = ReadonlyMap<string, string>

const ZAP_ENDPOINT = 'inproc://zeromq.zap.01'

export class ZapHandler {
  private readonly socket = new zmq.Reply({ linger: 0 })
  private readonly ready: Promise<void>
  private readonly loop: Promise<void>
  /** Per ZAP domain (one per PLAIN server socket); absent or empty = accept anyone. */
  private readonly users = new Map<string, PlainUsers>()

  constructor(private readonly onDecision: (domain: string, decision: ZapDecision) => void) {
    this.ready = this.socket.bind(ZAP_ENDPOINT)
    this.loop = this.serve()
  }

  async register(domain: string, users: PlainUsers): Promise<void> {
    this.users.set(domain, users)
    await this.ready
  }

  unregister(domain: string): void {
    this.users.delete(domain)
  }

  async close(): Promise<void> {
    // Unbind first: inproc endpoints are released at once, whereas close() frees them only when libzmq reaps
    // the socket, and a new engine in the same process would then find the ZAP address still taken.
    await this.ready.then(() => this.socket.unbind(ZAP_ENDPOINT)).catch(() => {})
    this.socket.close()
    await this.loop
  }

  private async serve(): Promise<void> {
    try {
      await this.ready
      for await (const frames of this.socket) {
        const [version, requestId, domain, address, , mechanism, username, password] = frames.map(
          (f) => f ?? Buffer.alloc(0),
        )
        const user = username?.toString() ?? ''
        const known = this.users.get(domain?.toString() ?? '')
        const accepted =
          mechanism?.toString() !== 'PLAIN' || !known || known.size === 0 || known.get(user) === password?.toString()
        this.onDecision(domain?.toString() ?? '', { address: address?.toString() ?? '', username: user, accepted })
        await this.socket.send([
          version ?? '1.0',
          requestId ?? '',
          accepted ? '200' : '400',
          accepted ? 'OK' : 'unknown user or wrong password',
          user,
          '',
        ])
      }
    } catch {
      // Closing the socket ends the loop.
    }
  }
}

/**
 * The engine's PLAIN servers: one ZAP handler for all of them, started with the first, each decision reported
 * as a timeline event of the server it was for (each server is its own ZAP domain, named by its socket id).
 */
export class PlainServers {
  private handler: ZapHandler | undefined

  constructor(private readonly report: (socketId: string, event: MonitorEvent) => void) {}

  add(socketId: string, users: readonly { username: string; password: string }[]): void {
    this.handler ??= new ZapHandler((domain, decision) =>
      this.report(domain, {
        kind: decision.accepted ? 'auth:accepted' : 'auth:refused',
        address: decision.address,
        error: `PLAIN user "${decision.username}"`,
      }),
    )
    this.handler
      .register(socketId, new Map(users.map((u) => [u.username, u.password])))
      .catch((error: unknown) =>
        this.report(socketId, { kind: 'auth:unavailable', error: `ZAP handler could not start: ${String(error)}` }),
      )
  }

  remove(socketId: string): void {
    this.handler?.unregister(socketId)
  }

  async close(): Promise<void> {
    await this.handler?.close()
    this.handler = undefined
  }
}
