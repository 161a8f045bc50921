// Web permissions for the Electron window: Electron grants every permission by default, so the app answers
// each request and check itself and allows only what its own page uses: the clipboard, for the copy buttons
// and the terminal's Ctrl+Shift+C / Ctrl+Shift+V. Camera, microphone, location, notifications, HID, serial,
// USB, screen capture, opening external apps, file-system access, ... are refused.
import type { Session, WebContents } from 'electron'

/** What the renderer calls: navigator.clipboard.writeText (copy) and navigator.clipboard.readText (paste). */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'clipboard-read'])

export interface PermissionAsker {
  /** The asking page is our window's (not some other web contents the app never creates, but might). */
  ownWindow: boolean
  /** The main frame, not an embedded one (the app embeds none; a frame that appears anyway gets nothing). */
  mainFrame: boolean
}

export function permissionAllowed(permission: string, asker: PermissionAsker): boolean {
  return asker.ownWindow && asker.mainFrame && GRANTED_PERMISSIONS.has(permission)
}

/** Answers the session's permission requests and checks with `permissionAllowed`. */
export function installPermissionPolicy(
  session: Session,
  isOwnWindow: (contents: WebContents | null) => boolean,
): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(permissionAllowed(permission, { ownWindow: isOwnWindow(contents), mainFrame: details.isMainFrame })),
  )
  session.setPermissionCheckHandler((contents, permission, _origin, details) =>
    permissionAllowed(permission, { ownWindow: isOwnWindow(contents), mainFrame: details.isMainFrame }),
  )
}
