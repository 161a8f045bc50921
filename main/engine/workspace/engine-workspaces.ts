// How the engine meets its workspaces: the setup read from the registry, rebuilt through the engine's own
// methods (so a restored socket is checked, capped and monitored like any other).
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { SocketOptions } from '../../../contract/schemas'
import type { WorkspaceChange } from '../../../contract/workspace-schema'
import type { SocketSummary, SocketType } from '../../../contract/views'
import type { ManagedSocket } from '../socket'
import type { TapRegistry } from '../tap-registry'
import { Workspaces } from './workspaces'
import type { EngineDecoders } from '../decode/engine-decoders'
import { restoreDecoders, savedDecoders } from './workspace-decoders'

/** The engine's public methods a workspace is rebuilt with (named here: engine.ts imports this module). */
export interface EngineMethods {
  readonly taps: TapRegistry
  readonly decoders: EngineDecoders
  create(type: SocketType, name?: string, options?: SocketOptions): SocketSummary
  close(socketId: string): Promise<null>
  bind(socketId: string, endpoint: string): Promise<SocketSummary>
  connect(socketId: string, endpoint: string): Promise<SocketSummary>
  subscribeBytes(socketId: string, prefix: Buffer): SocketSummary
}

export function engineWorkspaces(
  engine: EngineMethods,
  sockets: ReadonlyMap<string, ManagedSocket>,
  folder: string | undefined,
  changed: (change: WorkspaceChange) => void,
): Workspaces {
  return new Workspaces(
    folder ?? join(homedir(), '.zeroscope', 'workspaces'),
    {
      sockets: () => [...sockets.values()].map((s) => ({ summary: s.summary(), options: s.options })),
      taps: () => engine.taps.creationRequests(),
      clear: async () => {
        engine.decoders.clear()
        await engine.taps.closeAll()
        await Promise.all([...sockets.keys()].map((id) => engine.close(id)))
      },
      create: (type, name, options) => engine.create(type, name, options),
      subscribe: (socketId, prefix) => engine.subscribeBytes(socketId, prefix),
      bind: (socketId, endpoint) => engine.bind(socketId, endpoint),
      connect: (socketId, endpoint) => engine.connect(socketId, endpoint),
      endpointFailed: (socketId, endpoint, mode, message) =>
        sockets.get(socketId)?.endpointFailed(endpoint, mode, message),
      createTap: (request) => engine.taps.create(request),
      decoders: (socketKeys, tapOrder) => savedDecoders(engine.decoders, socketKeys, tapOrder),
      restoreDecoders: (saved, socketIds, tapIds) => restoreDecoders(saved, engine.decoders, socketIds, tapIds),
    },
    changed,
  )
}
