// Electron's native dialogs for recordings: the user picks where a recording goes and which file to open.
// The dialog asks before replacing a file, so the engine may then replace it.
import { dialog, type BrowserWindow } from 'electron'
import type { FileDialogs } from './host/services'

const MCAP = { name: 'MCAP recordings', extensions: ['mcap'] }
const WORKSPACE = { name: 'ZeroScope workspaces', extensions: ['zeroscope'] }
const EXPORTS = { name: 'ZeroScope exports (NDJSON)', extensions: ['jsonl', 'ndjson'] }

export function fileDialogs(window: () => BrowserWindow | undefined, folder: string, workspaces: string): FileDialogs {
  return {
    async saveRecording() {
      const options = { title: 'Record to', defaultPath: folder, filters: [MCAP] }
      const w = window()
      const result = await (w ? dialog.showSaveDialog(w, options) : dialog.showSaveDialog(options))
      if (result.canceled || !result.filePath) return undefined
      return result.filePath.endsWith('.mcap') ? result.filePath : `${result.filePath}.mcap`
    },
    async saveWorkspace() {
      const options = { title: 'Save workspace', defaultPath: workspaces, filters: [WORKSPACE] }
      const w = window()
      const result = await (w ? dialog.showSaveDialog(w, options) : dialog.showSaveDialog(options))
      return result.canceled || !result.filePath ? undefined : result.filePath
    },
    async openWorkspace() {
      const options = {
        title: 'Open workspace',
        defaultPath: workspaces,
        filters: [WORKSPACE],
        properties: ['openFile' as const],
      }
      const w = window()
      const result = await (w ? dialog.showOpenDialog(w, options) : dialog.showOpenDialog(options))
      return result.canceled ? undefined : result.filePaths[0]
    },
    async openRecording() {
      const options = {
        title: 'Open a recording',
        defaultPath: folder,
        filters: [MCAP, EXPORTS],
        properties: ['openFile' as const],
      }
      const w = window()
      const result = await (w ? dialog.showOpenDialog(w, options) : dialog.showOpenDialog(options))
      return result.canceled ? undefined : result.filePaths[0]
    },
  }
}
