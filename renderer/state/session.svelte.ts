// Connection to the host: connect, load the engine's current state, then follow its events. Every (re)connect
// re-syncs from the engine, which keeps sockets, counters and the capture ring: a reload, a second window and a
// browser host's dropped link that came back are the same case.
import { plots } from './plots.svelte'
import { topicValues } from './topic-values.svelte'
import { provideApi, type Api } from '../lib/api'
import { connectApi } from '../lib/connect-api'
import type { Link } from '../lib/link'
import { Channel } from '../../contract/channels'
import type { CaptureStats, EngineEvent, EngineInfo, Result } from '../../contract/views'
import { log } from './log.svelte'
import { sockets } from './sockets.svelte'
import { terminal } from './terminal.svelte'
import { events } from './events.svelte'
import { taps } from './taps.svelte'
import { recordings } from './recordings.svelte'
import { recordingView } from './recording-view.svelte'
import { settings } from './settings.svelte'
import { workspace } from './workspace.svelte'
import { captureExports } from './exports.svelte'
import { decoders } from './decoders.svelte'
import { jupyter } from './jupyter.svelte'

export type Connection =
  | { kind: 'connecting' }
  | { kind: 'ready'; info: EngineInfo }
  /**
   * No link, or one being re-established; `nextInMs` is 0 while an attempt (or the re-sync after it) runs.
   * `last` is the engine as it was before (null if the page never reached it): what the page shows meanwhile.
   */
  | {
      kind: 'reconnecting'
      attempt: number
      nextInMs: number
      nextAt: number
      since: number
      message: string
      last: EngineInfo | null
    }
  | { kind: 'failed'; message: string }

/** Whether what the page shows of the engine is live, for components that must not pretend it is. */
export type Reach = { kind: 'live' } | { kind: 'unknown'; reason: string }

export function reachOf(connection: Connection): Reach {
  switch (connection.kind) {
    case 'ready':
      return { kind: 'live' }
    case 'reconnecting':
      return { kind: 'unknown', reason: connection.message }
    case 'connecting':
      return { kind: 'unknown', reason: 'connecting' }
    case 'failed':
      return { kind: 'unknown', reason: connection.message }
  }
}

class SessionState {
  connection = $state.raw<Connection>({ kind: 'connecting' })
  capture = $state.raw<CaptureStats | null>(null)
}

export const session = new SessionState()
let stop: (() => void) | undefined

