// What a recording says about the setup that produced it: sockets without their secrets, as MCAP metadata
// (string values; the structured parts as JSON) and as channel metadata.
import type { SocketOptions } from '../../../contract/schemas'
import type { RecordedSocket } from '../../../contract/recordings'
import type { SocketSummary } from '../../../contract/views'

/** Options as a recording (or a workspace without secrets) keeps them: CURVE secret keys and PLAIN passwords out. */
export function publicOptions(options: SocketOptions): Record<string, unknown> {
  const { curve, plain, ...rest } = options
  const out: Record<string, unknown> = { ...rest }
  if (curve !== undefined) {
    out.curve =
      curve.role === 'server'
        ? { role: 'server', publicKey: curve.publicKey }
        : {
            role: 'client',
            serverKey: curve.serverKey,
            publicKey: curve.publicKey,
          }
  }
  if (plain !== undefined) {
    out.plain =
      plain.role === 'server'
        ? { role: 'server', usernames: (plain.users ?? []).map((u) => u.username) }
        : { role: 'client', username: plain.username }
  }
  return out
}

export function recordedSocket(summary: SocketSummary, options: SocketOptions): RecordedSocket {
  return {
    id: summary.id,
    name: summary.name,
    type: summary.type,
    endpoints: summary.endpoints.map((e) => ({ mode: e.mode, requested: e.requested, address: e.address })),
    subscriptions: summary.subscriptions.map((s) => s.hex),
    options: publicOptions(options),
  }
}
