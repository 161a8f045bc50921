// The Electron security checklist, checked on the policy itself: the handlers index.ts installs are called here
// with stand-ins for Electron's objects, the built preload runs against a stand-in `electron`, and the CSP is read
// from the built page. Only the wiring in index.ts is checked as text. What needs a running Electron (the page's
// globals, a refused navigation in a real window) is in the e2e Electron project.
import { CSP_HEADER, CSP_META } from '../../contract/csp'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { compileFunction } from 'node:vm'
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, Session, WebContents } from 'electron'
import type { ZeroscopeBridge } from '../../contract/bridge'
import { Channel, CHANNEL_NAMES, EVENT_CHANNEL } from '../../contract/channels'
import type { EngineEvent, Result } from '../../contract/views'
import { registerIpc } from '../../main/host/electron-ipc'
import { GRANTED_PERMISSIONS, installPermissionPolicy, permissionAllowed } from '../../main/host/permissions'
import { lockDownContents, SECURE_WEB_PREFERENCES, type LockableContents } from '../../main/window-security'
import { newServices } from '../helpers/probe'

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

/** An event as Electron hands it to a listener, recording whether the listener refused it. */
function cancellable(): { preventDefault(): void; prevented: boolean } {
  const event = { prevented: false, preventDefault: () => (event.prevented = true) }
  return event
}

/** A web contents that records the handlers installed on it, so a test can fire them. */
class RecordingContents {
  readonly listeners = new Map<string, ((event: ReturnType<typeof cancellable>) => void)[]>()
  windowOpen: ((details: { url: string }) => { action: string }) | undefined

