// What a new socket is made of, whoever asks for one (the form, the console, "duplicate"). Pure: the action that
// carries a spec out lives in state/socket-actions.ts.
import { MAX_NAME } from '../../contract/limits'
import type { FrameInput, SocketOptions } from '../../contract/schemas'
import type { SocketSummary, SocketType } from '../../contract/views'

/** The new-socket form's fields, as typed. */
export interface NewSocket {
  type: SocketType
  name: string
  mode: 'bind' | 'connect'
  /** One or more endpoints, separated by spaces or commas. */
  endpoint: string
  subscribe: string
  options?: SocketOptions
}

/** Everything a new socket needs. */
export interface SocketSpec {
  type: SocketType
  name?: string
  options?: SocketOptions
  mode: 'bind' | 'connect'
  endpoints: string[]
  subscriptions: FrameInput[]
}

export type Created = { kind: 'done'; socket: SocketSummary } | { kind: 'failed'; message: string }

export function splitEndpoints(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean)
}

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

/** Same type, subscriptions and connect endpoints; binds are left out (the addresses are taken). */
export function duplicateSpec(socket: SocketSummary): SocketSpec {
  return {
    type: socket.type,
    name: `${socket.name} copy`.slice(0, MAX_NAME),
    mode: 'connect',
    endpoints: socket.endpoints.filter((e) => e.mode === 'connect').map((e) => e.requested),
    subscriptions: socket.subscriptions.map((sub) =>
      sub.text !== null ? { enc: 'text', data: sub.text } : { enc: 'hex', data: sub.hex },
    ),
  }
}
