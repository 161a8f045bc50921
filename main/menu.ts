// Electron application menu: the standard roles plus Help > About with versions and zeromq capabilities.
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron'
import type { EngineInfo } from '../contract/views'

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

export function installMenu(info: () => Omit<EngineInfo, 'shell'>): void {
  const showAbout = (): void => {
    const window = BrowserWindow.getFocusedWindow()
    const options = { type: 'info' as const, title: 'About ZeroScope', buttons: ['OK'], ...aboutText(info()) }
    void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))
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
      : [{ role: 'fileMenu' as const }]),
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About ZeroScope', click: showAbout }] },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
