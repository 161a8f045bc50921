// Electron host: one locked-down window, the engine wired to IPC, the demo topology started, clean quit.
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startPreset } from './engine/presets'
import { shellLaunchFrom } from './terminal/terminal'
import { registerIpc, windowSink } from './host/electron-ipc'
import { installPermissionPolicy } from './host/permissions'
import { fileDialogs } from './file-dialogs'
import { openAtStart } from './host/open-at-start'
import { createServices, type Services } from './host/services'
import { installMenu } from './menu'
import { lockDownContents, SECURE_WEB_PREFERENCES } from './window-security'

const here = fileURLToPath(new URL('.', import.meta.url))
let mainWindow: BrowserWindow | undefined
let lifecycle: 'running' | 'closing' | 'closed' = 'running'
const currentWindow = (): BrowserWindow | undefined => mainWindow

/** Created once the app is ready (app paths are final then); absent only before that. */
let services: Services | undefined

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    title: 'ZeroScope',
    backgroundColor: '#0f1115',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(here, '../preload/index.cjs') },
  })
  window.on('closed', () => (mainWindow = undefined))
  const devServer = process.env.ELECTRON_RENDERER_URL
  if (devServer && !app.isPackaged) void window.loadURL(devServer)
  else void window.loadFile(join(here, '../renderer/index.html'))
  mainWindow = window
}

// macOS hands a double-clicked .zeroscope or .mcap to a running app (or one starting) as 'open-file', not argv.
const filesToOpen: string[] = []
app.on('open-file', (event, path) => {
  event.preventDefault()
  if (services) void openAtStart(services, [path], (line) => console.error(line)).then(() => announceOpened())
  else filesToOpen.push(path)
})
let announceOpened = (): void => {}

// Every web contents, the window's included (this fires for it too): no navigation, new windows or webviews.
app.on('web-contents-created', (_event, contents) => lockDownContents(contents))

void app.whenReady().then(async () => {
  // Before any page exists: Electron would otherwise grant every permission a page asks for.
  installPermissionPolicy(
    session.defaultSession,
    (contents) => contents !== null && contents === mainWindow?.webContents,
  )
  const running = createServices(
    windowSink(currentWindow),
    {
      host: 'electron',
      // The same variable as the browser host's, so an export error's advice holds in both (and tests use it).
      exportsDir: process.env.ZEROSCOPE_EXPORTS_DIR || join(app.getPath('documents'), 'ZeroScope exports'),
      recordingsDir: process.env.ZEROSCOPE_RECORDINGS_DIR || join(app.getPath('documents'), 'ZeroScope recordings'),
      workspacesDir: process.env.ZEROSCOPE_WORKSPACES_DIR || join(app.getPath('documents'), 'ZeroScope workspaces'),
      jupyterDir: process.env.ZEROSCOPE_JUPYTER_DIR || join(app.getPath('userData'), 'jupyter'),
      settingsPath: process.env.ZEROSCOPE_SETTINGS || join(app.getPath('userData'), 'settings.json'),
    },
    { kind: 'enabled' },
    shellLaunchFrom(process.env.ZEROSCOPE_SHELL),
  )
  running.dialogs = fileDialogs(currentWindow, running.engine.recordings.folder, running.engine.workspaces.folder)
  services = running
  registerIpc(ipcMain, running, currentWindow)
  const sink = windowSink(currentWindow)
  let recent: readonly string[] = (await running.settings.get()).recentWorkspaces
  const menu = (): void =>
    installMenu(() => running.engine.info(), {
      command: (command) => sink.emit({ type: 'command', command }),
      recent: () => recent,
      openRecent: (path) => {
        void running.engine.workspaces
          .open({ kind: 'path', path })
          .then(() => running.settings.touchWorkspace(path))
          .then(() => sink.emit({ type: 'command', command: { kind: 'workspace-opened' } }))
          .catch((error: unknown) => {
            void dialog.showMessageBox({
              type: 'error',
              message: `Cannot open ${path}`,
              detail: (error as Error).message,
            })
          })
      },
      clearRecent: () => void running.settings.clearRecent(),
    })
  running.settings.onChange((settings) => {
    recent = settings.recentWorkspaces
    menu()
  })
  menu()
  createWindow()
  announceOpened = () => sink.emit({ type: 'command', command: { kind: 'workspace-opened' } })
  const opened = await openAtStart(running, [...process.argv.slice(1), ...filesToOpen], (line) => console.error(line))
  if (!opened && !process.argv.includes('--no-demo') && process.env.ZEROSCOPE_NO_DEMO !== '1') {
    await startPreset(running.engine, 'weather').catch((error: unknown) =>
      console.error('demo topology failed:', error),
    )
  }
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

// Close every socket before exit so peers see a clean disconnect and no handle outlives the app.
app.on('will-quit', (event) => {
  if (lifecycle === 'closed' || !services) return
  event.preventDefault()
  if (lifecycle === 'closing') return
  lifecycle = 'closing'
  void services.shutdown().finally(() => {
    lifecycle = 'closed'
    app.quit()
  })
})
