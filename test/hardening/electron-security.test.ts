// The Electron security checklist, checked statically on the sources and the built app. What needs a running
// Electron (the page's globals, refused navigation) is in the e2e Electron project.
import { CSP_HEADER, CSP_META } from '../../contract/csp'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Session } from 'electron'
import { GRANTED_PERMISSIONS, permissionAllowed } from '../../main/host/permissions'
import { SECURE_WEB_PREFERENCES } from '../../main/window-security'

type Handler<K extends 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> = NonNullable<
  Parameters<Session[K]>[0]
>
type PermissionName =
  Parameters<Handler<'setPermissionRequestHandler'>>[1] | Parameters<Handler<'setPermissionCheckHandler'>>[1]
/** Every permission Electron's types name: a Record, so tsc fails here when an Electron upgrade adds one. */
const EVERY_PERMISSION: Record<PermissionName, true> = {
  'clipboard-read': true,
  'clipboard-sanitized-write': true,
  'deprecated-sync-clipboard-read': true,
  'display-capture': true,
  fileSystem: true,
  fullscreen: true,
  geolocation: true,
  hid: true,
  'idle-detection': true,
  keyboardLock: true,
  media: true,
  mediaKeySystem: true,
  midi: true,
  midiSysex: true,
  notifications: true,
  openExternal: true,
  pointerLock: true,
  serial: true,
  'speaker-selection': true,
  'storage-access': true,
  'top-level-storage-access': true,
  unknown: true,
  usb: true,
  'window-management': true,
}

const source = (path: string) => readFileSync(path, 'utf8')

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

function metaPolicy(html: string): string {
  const content = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
  assert.ok(content, 'the page carries a CSP meta tag')
  return content
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  )
}

describe('Electron security checklist', () => {
  it('the window is isolated and sandboxed, without Node', () => {
    assert.equal(SECURE_WEB_PREFERENCES.contextIsolation, true)
    assert.equal(SECURE_WEB_PREFERENCES.sandbox, true)
    assert.equal(SECURE_WEB_PREFERENCES.nodeIntegration, false)
    assert.equal(SECURE_WEB_PREFERENCES.webSecurity, true)
    assert.equal(SECURE_WEB_PREFERENCES.webviewTag, false)
    const main = source('main/index.ts')
    assert.match(
      main,
      /webPreferences: \{ \.\.\.SECURE_WEB_PREFERENCES, preload:/,
      'the window uses exactly these preferences',
    )
    assert.doesNotMatch(main, /nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/)
  })

  it('navigation, new windows and webviews are refused', () => {
    const main = source('main/index.ts')
    assert.match(main, /on\('will-navigate', \(event\) => event\.preventDefault\(\)\)/)
    assert.match(main, /setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/)
    assert.match(main, /on\('will-attach-webview', \(event\) => event\.preventDefault\(\)\)/)
  })

  it("the CSP is strict in the built page and the browser host header, and both are the contract's", () => {
    const built = metaPolicy(source('out/renderer/index.html'))
    assert.equal(built, CSP_META, 'the built page states the contract policy, not a copy of its own')
    for (const [where, text] of [
      ['the built page', built],
      ['the HTTP header', CSP_HEADER],
    ] as const) {
      const policy = directives(text)
      assert.deepEqual(policy.get('script-src'), ["'self'"], `${where}: scripts only from the app`)
      assert.deepEqual(policy.get('default-src'), ["'self'"])
      assert.deepEqual(policy.get('object-src'), ["'none'"])
      assert.deepEqual(policy.get('base-uri'), ["'none'"])
      for (const [name, values] of policy) assert.ok(!values.includes("'unsafe-eval'"), `${where}: ${name} allows eval`)
    }
    assert.deepEqual(directives(CSP_HEADER).get('frame-ancestors'), ["'none'"])
  })

  it("web permissions: only the clipboard, only for our window's main frame", () => {
    const own = { ownWindow: true, mainFrame: true }
    const allowed = Object.keys(EVERY_PERMISSION).filter((name) => permissionAllowed(name, own))
    // Copy buttons and the terminal's copy (writeText) and paste (readText); nothing else the page could ask for.
    assert.deepEqual(allowed.sort(), ['clipboard-read', 'clipboard-sanitized-write'])
    assert.deepEqual([...GRANTED_PERMISSIONS].sort(), allowed)
    for (const name of allowed) {
      assert.equal(permissionAllowed(name, { ownWindow: true, mainFrame: false }), false, `${name} from a subframe`)
      assert.equal(permissionAllowed(name, { ownWindow: false, mainFrame: true }), false, `${name} from elsewhere`)
    }
    assert.equal(permissionAllowed('a-permission-from-a-future-electron', own), false, 'unknown names are refused')
    // The wiring needs a running Electron to observe; as for navigation above, check the one line that does it.
    assert.match(source('main/index.ts'), /installPermissionPolicy\(\s*session\.defaultSession,/)
  })

  it('IPC handlers exist only behind the own-frame check', () => {
    const withHandlers = files('main').filter((f) => /ipcMain\.(handle|on)\(/.test(source(f)))
    assert.deepEqual(withHandlers, ['main/host/electron-ipc.ts'])
    const ipc = source('main/host/electron-ipc.ts')
    assert.match(ipc, /if \(!isOwnFrame\(window\(\), event\)\)/)
    assert.match(ipc, /event\.senderFrame === window\.webContents\.mainFrame/)
  })

  it('the preload exposes only the contract bridge', () => {
    const preload = source('preload/index.ts')
    assert.equal(preload.match(/exposeInMainWorld\(/g)?.length, 1)
    assert.match(preload, /exposeInMainWorld\('zeroscope', bridge\)/)
    const bridge = /const bridge: ZeroscopeBridge = \{([\s\S]*?)\n\}/.exec(preload)?.[1] ?? ''
    const keys = [...bridge.matchAll(/^ {2}(\w+)[(:]/gm)].map((m) => m[1])
    assert.deepEqual(keys, ['host', 'invoke', 'onEvent'])
    const built = source('out/preload/index.cjs')
    assert.doesNotMatch(built, /exposeInMainWorld\([^)]*ipcRenderer\)/, 'raw ipcRenderer never reaches the page')
    assert.match(built, /isChannelName|CHANNEL_NAMES/, 'invoke checks the channel against the contract')
  })
})
