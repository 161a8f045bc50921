// The bridge object the renderer sees as window.zeroscope (Electron) or builds over WebSocket (browser host).
// Type-only; both hosts implement exactly this.
import type { ChannelName } from './channels'
import type { EngineEvent, HostKind, Result } from './views'

export type { HostKind }

export interface ZeroscopeBridge {
  readonly host: HostKind
  invoke(channel: ChannelName, payload: unknown): Promise<Result<unknown>>
  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void
}
