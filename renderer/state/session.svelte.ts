// Connection to the host: connect, load the engine's current state, then follow its events. A reload or a
// second window re-syncs from the engine, which keeps sockets, counters and the capture ring.
import type { Api } from '../lib/api'
import { connectApi } from '../lib/api'
import { Channel } from '../../preload/channels'
import type { CaptureStats, EngineInfo } from '../../preload/views'
import { log } from './log.svelte'
import { sockets } from './sockets.svelte'
import { terminal } from './terminal.svelte'
import { events } from './events.svelte'

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
    switch (event.type) {
      case 'sockets':
        return sockets.replace(event.sockets)
      case 'batch':
        log.append(event.batch.entries, event.batch.skipped)
        sockets.applyCounters(event.batch.counters)
        terminal.entries(event.batch.entries)
        events.add(event.batch.timeline)
        session.capture = event.batch.capture
        return
      case 'terminal-output':
        return terminal.deliver(event.chunks)
      case 'terminal-exit':
        return terminal.exited(event.exit)
    }
  })
  const [info, list, recent, shells] = await Promise.all([
    api.call(Channel.engineInfo, {}),
    api.call(Channel.socketList, {}),
    api.call(Channel.logQuery, { limit: 1000 }),
    api.call(Channel.terminalList, {}),
  ])
  if (!info.ok) {
    session.connection = { kind: 'failed', message: info.error.message }
    return
  }
  if (list.ok) sockets.replace(list.value)
  if (recent.ok) log.seed(recent.value)
  if (shells.ok) terminal.adopt(shells.value)
  session.capture = info.value.capture
  session.connection = { kind: 'ready', info: info.value }
  setInterval(() => sockets.sampleRates(), 1000)
}
