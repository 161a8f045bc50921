// The browser host's bridge: the same ZeroscopeBridge as Electron's preload, over one WebSocket. Unlike IPC the
// link can drop (host restarted, laptop asleep, network gone): the bridge then reopens it with back-off and
// reports its state, so the page can say what is going on and re-sync from the engine once it is back.
import type { ZeroscopeBridge } from '../../contract/bridge'
import { WS_PATH, type ChannelName, type WsRequestFrame, type WsServerFrame } from '../../contract/channels'
import { MAX_WS_PAYLOAD_BYTES } from '../../contract/limits'
import { failure, type EngineEvent, type Result } from '../../contract/views'
import { oversizeBytes, requestTooLargeMessage } from './limits'
import { backoffMs, refusalReason, refusedMessage, SLOW_RETRY_MS, type Link, type Refusal } from './link'

export interface LinkedBridge extends ZeroscopeBridge {
  /** Calls `listener` with the current link state, then with every change; returns the unsubscribe function. */
  onLink(listener: (link: Link) => void): () => void
  /** Closes the WebSocket for good: no reconnect, pending requests are answered. */
  close(): void
}

const notConnected = failure(
  'DISCONNECTED',
  'not connected to the ZeroScope host (the page is reconnecting by itself); nothing was sent',
)
const droppedBeforeAnswer = failure(
  'DISCONNECTED',
  'the connection to the ZeroScope host dropped before it answered; the request may or may not have been carried out',
)

type Probe = { kind: 'reachable' } | { kind: 'unreachable' } | { kind: 'refused'; refusal: Refusal }

/**
 * A WebSocket that fails to open tells the page nothing about why (no status, code 1006 either way); the same
 * URL over plain HTTP does: no answer at all, or a 401/403/429 with the host's reason.
 */
async function probe(closed: AbortSignal): Promise<Probe> {
  let response: Response
  try {
    // A host that accepts the connection but never answers counts as not answering, not as a hung page.
    response = await fetch(location.pathname + location.search, {
      cache: 'no-store',
      signal: AbortSignal.any([AbortSignal.timeout(SLOW_RETRY_MS), closed]),
    })
  } catch {
    return { kind: 'unreachable' }
  }
  if (response.status === 401 || response.status === 403 || response.status === 429) {
    const body = await response.text().catch(() => '')
    return { kind: 'refused', refusal: { status: response.status, reason: refusalReason(body, response.statusText) } }
  }
  void response.body?.cancel()
  return { kind: 'reachable' }
}

export function connectWebSocketBridge(): LinkedBridge {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  // The token rides along in the query (and in the HttpOnly cookie the page load set), on every reconnect too.
  const url = `${scheme}://${location.host}${WS_PATH}${location.search}`
  const pending = new Map<number, (result: Result<unknown>) => void>()
  const listeners = new Set<(event: EngineEvent) => void>()
  const linkListeners = new Set<(link: Link) => void>()
  let since = Date.now()
  let link: Link = { kind: 'connecting', attempt: 1, since }
  let socket: WebSocket | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  /** Failed attempts since the link was last open: the back-off grows with them and resets on success. */
  let failures = 0
  let nextId = 1
  /** Aborted by close(): a probe in flight then stops at once instead of running out its timeout. */
  const closing = new AbortController()

  function setLink(next: Link): void {
    link = next
    for (const listener of linkListeners) listener(next)
  }

  function answerPending(): void {
    for (const resolve of pending.values()) resolve(droppedBeforeAnswer)
    pending.clear()
  }

  function wait(message: string, delayMs: number): void {
    const attempt = failures + 1
    setLink({ kind: 'waiting', attempt, nextInMs: delayMs, nextAt: Date.now() + delayMs, since, message })
    timer = setTimeout(() => void retry(attempt), delayMs)
  }

  async function retry(attempt: number): Promise<void> {
    timer = undefined
    setLink({ kind: 'connecting', attempt, since })
    const verdict = await probe(closing.signal)
    if (link.kind === 'closed') return
    switch (verdict.kind) {
      case 'reachable':
        return open()
      case 'unreachable':
        failures++
        return wait(
          `the host at ${location.host} does not answer (stopped, or the network is down)`,
          backoffMs(failures),
        )
      case 'refused':
        // Retrying fast cannot help and feeds the host's failed-attempt limiter: stay at the slow rate.
        failures++
        return wait(refusedMessage(verdict.refusal), SLOW_RETRY_MS)
    }
  }

  function open(): void {
    const ws = new WebSocket(url)
    socket = ws
    ws.addEventListener('open', () => {
      failures = 0
      setLink({ kind: 'open' })
    })
    ws.addEventListener('message', (message: MessageEvent<string>) => {
      const frame = JSON.parse(message.data) as WsServerFrame
      if ('event' in frame) for (const listener of listeners) listener(frame.event)
      else if (typeof frame.id === 'number') {
        pending.get(frame.id)?.(frame.result)
        pending.delete(frame.id)
      }
    })
    ws.addEventListener('close', (event) => {
      if (socket !== ws) return
      socket = undefined
      answerPending()
      if (link.kind === 'closed') return
      const why = event.reason || `code ${event.code}`
      if (link.kind === 'open') {
        since = Date.now()
        failures = 0
        wait(`the connection to the host dropped (${why})`, backoffMs(0))
      } else {
        failures++
        wait(`the host did not accept the WebSocket (${why})`, backoffMs(failures))
      }
    })
  }

  open()

  return {
    host: 'browser',
    invoke(channel: ChannelName, payload: unknown): Promise<Result<unknown>> {
      const ws = socket
      if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.resolve(notConnected)
      const id = nextId++
      const json = JSON.stringify({ id, channel, payload } satisfies WsRequestFrame)
      // The host would close the WebSocket on a frame over its limit, failing every other request with it.
      const bytes = oversizeBytes(json, MAX_WS_PAYLOAD_BYTES)
      if (bytes !== null) {
        return Promise.resolve(failure('LIMIT', requestTooLargeMessage(channel, bytes, MAX_WS_PAYLOAD_BYTES)))
      }
      return new Promise((resolve) => {
        pending.set(id, resolve)
        ws.send(json)
      })
    },
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onLink(listener) {
      linkListeners.add(listener)
      listener(link)
      return () => linkListeners.delete(listener)
    },
    close() {
      if (link.kind === 'closed') return
      setLink({ kind: 'closed' })
      closing.abort()
      if (timer) clearTimeout(timer)
      timer = undefined
      const ws = socket
      socket = undefined
      ws?.close(1000, 'page closed')
      answerPending()
    },
  }
}
