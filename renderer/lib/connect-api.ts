// Picks the host behind the page: Electron's preload (window.zeroscope) or the browser host's WebSocket. Only the
// session connects; everything else takes the Api it made through lib/api.ts.
import type { ChannelName } from '../../contract/channels'
import type { Request, Response } from '../../contract/schemas'
import type { Result } from '../../contract/views'
import type { Api } from './api'
import { connectWebSocketBridge } from './ws-bridge'

export function connectApi(): Api {
  const bridge = window.zeroscope
  if (bridge) {
    // Electron's IPC does not drop: the link is open for as long as the window exists.
    return {
      host: bridge.host,
      call: <C extends ChannelName>(channel: C, request: Request<C>) =>
        bridge.invoke(channel, request) as Promise<Result<Response<C>>>,
      onEvent: (listener) => bridge.onEvent(listener),
      onLink(listener) {
        listener({ kind: 'open' })
        return () => {}
      },
      close() {},
    }
  }
  const linked = connectWebSocketBridge()
  return {
    host: linked.host,
    call: <C extends ChannelName>(channel: C, request: Request<C>) =>
      linked.invoke(channel, request) as Promise<Result<Response<C>>>,
    onEvent: (listener) => linked.onEvent(listener),
    onLink: (listener) => linked.onLink(listener),
    close: () => linked.close(),
  }
}
