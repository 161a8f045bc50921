// The bridge object the renderer sees as window.zeroscope (Electron) or builds over WebSocket (browser host).
// Type-only; both hosts implement exactly this.
import type { ChannelName } from './channels'
import type { EngineEvent, Result } from './views'

export type HostKind = 'electron' | 'browser'

export interface ZeroscopeBridge {
  readonly host: HostKind
  invoke(channel: ChannelName, payload: unknown): Promise<Result<unknown>>
  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void
}
