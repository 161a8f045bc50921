// Builds a workspace's setup in the engine: every socket is created, even one whose port is taken or whose
// secret was left out; such an endpoint stays on the socket as failed, with why. Nothing is half-made and
// hidden: what could not be restored is listed.
import type { SocketOptions, TapCreateRequest } from '../../../contract/schemas'
import type { SocketSummary, SocketType } from '../../../contract/views'
import type { WorkspaceFile, WorkspaceOptions } from '../../../contract/workspace-schema'
import { encodeFrame } from '../codec'

export interface SetupTarget {
  create(type: SocketType, name: string, options: SocketOptions): SocketSummary
  subscribe(socketId: string, prefix: Buffer): void
  bind(socketId: string, endpoint: string): Promise<unknown>
  connect(socketId: string, endpoint: string): Promise<unknown>
  endpointFailed(socketId: string, endpoint: string, mode: 'bind' | 'connect', message: string): void
  createTap(request: TapCreateRequest): Promise<{ id: string }>
  /** Replaces the decoder rules with the file's (none when it has none); what could not be restored, in words. */
  restoreDecoders(
    saved: WorkspaceFile['decoders'],
    socketIds: Readonly<Record<string, string>>,
    tapIds: readonly (string | undefined)[],
  ): string[]
}

/** The options if every secret is there; otherwise what is missing, in words. */
function complete(
  options: WorkspaceOptions,
): { kind: 'complete'; options: SocketOptions } | { kind: 'missing'; what: string } {
  const { curve, plain } = options
  if (curve !== undefined && curve.secretKey === undefined) return { kind: 'missing', what: 'its CURVE secret key' }
  if (plain?.role === 'client' && plain.password === undefined) return { kind: 'missing', what: 'its PLAIN password' }
  if (plain?.role === 'server' && (plain.users ?? []).some((u) => u.password === undefined)) {
    return { kind: 'missing', what: "its PLAIN users' passwords" }
  }
  return { kind: 'complete', options: options as SocketOptions }
}

export async function restore(
  file: WorkspaceFile,
  target: SetupTarget,
): Promise<{ socketIds: Record<string, string>; problems: string[] }> {
  const socketIds: Record<string, string> = {}
  const problems: string[] = []
  for (const saved of file.sockets) {
    const checked = complete(saved.options)
    // Without its secret a CURVE/PLAIN socket is created bare and left unbound: never plaintext on its port.
    const { curve: _curve, plain: _plain, ...bare } = saved.options
    const socket = target.create(saved.type, saved.name, checked.kind === 'complete' ? checked.options : bare)
    socketIds[saved.key] = socket.id
    for (const prefix of saved.subscriptions) {
      try {
        target.subscribe(socket.id, encodeFrame(prefix))
      } catch (error) {
        problems.push(`${saved.name}: subscribe: ${(error as Error).message}`)
      }
    }
    for (const { mode, endpoint } of saved.endpoints) {
      if (checked.kind === 'missing') {
        const message = `${checked.what} was left out when the workspace was saved; set it in Options, then ${mode} again`
        target.endpointFailed(socket.id, endpoint, mode, message)
        problems.push(`${saved.name}: ${message}`)
        continue
      }
      try {
        await (mode === 'bind' ? target.bind(socket.id, endpoint) : target.connect(socket.id, endpoint))
      } catch (error) {
        const message = (error as Error).message
        target.endpointFailed(socket.id, endpoint, mode, message)
        problems.push(`${saved.name}: ${message}`)
      }
    }
  }
  const tapIds: (string | undefined)[] = []
  for (const tap of file.taps) {
    try {
      tapIds.push((await target.createTap(tap)).id)
    } catch (error) {
      tapIds.push(undefined)
      problems.push(`tap ${tap.name ?? tap.family}: ${(error as Error).message}`)
    }
  }
  problems.push(...target.restoreDecoders(file.decoders, socketIds, tapIds))
  return { socketIds, problems }
}
