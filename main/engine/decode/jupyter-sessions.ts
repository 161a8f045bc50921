// Jupyter kernel sessions: a kernel's IOPub observed with a SUB, or every channel led through taps that a
// frontend reaches with a "tapped" connection file. Every message on a session's sockets is decoded on capture
// (threading needs them all); any other socket costs one Map lookup.
import { mkdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { EntryDecode } from '../../../contract/decoders'
import {
  JUPYTER_CHANNELS,
  type JupyterChannel,
  type JupyterMode,
  type JupyterSession,
  type JupyterThreads as JupyterThreadsView,
} from '../../../contract/jupyter'
import type { TapCreateRequest } from '../../../contract/schemas'
import type { TapSummary } from '../../../contract/taps'
import type { EngineEvent, SocketSummary, SocketType } from '../../../contract/views'
import { writeFileAtomic } from '../atomic-file'
import { EngineError } from '../errors'
import { fromFs } from '../fs-errors'
import { endpointsOf, keyOf, parseConnectionFile, tappedConnection, type KernelConnection } from './jupyter-connection'
import { JupyterThreads } from './jupyter-threads'
import { decodeJupyter, type JupyterKey } from './jupyter-wire'

/** What sessions need of the engine. */
export interface JupyterWiring {
  create(type: SocketType, name: string): SocketSummary
  subscribeAll(socketId: string): unknown
  connect(socketId: string, endpoint: string): Promise<unknown>
  close(socketId: string): Promise<unknown>
  createTap(request: TapCreateRequest): Promise<TapSummary>
  closeTap(tapId: string): Promise<unknown>
  /** Where tapped connection files are written. */
  folder: string
  emit(event: Extract<EngineEvent, { type: 'jupyter' }>): void
}

/** Counts move with every message: the session list goes out at most this often for them. */
const COUNTS_INTERVAL_MS = 1000
const TAP_BIND = 'tcp://127.0.0.1:*'
const TAPPED_IP = '127.0.0.1'

/** Heartbeat pings and IOPub subscriptions cross a session's sockets too, and are not Jupyter messages. */
interface Carries {
  kind: 'messages' | 'raw'
  channel: JupyterChannel
}

type Attachment = { kind: 'observed'; socketId: string } | { kind: 'tapped'; tapIds: string[]; tappedFile: string }

interface SessionState {
  view: JupyterSession
  key: JupyterKey
  threads: JupyterThreads
  attachment: Attachment
  /** Messages on a session socket that are not Jupyter messages (no delimiter, a header that is not JSON…). */
  undecodable: number
}

interface SocketRole {
  session: SessionState
  carries: Carries
}

/** What opening made: the sockets (or taps) to close with the session, and what each socket carries. */
interface Wired {
  attachment: Attachment
  roles: { socketId: string; carries: Carries }[]
}

export class JupyterSessions {
  private readonly sessions = new Map<string, SessionState>()
  private readonly bySocket = new Map<string, SocketRole>()
  /** Tapped files of open sessions, and of sessions opening now. */
  private readonly tappedFiles = new Set<string>()
  private nextSession = 1
  private countsTimer: NodeJS.Timeout | undefined

  constructor(private readonly wiring: JupyterWiring) {}

  get active(): boolean {
    return this.sessions.size > 0
  }

  list(): JupyterSession[] {
    return [...this.sessions.values()].map((session) => ({ ...session.view, sockets: [...session.view.sockets] }))
  }

  async open(name: string, content: string, mode: JupyterMode): Promise<JupyterSession> {
    const parsed = parseConnectionFile(content, name)
    if (!parsed.ok) throw new EngineError('INVALID_REQUEST', parsed.error)
    const connection = parsed.connection
    const sessionId = `jup${this.nextSession++}`
    const kernel = endpointsOf(connection)
    const label = connection.kernel_name !== undefined && connection.kernel_name !== '' ? connection.kernel_name : name
    const view: JupyterSession = { sessionId, name, mode, kernel, sockets: [], messages: 0, badSignatures: 0 }
    const { attachment, roles } =
      mode === 'observe' ? await this.observe(label, kernel.iopub) : await this.tap(sessionId, name, label, connection)
    if (attachment.kind === 'tapped') view.tappedFile = attachment.tappedFile
    view.sockets = roles.map(({ socketId, carries }) => ({ channel: carries.channel, socketId }))
    const session: SessionState = {
      view,
      key: keyOf(connection),
      threads: new JupyterThreads(),
      attachment,
      undecodable: 0,
    }
    this.sessions.set(sessionId, session)
    for (const { socketId, carries } of roles) this.bySocket.set(socketId, { session, carries })
    this.publish()
    return { ...view, sockets: [...view.sockets] }
  }

  private async observe(label: string, iopub: string): Promise<Wired> {
    const socket = this.wiring.create('sub', `${label} iopub`)
    try {
      // Subscribed before connecting: nothing the kernel publishes once connected is filtered away.
      this.wiring.subscribeAll(socket.id)
      await this.wiring.connect(socket.id, iopub)
    } catch (error) {
      await this.wiring.close(socket.id).catch(() => undefined)
      throw error
    }
    const carries: Carries = { kind: 'messages', channel: 'iopub' }
    return { attachment: { kind: 'observed', socketId: socket.id }, roles: [{ socketId: socket.id, carries }] }
  }

  /** A tap per channel and the tapped file; all or nothing, like one tap's two sides. */
  private async tap(sessionId: string, name: string, label: string, connection: KernelConnection): Promise<Wired> {
    const kernel = endpointsOf(connection)
    // jupyter_client gives its shell and stdin DEALERs one identity, and the kernel sends stdin messages to the
    // identities it saw on shell: the two taps' kernel-side DEALERs must look like one peer.
    const routingId = `zeroscope-${sessionId}`
    const made: TapSummary[] = []
    const roles: Wired['roles'] = []
    try {
      const ports = {} as Record<JupyterChannel, number>
      for (const channel of JUPYTER_CHANNELS) {
        const tap = await this.wiring.createTap(tapRequest(channel, `${label} ${channel}`, kernel[channel], routingId))
        made.push(tap)
        ports[channel] = portOf((channel === 'iopub' ? tap.downstream : tap.upstream).address)
        const kind = channel === 'hb' ? 'raw' : 'messages'
        roles.push(
          { socketId: tap.upstream.socketId, carries: { kind, channel } },
          // The subscribers side of IOPub receives only subscriptions.
          { socketId: tap.downstream.socketId, carries: { kind: channel === 'iopub' ? 'raw' : kind, channel } },
        )
      }
      const tappedFile = await this.writeTapped(name, tappedConnection(connection, ports, TAPPED_IP))
      return { attachment: { kind: 'tapped', tapIds: made.map((tap) => tap.id), tappedFile }, roles }
    } catch (error) {
      await Promise.allSettled(made.map((tap) => this.wiring.closeTap(tap.id)))
      throw error
    }
  }

  private async writeTapped(name: string, connection: KernelConnection): Promise<string> {
    const { folder } = this.wiring
    const safe = name.replace(/^.*[\\/]/, '').replace(/[^A-Za-z0-9._-]/g, '_')
    let path = join(folder, `tapped-${safe}`)
    // Two tapped sessions of one file must not overwrite each other's: frontends started later would cross.
    for (let n = 2; this.tappedFiles.has(path); n++) path = join(folder, `tapped-${n}-${safe}`)
    this.tappedFiles.add(path)
    try {
      // The file holds the kernel's key: only its owner may read it (writeFileAtomic creates it 0600).
      await mkdir(folder, { recursive: true, mode: 0o700 })
      await writeFileAtomic(path, [`${JSON.stringify(connection, null, 2)}\n`])
    } catch (error) {
      this.tappedFiles.delete(path)
      throw fromFs(`cannot write the tapped connection file ${path}`, error, `check ${folder}`)
    }
    return path
  }

  captured(entryId: number, socketId: string, frames: readonly Uint8Array[]): void {
    const role = this.bySocket.get(socketId)
    if (role === undefined || role.carries.kind === 'raw') return
    const { session, carries } = role
    try {
      const message = decodeJupyter(frames, session.key, carries.channel)
      session.threads.add(entryId, message, carries.channel)
      session.view.messages++
      if (message.signature.kind === 'invalid') session.view.badSignatures++
    } catch {
      // decode() tells why for the message someone selects; here it only counts.
      session.undecodable++
      return
    }
    this.countsChanged()
  }

  decode(socketId: string, frames: readonly Uint8Array[]): EntryDecode['jupyter'] {
    const role = this.bySocket.get(socketId)
    if (role === undefined || role.carries.kind === 'raw') return undefined
    try {
      return { kind: 'decoded', message: decodeJupyter(frames, role.session.key, role.carries.channel) }
    } catch (error) {
      return { kind: 'failed', error: `not a Jupyter message: ${(error as Error).message}` }
    }
  }

  threads(sessionId: string): JupyterThreadsView {
    const session = this.session(sessionId)
    return { sessionId, threads: session.threads.threads(), dropped: session.threads.dropped }
  }

  async close(sessionId: string): Promise<null> {
    const session = this.session(sessionId)
    const failures = await this.detach(session)
    this.publish()
    // Gone already (closed by hand) is what closing wanted; anything else is worth saying.
    const real = failures.find((error) => !isGone(error))
    if (real !== undefined) throw real
    return null
  }

  /** At shutdown: the engine closes whatever sockets are left, so failures here change nothing. */
  async closeAll(): Promise<void> {
    clearTimeout(this.countsTimer)
    this.countsTimer = undefined
    await Promise.all([...this.sessions.values()].map((session) => this.detach(session)))
  }

  /** Forgets the session first, so nothing its closing sockets still capture is threaded. */
  private async detach(session: SessionState): Promise<unknown[]> {
    this.sessions.delete(session.view.sessionId)
    for (const { socketId } of session.view.sockets) this.bySocket.delete(socketId)
    const { attachment } = session
    const closing =
      attachment.kind === 'observed'
        ? [this.wiring.close(attachment.socketId)]
        : [
            ...attachment.tapIds.map((tapId) => this.wiring.closeTap(tapId)),
            // Its ports die with the taps, and it holds the key.
            unlink(attachment.tappedFile)
              .catch(() => undefined)
              .finally(() => this.tappedFiles.delete(attachment.tappedFile)),
          ]
    const settled = await Promise.allSettled(closing)
    return settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []))
  }

  private session(sessionId: string): SessionState {
    const session = this.sessions.get(sessionId)
    if (session === undefined) {
      throw new EngineError('INVALID_REQUEST', `no Jupyter session ${sessionId} is open`)
    }
    return session
  }

  private countsChanged(): void {
    if (this.countsTimer !== undefined) return
    this.countsTimer = setTimeout(() => {
      this.countsTimer = undefined
      this.publish()
    }, COUNTS_INTERVAL_MS)
    this.countsTimer.unref()
  }

  private publish(): void {
    this.wiring.emit({ type: 'jupyter', sessions: this.list() })
  }
}

/**
 * The frontend's side of every tap binds a free loopback port for the tapped file; the kernel's side connects
 * to the kernel. IOPub is the kernel publishing, so its tap is pub/sub, the rest are request/reply.
 */
function tapRequest(channel: JupyterChannel, name: string, kernel: string, routingId: string): TapCreateRequest {
  const bound = { mode: 'bind', endpoint: TAP_BIND } as const
  const toKernel = { mode: 'connect', endpoint: kernel } as const
  if (channel === 'iopub') return { family: 'pubsub', name, publishers: toKernel, subscribers: bound }
  const service = channel === 'shell' || channel === 'stdin' ? { ...toKernel, options: { routingId } } : toKernel
  return { family: 'reqrep', name, clients: bound, service }
}

function portOf(address: string): number {
  const match = /:(\d+)$/.exec(address)
  if (!match) throw new EngineError('ZMQ_ERROR', `the tap bound ${address}, which has no tcp port to write`)
  return Number(match[1])
}

function isGone(error: unknown): boolean {
  return error instanceof EngineError && (error.code === 'UNKNOWN_SOCKET' || error.code === 'UNKNOWN_TAP')
}
