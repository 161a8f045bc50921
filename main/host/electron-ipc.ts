// Electron side of the contract: one ipcMain.handle per channel, each validating through dispatch, and
// refusing any sender that is not our window's main frame.
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron'
import { CHANNEL_NAMES, EVENT_CHANNEL } from '../../contract/channels'
import { failure, type EngineEvent, type Result } from '../../contract/views'
import type { EventSink } from '../engine/engine'
import { dispatch } from './dispatch'
import type { Services } from './services'

export function isOwnFrame(window: BrowserWindow | undefined, event: IpcMainInvokeEvent): boolean {
  return window !== undefined && !window.isDestroyed() && event.senderFrame === window.webContents.mainFrame
}

export function registerIpc(ipcMain: IpcMain, services: Services, window: () => BrowserWindow | undefined): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, payload: unknown): Promise<Result<unknown>> => {
      if (!isOwnFrame(window(), event)) {
        return Promise.resolve(failure('NOT_ALLOWED', 'sender is not the ZeroScope window'))
      }
      return dispatch(services, channel, payload)
    })
  }
  return () => CHANNEL_NAMES.forEach((channel) => ipcMain.removeHandler(channel))
}

export function windowSink(window: () => BrowserWindow | undefined): EventSink {
  return {
    emit(event: EngineEvent) {
      const target = window()
      if (target && !target.isDestroyed()) target.webContents.send(EVENT_CHANNEL, event)
    },
  }
}
