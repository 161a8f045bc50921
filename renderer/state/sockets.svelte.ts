// Sockets as the engine reports them, plus the actions the sidebar offers.
import { Channel } from '../../preload/channels'
import type { SocketOptions } from '../../preload/contract'
import type { CurveKeyPair, SocketCounters, SocketSummary, SocketType } from '../../preload/views'
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
  /** Messages per second over the last second, per socket id. */
  rates = $state.raw<Record<string, Rate>>({})
  /** The last minute of per-second rates, oldest first, for the charts. */
  history = $state.raw<Record<string, Rate[]>>({})
  private previous: Record<string, Rate> = {}

  /** Called once a second: rates are the counter deltas since the last call. */
  sampleRates(): void {
    const rates: Record<string, Rate> = {}
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
      rates[s.id] = rate
      history[s.id] = [...(this.history[s.id] ?? []), rate].slice(-HISTORY_SECONDS)
    }
    this.previous = now
    this.rates = rates
    this.history = history
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

export async function createSocket(form: NewSocket): Promise<Outcome> {
  const api = requireApi()
  const created = await api.call(Channel.socketCreate, {
    type: form.type,
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    ...(form.options ? { options: form.options } : {}),
  })
  if (!created.ok) return { kind: 'failed', message: created.error.message }
  const socketId = created.value.id
  // Subscribe before connecting: the subscription then travels with the handshake instead of after it.
  if (form.type === 'sub' || form.type === 'xsub') {
    const subscribed = await api.call(Channel.socketSubscribe, {
      socketId,
      prefix: { enc: 'text', data: form.subscribe },
    })
    if (!subscribed.ok) return rollback(socketId, subscribed.error.message)
  }
  for (const endpoint of splitEndpoints(form.endpoint)) {
    const attached =
      form.mode === 'bind'
        ? await api.call(Channel.socketBind, { socketId, endpoint })
        : await api.call(Channel.socketConnect, { socketId, endpoint })
    if (!attached.ok) return rollback(socketId, attached.error.message)
  }
  return { kind: 'done' }
}

async function rollback(socketId: string, message: string): Promise<Outcome> {
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
export async function duplicateSocket(socket: SocketSummary): Promise<Outcome> {
  const api = requireApi()
  const created = await api.call(Channel.socketCreate, { type: socket.type, name: `${socket.name} copy`.slice(0, 120) })
  if (!created.ok) return { kind: 'failed', message: created.error.message }
  for (const sub of socket.subscriptions) {
    const prefix = sub.text !== null ? { enc: 'text' as const, data: sub.text } : { enc: 'hex' as const, data: sub.hex }
    const done = await api.call(Channel.socketSubscribe, { socketId: created.value.id, prefix })
    if (!done.ok) return rollback(created.value.id, done.error.message)
  }
  for (const endpoint of socket.endpoints.filter((e) => e.mode === 'connect')) {
    const done = await api.call(Channel.socketConnect, { socketId: created.value.id, endpoint: endpoint.requested })
    if (!done.ok) return rollback(created.value.id, done.error.message)
  }
  return { kind: 'done' }
}

export async function closeSocket(socketId: string): Promise<Outcome> {
  const result = await requireApi().call(Channel.socketClose, { socketId })
  return result.ok ? { kind: 'done' } : { kind: 'failed', message: result.error.message }
}

export type PresetName = 'hello' | 'weather' | 'pipeline'

export async function startPreset(preset: PresetName): Promise<Outcome> {
  const result = await requireApi().call(Channel.presetStart, { preset })
  return result.ok ? { kind: 'done' } : { kind: 'failed', message: result.error.message }
}