function apply(event: EngineEvent): void {
  switch (event.type) {
    case 'sockets':
      return sockets.replace(event.sockets)
    case 'taps':
      return taps.replace(event.taps)
    case 'recordings':
      return recordings.replace(event.recordings)
    case 'replays':
      return recordings.replaceReplays(event.replays)
    case 'command':
      // Electron's File menu.
      if (event.command.kind === 'recording-open') void recordingView.openFile({ kind: 'ask' }, 'the chosen file')
      else workspace.command(event.command)
      return
    case 'settings':
      return settings.received(event.settings)
    case 'plots':
      return plots.replace(event.plots)
    case 'plot-points':
      return plots.points(event.points)
    case 'workspace':
      return workspace.changed(event.change)
    case 'export-progress':
      return captureExports.progress(event)
    case 'decoders':
      return decoders.replace(event.decoders)
    case 'sequences':
      return decoders.replaceStats(event.stats)
    case 'jupyter':
      return jupyter.replace(event.sessions)
    case 'batch':
      log.append(event.batch.entries, event.batch.skipped)
      topicValues.add(event.batch.entries)
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
}

/**
 * A re-sync in order: events and answers are applied as they arrived on the link, so a snapshot never
 * overwrites a newer event, nor an older event a newer snapshot. They are queued until every answer is in,
 * because whether the old rows may stay depends on which engine answered.
 */
type Step = { kind: 'event'; event: EngineEvent } | { kind: 'answer'; apply: () => void }

class Resync {
  readonly steps: Step[] = []
  stale = false

  constructor(private readonly api: Api) {}

  private ask<T>(request: Promise<Result<T>>, use: (value: T) => void): Promise<Result<T>> {
    return request.then((result) => {
      if (result.ok) this.steps.push({ kind: 'answer', apply: () => use(result.value) })
      return result
    })
  }

  async run(previous: EngineInfo | null): Promise<Result<EngineInfo>> {
    const { api } = this
    const [info, , recent] = await Promise.all([
      this.ask(api.call(Channel.engineInfo, {}), (value) => (session.capture = value.capture)),
      this.ask(api.call(Channel.socketList, {}), (list) => sockets.replace(list)),
      this.ask(api.call(Channel.logQuery, { limit: 1000 }), (entries) => log.seed(entries)),
      this.ask(api.call(Channel.terminalList, {}), (shells) => terminal.adopt(shells)),
      this.ask(api.call(Channel.tapList, {}), (list) => taps.replace(list)),
      this.ask(api.call(Channel.recordingList, {}), (list) => recordings.replace(list)),
      this.ask(api.call(Channel.recordingOpened, {}), (list) => recordingView.adopt(list)),
      this.ask(api.call(Channel.settingsGet, {}), (answer) => settings.adopt(answer)),
      this.ask(api.call(Channel.workspaceCurrent, {}), (current) => workspace.adopt(current)),
      this.ask(api.call(Channel.decoderList, {}), (state) => decoders.replace(state)),
      this.ask(api.call(Channel.jupyterList, {}), (list) => jupyter.replace(list)),
      this.ask(api.call(Channel.sequenceStats, {}), (stats) => decoders.replaceStats(stats)),
      this.ask(api.call(Channel.plotList, {}), (list) => plots.replace(list)),
    ])
    if (this.stale || !info.ok) return info
    if (previous && previous.instance !== info.value.instance) {
      // The host restarted: ids (entries, sockets, timeline) start over, so nothing old may merge with them.
      log.reset()
      events.clear()
      sockets.forgetRates()
      taps.forget()
      // The old host's opened recordings and replays went with it; a source id of the new one names another.
      recordings.forget()
      recordingView.forget()
      workspace.forget()
      plots.forget()
      topicValues.reset()
    }
    log.begin(recent.ok && recent.value[0] ? recent.value[0].id : info.value.capture.lastId + 1)
    for (const step of this.steps) {
      if (step.kind === 'event') apply(step.event)
      else step.apply()
    }
    log.recount()
    sockets.restartRates()
    taps.restartRates()
    return info
  }
}

/** Connects and follows the engine until the returned function (or stopSession) disposes of it all. */
export function startSession(): () => void {
  if (stop) return stop
  const current = connectApi()
  const withdraw = provideApi(current)
  let last: EngineInfo | null = null
  let resync: Resync | undefined

  const offEvent = current.onEvent((event) => {
    if (resync) resync.steps.push({ kind: 'event', event })
    else apply(event)
  })

  const reconnecting = (link: Extract<Link, { kind: 'waiting' | 'connecting' }>, message: string): Connection => ({
    kind: 'reconnecting',
    attempt: link.attempt,
    nextInMs: link.kind === 'waiting' ? link.nextInMs : 0,
    nextAt: link.kind === 'waiting' ? link.nextAt : Date.now(),
    since: link.since,
    message,
    last,
  })
  const previousMessage = (): string =>
    session.connection.kind === 'reconnecting' ? session.connection.message : 'connecting'

  const offLink = current.onLink((link) => {
    if (resync) resync.stale = true
    resync = undefined
    switch (link.kind) {
      case 'connecting':
        // The page's first attempt shows as "connecting"; later ones keep the reason the link went down.
        if (session.connection.kind !== 'connecting') session.connection = reconnecting(link, previousMessage())
        return
      case 'waiting':
        session.connection = reconnecting(link, link.message)
        return
      case 'closed':
        session.connection = { kind: 'failed', message: 'disconnected from the ZeroScope host (the page closed it)' }
        return
      case 'open': {
        const mine = new Resync(current)
        resync = mine
        void mine.run(last).then((info) => {
          if (mine.stale) return
          resync = undefined
          if (!info.ok) {
            session.connection = { kind: 'failed', message: info.error.message }
            return
          }
          last = info.value
          session.connection = { kind: 'ready', info: info.value }
        })
        return
      }
    }
  })

  // Rates are counter deltas: sampled only while they are live (after an outage the first sample restarts).
  const timer = setInterval(() => {
    if (session.connection.kind !== 'ready') return
    sockets.sampleRates()
    taps.sampleRates()
  }, 1000)

  stop = () => {
    clearInterval(timer)
    offEvent()
    offLink()
    if (resync) resync.stale = true
    resync = undefined
    current.close()
    withdraw()
    stop = undefined
  }
  return stop
}

export function stopSession(): void {
  stop?.()
}
