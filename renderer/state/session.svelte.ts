// Connection to the host: connect, load the engine's current state, then follow its events. A reload or a
// second window re-syncs from the engine, which keeps sockets, counters and the capture ring.
import type { Api } from '../lib/api'
import { connectApi } from '../lib/api'
import { Channel } from '../../preload/channels'
import type { CaptureStats, EngineInfo } from '../../preload/views'
import { log } from './log.svelte'
import { sockets } from './sockets.svelte'

export type Connection =
  | { kind: 'connecting' }
  | { kind: 'ready'; info: EngineInfo }
  | { kind: 'lost'; message: string }
  | { kind: 'failed'; message: string }

class SessionState {
  connection = $state<Connection>({ kind: 'connecting' })
  capture = $state.raw<CaptureStats | null>(null)
}

export const session = new SessionState()
let api: Api | undefined

/** The API for actions; only callable once connected (controls are disabled before). */
export function requireApi(): Api {
  if (!api) throw new Error('not connected to the ZeroScope host')
  return api
}

export async function startSession(): Promise<void> {
  try {
    api = await connectApi((reason) => (session.connection = { kind: 'lost', message: reason }))
  } catch (error) {
    session.connection = { kind: 'failed', message: (error as Error).message }
    return
  }
  api.onEvent((event) => {
    if (event.type === 'sockets') sockets.replace(event.sockets)
    else {
      log.append(event.batch.entries, event.batch.skipped)
      sockets.applyCounters(event.batch.counters)
      session.capture = event.batch.capture
    }
  })
  const [info, list, recent] = await Promise.all([
    api.call(Channel.engineInfo, {}),
    api.call(Channel.socketList, {}),
    api.call(Channel.logQuery, { limit: 1000 }),
  ])
  if (!info.ok) {
    session.connection = { kind: 'failed', message: info.error.message }
    return
  }
  if (list.ok) sockets.replace(list.value)
  if (recent.ok) log.seed(recent.value)
  session.capture = info.value.capture
  session.connection = { kind: 'ready', info: info.value }
}
