// What the sidebar and the console do to sockets through the API. The engine answers with events (a new socket
// list), which the session applies to the sockets state: these actions never touch it themselves.
import { Channel } from '../../contract/channels'
import type { CurveKeyPair, PresetName, SocketSummary } from '../../contract/views'
import { requireApi } from '../lib/api'
import { duplicateSpec, type Created, type SocketSpec } from '../lib/socket-spec'

/** An action's outcome for the form that started it. */
export type Outcome = { kind: 'done' } | { kind: 'failed'; message: string }

function outcome(result: { ok: true } | { ok: false; error: { message: string } }): Outcome {
  return result.ok ? { kind: 'done' } : { kind: 'failed', message: result.error.message }
}

/** Creates, subscribes, then binds or connects; a failing step closes the half-made socket again. */
export async function createSocket(spec: SocketSpec): Promise<Created> {
  const api = requireApi()
  const created = await api.call(Channel.socketCreate, {
    type: spec.type,
    ...(spec.name ? { name: spec.name } : {}),
    ...(spec.options ? { options: spec.options } : {}),
  })
  if (!created.ok) return { kind: 'failed', message: created.error.message }
  const socketId = created.value.id
  // Subscribe before connecting: the subscription then travels with the handshake instead of after it.
  for (const prefix of spec.subscriptions) {
    const subscribed = await api.call(Channel.socketSubscribe, { socketId, prefix })
    if (!subscribed.ok) return rollback(socketId, subscribed.error.message)
  }
  let socket = created.value
  for (const endpoint of spec.endpoints) {
    const attached =
      spec.mode === 'bind'
        ? await api.call(Channel.socketBind, { socketId, endpoint })
        : await api.call(Channel.socketConnect, { socketId, endpoint })
    if (!attached.ok) return rollback(socketId, attached.error.message)
    socket = attached.value
  }
  return { kind: 'done', socket }
}

async function rollback(socketId: string, message: string): Promise<Created> {
  await requireApi().call(Channel.socketClose, { socketId })
  return { kind: 'failed', message }
}

export async function subscription(
  socketId: string,
  action: 'subscribe' | 'unsubscribe',
  prefix: string,
  enc: 'text' | 'hex',
): Promise<Outcome> {
  const channel = action === 'subscribe' ? Channel.socketSubscribe : Channel.socketUnsubscribe
  return outcome(await requireApi().call(channel, { socketId, prefix: { enc, data: prefix } }))
}

export async function generateKeyPair(): Promise<CurveKeyPair | string> {
  const result = await requireApi().call(Channel.curveKeypair, {})
  return result.ok ? result.value : result.error.message
}

export async function renameSocket(socketId: string, name: string): Promise<Outcome> {
  return outcome(await requireApi().call(Channel.socketRename, { socketId, name }))
}

export function duplicateSocket(socket: SocketSummary): Promise<Created> {
  return createSocket(duplicateSpec(socket))
}

export async function closeSocket(socketId: string): Promise<Outcome> {
  return outcome(await requireApi().call(Channel.socketClose, { socketId }))
}

export async function startPreset(preset: PresetName): Promise<Outcome> {
  return outcome(await requireApi().call(Channel.presetStart, { preset }))
}
