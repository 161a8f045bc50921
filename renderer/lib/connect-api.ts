// Picks the host behind the page: Electron's preload (window.zeroscope) or the browser host's WebSocket. Only the
// session connects; everything else takes the Api it made through lib/api.ts.
import type { ZeroscopeBridge } from '../../contract/bridge'
import type { ChannelName } from '../../contract/channels'
import type { Request, Response } from '../../contract/schemas'
import type { Result } from '../../contract/views'
import type { Api } from './api'
import { connectWebSocketBridge } from './ws-bridge'

/** Electron's IPC does not drop: the link is open for as long as the window exists. */
const alwaysOpen: Pick<Api, 'onLink' | 'close'> = {
  onLink(listener) {
    listener({ kind: 'open' })
    return () => {}
  },
  close() {},
}

/** The typed Api over either bridge; only the link (whether it can drop, and closing it) differs. */
function apiOver(bridge: ZeroscopeBridge, link: Pick<Api, 'onLink' | 'close'>): Api {
  return {
    host: bridge.host,
    call: <C extends ChannelName>(channel: C, request: Request<C>) =>
      bridge.invoke(channel, request) as Promise<Result<Response<C>>>,
    onEvent: (listener) => bridge.onEvent(listener),
    onLink: (listener) => link.onLink(listener),
    close: () => link.close(),
  }
}

export function connectApi(): Api {
  if (window.zeroscope) return apiOver(window.zeroscope, alwaysOpen)
  const linked = connectWebSocketBridge()
  return apiOver(linked, linked)
}
