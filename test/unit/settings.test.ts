// Settings live on the host: written atomically, shared by every page (an event tells the others), read back by
// the next host; a damaged file is kept aside with a note and the defaults are used. A workspace saved or
// opened goes first in the recent list, and a host started with a workspace file (or "reopen last") opens it.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import { DEFAULT_SETTINGS, type Settings } from '../../contract/settings-schema'
import type { WorkspaceCurrent } from '../../contract/workspace-schema'
import { SettingsStore } from '../../main/engine/settings-store'
import { dispatch } from '../../main/host/dispatch'
import { newServices } from '../helpers/probe'
import { HostClient, mustStart, type ServeProcess } from '../helpers/serve-process'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zs-settings-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('settings on the host', () => {
  it('defaults, then changes written for the next host to read, layout merged, recent first and unique', async () => {
    const path = join(dir, 'settings.json')
    const seen: Settings[] = []
    const store = new SettingsStore(path, (s) => seen.push(s))
    assert.deepEqual(await store.get(), DEFAULT_SETTINGS)
    await store.set({ layout: { sidebar: 300 }, theme: 'light' })
    await store.set({ layout: { terminalOpen: true }, reopenLastWorkspace: true })
    for (const p of ['/a.zeroscope', '/b.zeroscope', '/a.zeroscope']) await store.touchWorkspace(p)
    const again = await new SettingsStore(path, () => undefined).get()
    assert.deepEqual(again.layout, { sidebar: 300, terminalOpen: true })
    assert.equal(again.theme, 'light')
    assert.deepEqual(again.recentWorkspaces, ['/a.zeroscope', '/b.zeroscope'])
    assert.equal(seen.length, 5, 'every change is announced')
  })

  it('a damaged or foreign settings file is kept aside, the defaults used and a note given', async () => {
    for (const content of [
      '{ not json',
      JSON.stringify({ version: 99 }),
      JSON.stringify({ ...DEFAULT_SETTINGS, theme: 'plaid' }),
    ]) {
      const path = join(dir, 'settings.json')
      writeFileSync(path, content)
      const store = new SettingsStore(path, () => undefined)
      assert.deepEqual(await store.get(), DEFAULT_SETTINGS)
      assert.match(store.note ?? '', /was not valid settings and was kept as .*settings\.json\.damaged/)
      assert.equal(readFileSync(`${path}.damaged`, 'utf8'), content)
      assert.ok(!existsSync(path))
    }
  })

  it('settings:set is validated and announced to every page', async () => {
    const { services, probe } = newServices()
    try {
      const bad = await dispatch(services, Channel.settingsSet, { theme: 'plaid' })
      assert.ok(!bad.ok && bad.error.code === 'INVALID_REQUEST')
      const set = await dispatch(services, Channel.settingsSet, { layout: { sidebar: 280 } })
      assert.ok(set.ok)
      assert.ok(probe.events.some((e) => e.type === 'settings' && e.settings.layout.sidebar === 280))
      const got = await dispatch(services, Channel.settingsGet, {})
      assert.ok(got.ok && (got.value as { settings: Settings }).settings.layout.sidebar === 280)
    } finally {
      await services.shutdown()
    }
  })
})

describe('a browser host opening a workspace at start', () => {
  let host: ServeProcess | undefined
  afterEach(() => host?.stop())

  it('opens a workspace given on the command line instead of the demo; reopens the last one when asked', async () => {
    const workspaces = join(dir, 'workspaces')
    const settingsPath = join(dir, 'settings.json')
    const env = { ZEROSCOPE_WORKSPACES_DIR: workspaces, ZEROSCOPE_SETTINGS: settingsPath }
    // Made by a host of its own, as a user would: one PULL, saved.
    host = await mustStart(env)
    let client = await HostClient.open(host.origin, host.token)
    await client.call(Channel.socketCreate, { type: 'pull', name: 'kept pull' })
    const saved = await client.call(Channel.workspaceSave, {
      file: { kind: 'folder', name: 'start' },
      includeSecrets: false,
      ui: { savedMessages: [], layout: { sidebar: 333 } },
    })
    assert.ok(saved.ok, JSON.stringify(saved))
    client.close()
    await host.stop()

    const path = join(workspaces, 'start.zeroscope')
    host = await mustStart(env, [path])
    client = await HostClient.open(host.origin, host.token)
    const sockets = (await client.call(Channel.socketList, {})).value as { name: string }[]
    assert.deepEqual(
      sockets.map((s) => s.name),
      ['kept pull'],
      'the workspace, not the demo',
    )
    const current = (await client.call(Channel.workspaceCurrent, {})).value as WorkspaceCurrent
    assert.ok(current.kind === 'open' && current.path === path && current.ui.layout.sidebar === 333)
    await client.call(Channel.settingsSet, { reopenLastWorkspace: true })
    client.close()
    await host.stop()

    host = await mustStart(env)
    client = await HostClient.open(host.origin, host.token)
    const reopened = (await client.call(Channel.socketList, {})).value as { name: string }[]
    assert.deepEqual(
      reopened.map((s) => s.name),
      ['kept pull'],
      'reopened the last workspace',
    )
    client.close()
  })
})
