// The browser host's bridge: the same ZeroscopeBridge as Electron's preload, over one WebSocket.
import type { ZeroscopeBridge } from '../../preload/api-types'
import type { ChannelName } from '../../preload/channels'
import type { EngineEvent, Result } from '../../preload/views'

const lost: Result<never> = {
  ok: false,
  error: { code: 'INTERNAL', message: 'connection to the ZeroScope host was lost' },
}

export function connectWebSocketBridge(onClose: (reason: string) => void): Promise<ZeroscopeBridge> {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  // The token rides along in the query (and in the HttpOnly cookie the page load set).
  const socket = new WebSocket(`${scheme}://${location.host}/ws${location.search}`)
  const pending = new Map<number, (result: Result<unknown>) => void>()
  const listeners = new Set<(event: EngineEvent) => void>()
  let nextId = 1

  socket.addEventListener('message', (message: MessageEvent<string>) => {
    const frame = JSON.parse(message.data) as { id?: number; result?: Result<unknown>; event?: EngineEvent }
    if (frame.event) for (const listener of listeners) listener(frame.event)
    else if (typeof frame.id === 'number' && frame.result) {
      pending.get(frame.id)?.(frame.result)
      pending.delete(frame.id)
    }
  })
  socket.addEventListener('close', (event) => {
    for (const resolve of pending.values()) resolve(lost)
    pending.clear()
    onClose(event.reason || `connection closed (code ${event.code})`)
  })

  const bridge: ZeroscopeBridge = {
    host: 'browser',
    invoke(channel: ChannelName, payload: unknown): Promise<Result<unknown>> {
      if (socket.readyState !== WebSocket.OPEN) return Promise.resolve(lost)
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        socket.send(JSON.stringify({ id, channel, payload }))
      })
    },
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }

  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve(bridge), { once: true })
    socket.addEventListener(
      'error',
      () => reject(new Error('cannot reach the ZeroScope host (wrong token or host stopped?)')),
      { once: true },
    )
  })
}
