// Electron application menu: a File menu for workspaces and recordings, the standard roles, and Help > About
// with versions and zeromq capabilities.
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron'
import type { EngineInfo, MenuCommand } from '../contract/views'

/** What the File menu does: most commands go to the page (it holds half of a workspace). */
export interface FileMenu {
  command(command: MenuCommand): void
  recent(): readonly string[]
  openRecent(path: string): void
  clearRecent(): void
}

export function aboutText(info: Omit<EngineInfo, 'shell'>): { message: string; detail: string } {
  const capabilities = Object.entries(info.capabilities)
    .map(([name, on]) => `${name} ${on ? '✓' : '✗'}`)
    .join('  ')
  return {
    message: `ZeroScope ${info.appVersion}`,
    detail:
      `libzmq ${info.libzmqVersion}\nzeromq.js capabilities: ${capabilities}\n` +
      `Electron ${process.versions.electron ?? '-'} · Chromium ${process.versions.chrome ?? '-'} · Node ${process.versions.node}`,
  }
}

export function installMenu(info: () => Omit<EngineInfo, 'shell'>, file: FileMenu): void {
  const showAbout = (): void => {
    const window = BrowserWindow.getFocusedWindow()
    const options = { type: 'info' as const, title: 'About ZeroScope', buttons: ['OK'], ...aboutText(info()) }
    void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))
  }
  const recent = file.recent()
  const fileMenu: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      {
        label: 'New Workspace',
        accelerator: 'CmdOrCtrl+Shift+N',
        click: () => file.command({ kind: 'workspace-new' }),
      },
      { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => file.command({ kind: 'workspace-open' }) },
      {
        label: 'Open Recent',
        submenu: [
          ...recent.map((path) => ({ label: path, click: () => file.openRecent(path) })),
          ...(recent.length > 0 ? [{ type: 'separator' as const }] : []),
          { label: 'Clear Recent', enabled: recent.length > 0, click: () => file.clearRecent() },
        ],
      },
      { label: 'Save Workspace', accelerator: 'CmdOrCtrl+S', click: () => file.command({ kind: 'workspace-save' }) },
      {
        label: 'Save Workspace As…',
        accelerator: 'CmdOrCtrl+Shift+S',
        click: () => file.command({ kind: 'workspace-save-as' }),
      },
      { type: 'separator' },
      { label: 'Open Recording…', click: () => file.command({ kind: 'recording-open' }) },
      ...(process.platform === 'darwin' ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }]),
    ],
  }
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin'
      ? [
          {
            label: app.name,
            submenu: [
              { label: 'About ZeroScope', click: showAbout },
              { type: 'separator' as const },
              { role: 'quit' as const },
            ],
          },
        ]
      : []),
    fileMenu,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About ZeroScope', click: showAbout }] },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