  on(name: string, listener: (event: ReturnType<typeof cancellable>) => void): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener])
    return this
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpen = handler
  }

  /** Fires `name` as Electron would; true when some listener prevented it. */
  fire(name: string): boolean {
    const event = cancellable()
    for (const listener of this.listeners.get(name) ?? []) listener(event)
    return event.prevented
  }
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
    assert.equal(SECURE_WEB_PREFERENCES.nodeIntegrationInSubFrames, false)
    assert.equal(SECURE_WEB_PREFERENCES.allowRunningInsecureContent, false)
  })

  it('navigation, new windows and webviews are refused', () => {
    const contents = new RecordingContents()
    lockDownContents(contents as unknown as LockableContents)
    assert.equal(contents.fire('will-navigate'), true, 'a navigation is prevented')
    assert.equal(contents.fire('will-attach-webview'), true, 'a <webview> is prevented')
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      assert.deepEqual(contents.windowOpen?.({ url }), { action: 'deny' }, `window.open(${url})`)
    }
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
  })

  it("the session's request and check handlers answer with that policy", () => {
    const handlers: { request?: Handler<'setPermissionRequestHandler'>; check?: Handler<'setPermissionCheckHandler'> } =
      {}
    const session = {
      setPermissionRequestHandler: (handler: Handler<'setPermissionRequestHandler'>) => (handlers.request = handler),
      setPermissionCheckHandler: (handler: Handler<'setPermissionCheckHandler'>) => (handlers.check = handler),
    }
    const ours = {} as WebContents
    const other = {} as WebContents
    installPermissionPolicy(session as unknown as Session, (contents) => contents === ours)
    const request = (contents: WebContents | null, permission: string, isMainFrame: boolean): boolean => {
      let answer: boolean | undefined
      const details = { isMainFrame, requestingUrl: 'file:///app/index.html' }
      handlers.request!(contents as WebContents, permission as never, (granted) => (answer = granted), details as never)
      assert.notEqual(answer, undefined, `the request for ${permission} is answered`)
      return answer!
    }
    const check = (contents: WebContents | null, permission: string, isMainFrame: boolean): boolean =>
      handlers.check!(contents, permission as never, 'file://', { isMainFrame, requestingUrl: 'file://' } as never)
    for (const answer of [request, check]) {
      assert.equal(answer(ours, 'clipboard-sanitized-write', true), true)
      assert.equal(answer(ours, 'clipboard-read', true), true)
      assert.equal(answer(ours, 'media', true), false, 'camera and microphone')
      assert.equal(answer(ours, 'notifications', true), false)
      assert.equal(answer(ours, 'clipboard-read', false), false, 'from a subframe')
      assert.equal(answer(other, 'clipboard-read', true), false, 'from another web contents')
      assert.equal(answer(null, 'clipboard-read', true), false, 'from no web contents')
    }
  })

  it("IPC handlers answer only our window's main frame", async (t) => {
    const handlers = new Map<string, (event: IpcMainInvokeEvent, payload: unknown) => Promise<Result<unknown>>>()
    const ipcMain = {
      handle: (channel: string, handler: (event: IpcMainInvokeEvent, payload: unknown) => Promise<Result<unknown>>) =>
        handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
    }
    const mainFrame = { name: 'main frame' }
    let destroyed = false
    const ourWindow = { isDestroyed: () => destroyed, webContents: { mainFrame } } as unknown as BrowserWindow
    let current: BrowserWindow | undefined = ourWindow
    const { services } = newServices()
    t.after(() => services.shutdown())
    const unregister = registerIpc(ipcMain as unknown as IpcMain, services, () => current)
    assert.deepEqual([...handlers.keys()].sort(), [...CHANNEL_NAMES].sort(), 'one handler per contract channel')
    const from = (senderFrame: unknown) => ({ senderFrame }) as unknown as IpcMainInvokeEvent
    const info = handlers.get(Channel.engineInfo)!

    assert.equal((await info(from(mainFrame), {})).ok, true, 'our main frame is answered')
    const refused = { ok: false, error: { code: 'NOT_ALLOWED', message: 'sender is not the ZeroScope window' } }
    assert.deepEqual(await info(from({ name: 'an iframe' }), {}), refused, 'a subframe or another page')
    assert.deepEqual(await info(from(null), {}), refused, 'a frame that is gone')
    // The refusal comes before validation and before the engine: nothing a foreign sender says is looked at.
    const created = await handlers.get(Channel.socketCreate)!(from({}), { type: 'pull' })
    assert.deepEqual(created, refused)
    assert.deepEqual(services.engine.list(), [], 'no socket was created for it')
    assert.equal((await handlers.get(Channel.socketCreate)!(from(mainFrame), { type: 'nope' })).ok, false)
    destroyed = true
    assert.deepEqual(await info(from(mainFrame), {}), refused, 'a destroyed window')
    current = undefined
    assert.deepEqual(await info(from(mainFrame), {}), refused, 'no window')
    unregister()
    assert.equal(handlers.size, 0, 'unregistering removes every handler')
  })

  it('the preload exposes only the contract bridge, and raw ipcRenderer never reaches the page', async () => {
    // The built preload, run as Electron's sandbox runs it: CommonJS, with nothing to require but electron.
    const exposed: [string, ZeroscopeBridge][] = []
    const invoked: [string, unknown][] = []
    const listeners = new Map<string, ((...args: unknown[]) => void)[]>()
    const ipcRenderer = {
      invoke: (channel: string, payload: unknown) => {
        invoked.push([channel, payload])
        return Promise.resolve({ ok: true, value: `answer to ${channel}` })
      },
      on: (channel: string, listener: (...args: unknown[]) => void) =>
        listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
      removeListener: (channel: string, listener: (...args: unknown[]) => void) =>
        listeners.set(
          channel,
          (listeners.get(channel) ?? []).filter((l) => l !== listener),
        ),
    }
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: ZeroscopeBridge) => exposed.push([key, api]) },
      ipcRenderer,
    }
    const sandboxRequire = (name: string): unknown => {
      if (name === 'electron') return electron
      throw new Error(`a sandboxed preload cannot require ${name}`)
    }
    const preload = compileFunction(source('out/preload/index.cjs'), ['exports', 'require', 'module'], {
      filename: 'out/preload/index.cjs',
    })
    preload({}, sandboxRequire, { exports: {} })

    assert.deepEqual(
      exposed.map(([key]) => key),
      ['zeroscope'],
      'one object, under one name',
    )
    const bridge = exposed[0]![1]
    assert.deepEqual(Object.keys(bridge).sort(), ['host', 'invoke', 'onEvent'])
    assert.equal(bridge.host, 'electron')
    for (const value of Object.values(bridge)) assert.notEqual(value, ipcRenderer)

    const unknown = await bridge.invoke('shell:exec' as never, { command: 'rm -rf /' })
    assert.deepEqual(unknown, { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'unknown channel' } })
    assert.deepEqual(invoked, [], 'an unknown channel never reaches the main process')
    for (const channel of CHANNEL_NAMES) {
      assert.deepEqual(await bridge.invoke(channel, { n: 1 }), { ok: true, value: `answer to ${channel}` })
    }
    assert.deepEqual(
      invoked,
      CHANNEL_NAMES.map((channel) => [channel, { n: 1 }]),
      'every contract channel, and only those, is forwarded as is',
    )

    const received: unknown[][] = []
    const stop = bridge.onEvent((...args: unknown[]) => received.push(args))
    assert.deepEqual([...listeners.keys()], [EVENT_CHANNEL])
    const event: EngineEvent = { type: 'sockets', sockets: [] }
    const ipcEvent = { sender: ipcRenderer, senderId: 0, ports: [] }
    for (const listener of listeners.get(EVENT_CHANNEL)!) listener(ipcEvent, event)
    assert.deepEqual(received, [[event]], 'the page gets the engine event alone, never the IPC event or its sender')
    stop()
    assert.deepEqual(listeners.get(EVENT_CHANNEL), [], 'the returned function stops the events')
  })

  it('index.ts wires exactly these policies (the one check on source text: wiring needs a running Electron)', () => {
    const main = source('main/index.ts')
    assert.match(
      main,
      /webPreferences: \{ \.\.\.SECURE_WEB_PREFERENCES, preload:/,
      'the window uses exactly these preferences',
    )
    assert.doesNotMatch(main, /nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/)
    assert.match(main, /app\.on\('web-contents-created', \(_event, contents\) => lockDownContents\(contents\)\)/)
    assert.match(main, /installPermissionPolicy\(\s*session\.defaultSession,/)
    // ipcMain is imported only where Electron may be (lint), and index.ts only hands it to registerIpc.
    assert.equal(main.match(/\bipcMain\b/g)?.length, 2, 'imported once, used once')
    assert.match(main, /registerIpc\(ipcMain, /)
    assert.doesNotMatch(source('main/menu.ts'), /ipcMain/)
  })
})
