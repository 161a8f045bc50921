// Sandboxed preload: exposes only the contract's bridge (invoke a known channel, listen to engine events).
// Raw ipcRenderer never reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { ZeroscopeBridge } from '../contract/bridge'
import { EVENT_CHANNEL, isChannelName } from '../contract/channels'
import { failure, type EngineEvent, type Result } from '../contract/views'

const bridge: ZeroscopeBridge = {
  host: 'electron',
  invoke(channel, payload): Promise<Result<unknown>> {
    if (!isChannelName(channel)) {
      return Promise.resolve(failure('UNKNOWN_CHANNEL', 'unknown channel'))
    }
    return ipcRenderer.invoke(channel, payload) as Promise<Result<unknown>>
  },
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, engineEvent: EngineEvent): void => listener(engineEvent)
    ipcRenderer.on(EVENT_CHANNEL, forward)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward)
    }
  },
}

contextBridge.exposeInMainWorld('zeroscope', bridge)
