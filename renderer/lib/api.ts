// One typed API object over whichever host is behind the page (lib/connect-api.ts picks it); components never
// know which. It lives as long as the page: a browser host's dropped link is reopened underneath it, listeners
// kept. The page's handle on it lives here, below every state module, so that each area's actions reach it
// without importing the session (which imports those areas to apply events to them). No DOM or host code here:
// the console and the tests take this type without the page around it.
import type { ZeroscopeBridge } from '../../contract/bridge'
import type { ChannelName } from '../../contract/channels'
import type { Request, Response } from '../../contract/schemas'
import type { EngineEvent, Result } from '../../contract/views'
import type { Link } from './link'

export interface Api {
  readonly host: ZeroscopeBridge['host']
  call<C extends ChannelName>(channel: C, request: Request<C>): Promise<Result<Response<C>>>
  onEvent(listener: (event: EngineEvent) => void): () => void
  /** The link state now and on every change; returns the unsubscribe function. */
  onLink(listener: (link: Link) => void): () => void
  close(): void
}

let current: Api | undefined

/** Makes `api` the one the page's actions use, until the returned function withdraws it. */
export function provideApi(api: Api): () => void {
  current = api
  return () => {
    if (current === api) current = undefined
  }
}

/** The API for actions; only callable once the session started (controls are disabled before). */
export function requireApi(): Api {
  if (!current) throw new Error('not connected to the ZeroScope host')
  return current
}
