// A workspace file that is not what it should be never changes the open setup: not JSON, not ours, from a newer
// version, an unknown socket type, an invalid endpoint, a saved message naming no socket, too large, a name that
// leaves the folder. Each answer names the file and the problem; the sockets open before keep working.
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import { MAX_WORKSPACE_BYTES } from '../../contract/workspace-schema'
import type { Result } from '../../contract/views'
import { dispatch } from '../../main/host/dispatch'
import type { Services } from '../../main/host/services'
import { bindAddress } from '../helpers/addresses'
import { newServices, text, txt, type Probe } from '../helpers/probe'

let services: Services
let probe: Probe
let folder: string

beforeEach(() => {
  ;({ services, probe } = newServices())
  folder = services.engine.workspaces.folder
  mkdirSync(folder, { recursive: true })
})
afterEach(() => services.shutdown())

const good = {
  format: 'zeroscope.workspace',
  version: 1,
  savedAt: '2026-12-02T08:00:00.000Z',
  appVersion: '0.1.0',
  secrets: 'omitted',
  sockets: [{ key: 's1', type: 'pull', name: 'sink', options: {}, endpoints: [], subscriptions: [] }],
  taps: [],
  ui: { savedMessages: [], layout: {} },
}

async function openFile(name: string, content: string): Promise<Result<unknown>> {
  writeFileSync(join(folder, name), content)
  return dispatch(services, Channel.workspaceOpen, { file: { kind: 'folder', name } })
}

/** A PUSH -> PULL pair that is open before each bad file and must still work after it. */
async function openSetup(): Promise<{ push: string; pull: string }> {
  const pull = services.engine.create('pull', 'kept').id
  const address = (await services.engine.bind(pull, bindAddress('tcp'))).endpoints[0]!.address
  const push = services.engine.create('push', 'kept source').id
  await services.engine.connect(push, address)
  return { push, pull }
}

async function stillWorks(setup: { push: string; pull: string }, n: number): Promise<void> {
  assert.deepEqual(
    services.engine
      .list()
      .map((s) => s.name)
      .sort(),
    ['kept', 'kept source'],
  )
  await services.engine.send(setup.push, [txt(`still ${n}`)])
  const got = await probe.receivedAtLeast(setup.pull, n)
  assert.equal(text(got[n - 1]!), `still ${n}`)
}

const cases: [string, string, RegExp][] = [
  ['not-json.zeroscope', '{ "format": ', /not-json\.zeroscope: not a workspace \(not JSON/],
  ['foreign.zeroscope', JSON.stringify({ hello: 'world' }), /foreign\.zeroscope: not a ZeroScope workspace/],
  [
    'newer.zeroscope',
    JSON.stringify({ ...good, version: 7 }),
    /newer\.zeroscope: saved by a newer ZeroScope \(workspace version 7\)/,
  ],
  [
    'unknown-type.zeroscope',
    JSON.stringify({ ...good, sockets: [{ ...good.sockets[0], type: 'teleporter' }] }),
    /unknown-type\.zeroscope: sockets\.0\.type: /,
  ],
  [
    'bad-endpoint.zeroscope',
    JSON.stringify({
      ...good,
      sockets: [{ ...good.sockets[0], endpoints: [{ mode: 'bind', endpoint: 'tcp://nowhere' }] }],
    }),
    /bad-endpoint\.zeroscope: sockets\.0\.endpoints\.0\.endpoint: /,
  ],
  [
    'dangling.zeroscope',
    JSON.stringify({
      ...good,
      ui: { layout: {}, savedMessages: [{ name: 'm', socketKey: 's9', frames: [txt('x')] }] },
    }),
    /dangling\.zeroscope: ui\.savedMessages\.0\.socketKey: no socket has the key s9/,
  ],
  ['array.zeroscope', '[]', /array\.zeroscope: not a ZeroScope workspace/],
]

describe('bad workspace files', () => {
  it('each is refused with a sentence naming the file and the problem; the open setup is untouched', async () => {
    const setup = await openSetup()
    let n = 0
    for (const [name, content, sentence] of cases) {
      const result = await openFile(name, content)
      assert.ok(!result.ok, `${name} is refused`)
      assert.equal(result.error.code, 'BAD_FILE', `${name}: ${result.error.message}`)
      assert.match(result.error.message, sentence)
      await stillWorks(setup, ++n)
    }
  })

  it('too large, missing, and uploads are checked the same way', async () => {
    const setup = await openSetup()
    const big = await openFile('big.zeroscope', ' '.repeat(MAX_WORKSPACE_BYTES + 1))
    assert.ok(!big.ok && big.error.code === 'BAD_FILE' && /too large for a workspace/.test(big.error.message))
    const missing = await dispatch(services, Channel.workspaceOpen, { file: { kind: 'folder', name: 'absent' } })
    assert.ok(!missing.ok && missing.error.code === 'IO_ERROR', JSON.stringify(missing))
    assert.match(missing.error.message, /absent\.zeroscope/)
    const upload = await dispatch(services, Channel.workspaceOpen, {
      file: { kind: 'upload', name: 'up.zeroscope', content: JSON.stringify({ ...good, version: 2 }) },
    })
    assert.ok(!upload.ok && /up\.zeroscope: saved by a newer ZeroScope/.test(upload.error.message))
    await stillWorks(setup, 1)
  })

  it('names that leave the folder are refused before any file is touched', async () => {
    for (const name of ['../outside', '/etc/passwd', 'a/b', '.hidden']) {
      const opened = await dispatch(services, Channel.workspaceOpen, { file: { kind: 'folder', name } })
      assert.ok(!opened.ok && opened.error.code === 'INVALID_REQUEST', `${name}: ${JSON.stringify(opened)}`)
      assert.match(opened.error.message, /a workspace name is a plain file name/)
      const saved = await dispatch(services, Channel.workspaceSave, {
        file: { kind: 'folder', name },
        includeSecrets: false,
        ui: { savedMessages: [], layout: {} },
      })
      assert.ok(!saved.ok && saved.error.code === 'INVALID_REQUEST', `${name}: ${JSON.stringify(saved)}`)
    }
  })
})
