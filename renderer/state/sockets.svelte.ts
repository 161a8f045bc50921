// Sockets as the engine reports them, plus the actions the sidebar offers.
import { Channel } from '../../contract/channels'
import type { FrameInput, SocketOptions } from '../../contract/schemas'
import type { CurveKeyPair, PresetName, SocketCounters, SocketSummary, SocketType } from '../../contract/views'
import { requireApi } from './session.svelte'

export interface NewSocket {
  type: SocketType
  name: string
  mode: 'bind' | 'connect'
  /** One or more endpoints, separated by spaces or commas. */
  endpoint: string
  subscribe: string
  options?: SocketOptions
}

/** An action's outcome for the form that started it. */
export type Outcome = { kind: 'done' } | { kind: 'failed'; message: string }

export interface Rate {
  msgsIn: number
  msgsOut: number
  bytesIn: number
  bytesOut: number
}

const HISTORY_SECONDS = 60

class SocketsState {
  list = $state.raw<SocketSummary[]>([])
  /** The last minute of per-second rates, oldest first; the last one is the current rate. */
  history = $state.raw<Record<string, Rate[]>>({})
  private previous: Record<string, Rate> = {}

  /** Called once a second: rates are the counter deltas since the last call. */
  sampleRates(): void {
    const now: Record<string, Rate> = {}
    const history: Record<string, Rate[]> = {}
    for (const s of this.list) {
      const c = s.counters
      now[s.id] = { msgsIn: c.msgsIn, msgsOut: c.msgsOut, bytesIn: c.bytesIn, bytesOut: c.bytesOut }
      const before = this.previous[s.id] ?? now[s.id]!
      const rate = {
        msgsIn: c.msgsIn - before.msgsIn,
        msgsOut: c.msgsOut - before.msgsOut,
        bytesIn: c.bytesIn - before.bytesIn,
        bytesOut: c.bytesOut - before.bytesOut,
      }
      history[s.id] = [...(this.history[s.id] ?? []), rate].slice(-HISTORY_SECONDS)
    }
    this.previous = now
    this.history = history
  }

  /** After an outage the counters jumped: the next sample is a new baseline, not one huge second. */
  restartRates(): void {
    this.previous = {}
  }

  /** Another engine (the host restarted): its socket ids name other sockets, so their history is not ours. */
  forgetRates(): void {
    this.previous = {}
    this.history = {}
  }

  replace(list: SocketSummary[]): void {
    this.list = list
  }

  applyCounters(counters: SocketCounters[]): void {
    if (counters.length === 0) return
    const byId = new Map(counters.map((c) => [c.socketId, c]))
    this.list = this.list.map((s) => {
      const update = byId.get(s.id)
      return update ? { ...s, counters: update } : s
    })
  }

  name(socketId: string): string {
    return this.list.find((s) => s.id === socketId)?.name ?? socketId
  }
}

export const sockets = new SocketsState()

/** Everything a new socket needs; the form, the console and "duplicate" all create sockets through this. */
export interface SocketSpec {
  type: SocketType
  name?: string
  options?: SocketOptions
  mode: 'bind' | 'connect'
  endpoints: string[]
  subscriptions: FrameInput[]
}

export type Created = { kind: 'done'; socket: SocketSummary } | { kind: 'failed'; message: string }

export function specFromForm(form: NewSocket): SocketSpec {
  return {
    type: form.type,
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    ...(form.options ? { options: form.options } : {}),
    mode: form.mode,
    endpoints: splitEndpoints(form.endpoint),
    subscriptions: form.type === 'sub' || form.type === 'xsub' ? [{ enc: 'text', data: form.subscribe }] : [],
  }
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
  const result = await requireApi().call(channel, { socketId, prefix: { enc, data: prefix } })
  return result.ok ? { kind: 'done' } : { kind: 'failed', message: result.error.message }
}

export function splitEndpoints(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean)
}

export async function generateKeyPair(): Promise<CurveKeyPair | string> {
  const result = await requireApi().call(Channel.curveKeypair, {})
  return result.ok ? result.value : result.error.message
}

export async function renameSocket(socketId: string, name: string): Promise<Outcome> {
  const result = await requireApi().call(Channel.socketRename, { socketId, name })
  return result.ok ? { kind: 'done' } : { kind: 'failed', message: result.error.message }
}

/** Same type, subscriptions and connect endpoints; binds are left out (the addresses are taken). */
export function duplicateSocket(socket: SocketSummary): Promise<Created> {
  return createSocket({
    type: socket.type,
    name: `${socket.name} copy`.slice(0, 120),
    mode: 'connect',
    endpoints: socket.endpoints.filter((e) => e.mode === 'connect').map((e) => e.requested),
    subscriptions: socket.subscriptions.map((sub) =>
      sub.text !== null ? { enc: 'text', data: sub.text } : { enc: 'hex', data: sub.hex },
    ),
  })
}

export async function closeSocket(socketId: string): Promise<Outcome> {
  const result = await requireApi().call(Channel.socketClose, { socketId })
  return result.ok ? { kind: 'done' } : { kind: 'failed', message: result.error.message }
}

export async function startPreset(preset: PresetName): Promise<Outcome> {
  const result = await requireApi().call(Channel.presetStart, { preset })
  return result.ok ? { kind: 'done' } : { kind: 'failed', message: result.error.message }
}
