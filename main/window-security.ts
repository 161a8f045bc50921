// The renderer's sandbox and the refusals every web contents gets, in one place so the security test checks
// exactly what the window gets. Only Electron's types are imported: index.ts passes the real objects in.
import type { WebContents, WebPreferences } from 'electron'

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
} as const satisfies WebPreferences

/** The part of a web contents that lockDownContents uses (Electron's WebContents has it). */
export type LockableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

/**
 * The renderer is one page loaded from disk: it never navigates, opens windows or attaches a <webview>, so any
 * attempt (a link, window.open, injected markup) is refused. index.ts applies this to every web contents created.
 */
export function lockDownContents(contents: LockableContents): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
