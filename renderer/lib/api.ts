// One typed API object over whichever host is behind the page; components never know which. It lives as long
// as the page: a browser host's dropped link is reopened underneath it, listeners kept.
import type { ZeroscopeBridge } from '../../contract/bridge'
import type { ChannelName } from '../../contract/channels'
import type { Request, Response } from '../../contract/schemas'
import type { EngineEvent, Result } from '../../contract/views'
import type { Link } from './link'
import { connectWebSocketBridge } from './ws-bridge'

export interface Api {
  readonly host: ZeroscopeBridge['host']
  call<C extends ChannelName>(channel: C, request: Request<C>): Promise<Result<Response<C>>>
  onEvent(listener: (event: EngineEvent) => void): () => void
  /** The link state now and on every change; returns the unsubscribe function. */
  onLink(listener: (link: Link) => void): () => void
  close(): void
}

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
