// One typed API object over whichever host is behind the page; components never know which.
import type { ZeroscopeBridge } from '../../preload/api-types'
import type { ChannelName } from '../../preload/channels'
import type { Request, Response } from '../../preload/contract'
import type { EngineEvent, Result } from '../../preload/views'
import { connectWebSocketBridge } from './ws-bridge'

export interface Api {
  readonly host: ZeroscopeBridge['host']
  call<C extends ChannelName>(channel: C, request: Request<C>): Promise<Result<Response<C>>>
  onEvent(listener: (event: EngineEvent) => void): () => void
}

export async function connectApi(onClose: (reason: string) => void): Promise<Api> {
  const bridge = window.zeroscope ?? (await connectWebSocketBridge(onClose))
  return {
    host: bridge.host,
    call: <C extends ChannelName>(channel: C, request: Request<C>) =>
      bridge.invoke(channel, request) as Promise<Result<Response<C>>>,
    onEvent: (listener) => bridge.onEvent(listener),
  }
}
