// The engine's setup as a workspace file: the user's own sockets (a tap's sides belong to the tap) with their
// options, endpoints as asked for (a wildcard port stays a wildcard) and subscriptions, then the taps as they
// were created. Secrets only when the user asked for them.
import type { SocketOptions, TapCreateRequest } from '../../../contract/schemas'
import type { SocketSummary } from '../../../contract/views'
import {
  WORKSPACE_FORMAT,
  WORKSPACE_VERSION,
  type WorkspaceDecoders,
  type WorkspaceFile,
  type WorkspaceOptions,
  type WorkspaceSocket,
  type WorkspaceUi,
} from '../../../contract/workspace-schema'
import { APP_VERSION } from '../../version'

export interface SetupSource {
  sockets(): { summary: SocketSummary; options: SocketOptions }[]
  taps(): { tapId: string; request: TapCreateRequest }[]
  /** The decoder rules and .proto files, named by the file's socket keys and tap order. */
  decoders(
    socketKeys: ReadonlySet<string>,
    tapOrder: readonly string[],
  ): { saved: WorkspaceDecoders; warnings: string[] }
}

/** Options without CURVE secret keys and PLAIN passwords (public keys and user names stay). */
export function withoutSecrets(options: SocketOptions): WorkspaceOptions {
  const { curve, plain, ...rest } = options
  const out: WorkspaceOptions = { ...rest }
  if (curve !== undefined) {
    out.curve =
      curve.role === 'server'
        ? { role: 'server', publicKey: curve.publicKey }
        : { role: 'client', serverKey: curve.serverKey, publicKey: curve.publicKey }
  }
  if (plain !== undefined) {
    out.plain =
      plain.role === 'server'
        ? { role: 'server', users: (plain.users ?? []).map((u) => ({ username: u.username })) }
        : { role: 'client', username: plain.username }
  }
  return out
}

function usesSecrets(options: SocketOptions | undefined): boolean {
  return options?.curve !== undefined || options?.plain !== undefined
}

export function snapshot(
  source: SetupSource,
  includeSecrets: boolean,
  ui: WorkspaceUi,
): { file: WorkspaceFile; warnings: string[] } {
  const warnings: string[] = []
  const sockets: WorkspaceSocket[] = source
    .sockets()
    .filter(({ summary }) => summary.tap === undefined)
    .map(({ summary, options }) => ({
      key: summary.id,
      type: summary.type,
      name: summary.name,
      options: includeSecrets ? options : withoutSecrets(options),
      endpoints: summary.endpoints.map((e) => ({ mode: e.mode, endpoint: e.requested })),
      subscriptions: summary.subscriptions.map((s) => ({ enc: 'hex' as const, data: s.hex })),
    }))
  const taps: TapCreateRequest[] = []
  const tapOrder: string[] = []
  for (const { tapId, request } of source.taps()) {
    const sides = Object.values(request as Record<string, unknown>).filter(
      (v): v is { options?: SocketOptions } => typeof v === 'object' && v !== null,
    )
    if (!includeSecrets && sides.some((side) => usesSecrets(side.options))) {
      // A tap is all-or-nothing: restoring one side without its security would be a different tap.
      warnings.push(
        `tap ${request.name ?? tapId} uses CURVE or PLAIN on a side and was left out; save with secrets to keep it`,
      )
      continue
    }
    taps.push(request)
    tapOrder.push(tapId)
  }
  const keys = new Set(sockets.map((s) => s.key))
  const decoders = source.decoders(keys, tapOrder)
  warnings.push(...decoders.warnings)
  const savedMessages = ui.savedMessages.map((m) =>
    m.socketKey !== undefined && !keys.has(m.socketKey) ? { name: m.name, frames: m.frames } : m,
  )
  return {
    file: {
      format: WORKSPACE_FORMAT,
      version: WORKSPACE_VERSION,
      savedAt: new Date().toISOString(),
      appVersion: APP_VERSION,
      secrets: includeSecrets ? 'included' : 'omitted',
      sockets,
      taps,
      decoders: decoders.saved,
      ui: { ...ui, savedMessages },
    },
    warnings,
  }
}
