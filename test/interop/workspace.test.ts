// Workspaces against real peers: save -> new -> open restores every socket with its options and subscriptions
// and they work against Debian pyzmq peers; a busy port or a secret left out opens as a failed endpoint with
// why, never a half-made or silently insecure socket.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import type { Result, SocketSummary } from '../../contract/views'
import type { WorkspaceOpened, WorkspaceSaved } from '../../contract/workspace-schema'
import { dispatch } from '../../main/host/dispatch'
import type { Services } from '../../main/host/services'
import { bindAddress } from '../helpers/addresses'
import { newServices, text, txt, type Probe } from '../helpers/probe'
import { PythonPeer } from '../helpers/python-peer'

let services: Services
let probe: Probe
let peers: PythonPeer[]
const NO_UI = { savedMessages: [], layout: {} }

beforeEach(() => {
  ;({ services, probe } = newServices())
  peers = []
})
afterEach(async () => {
  await services.shutdown()
  await Promise.all(peers.map((p) => p.stop()))
})

function peer(script: string, args: string[] = []): PythonPeer {
  const p = new PythonPeer(script, args)
  peers.push(p)
  return p
}

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = (await dispatch(services, channel, payload)) as Result<T>
  assert.ok(result.ok, JSON.stringify(!result.ok && result.error))
  return result.value
}

async function save(
  name: string,
  includeSecrets = false,
  ui: unknown = NO_UI,
): Promise<WorkspaceSaved & { kind: 'saved' }> {
  const saved = await call<WorkspaceSaved>(Channel.workspaceSave, {
    file: { kind: 'folder', name },
    includeSecrets,
    ui,
  })
  assert.equal(saved.kind, 'saved')
  return saved as WorkspaceSaved & { kind: 'saved' }
}

async function open(name: string): Promise<WorkspaceOpened & { kind: 'opened' }> {
  const opened = await call<WorkspaceOpened>(Channel.workspaceOpen, { file: { kind: 'folder', name } })
  assert.equal(opened.kind, 'opened')
  return opened as WorkspaceOpened & { kind: 'opened' }
}

const byName = (name: string): SocketSummary => {
  const found = services.engine.list().find((s) => s.name === name)
  assert.ok(found, `${name} is open`)
  return found
}

describe('workspaces against pyzmq peers', () => {
  it('restores sockets with options and subscriptions, and they work: weather SUB with a prefix, hello REQ', async () => {
    const { engine } = services
    const weather = peer('wuserver.py', ['--zip-min', '10000', '--zip-max', '10009'])
    const hello = peer('hwserver.py')
    const sub = engine.create('sub', 'weather feed', { receiveHighWaterMark: 5000, reconnectInterval: 50 })
    engine.subscribe(sub.id, txt('10001 '))
    await engine.connect(sub.id, `tcp://127.0.0.1:${await weather.port()}`)
    const req = engine.create('req', 'hello client', { reqRelaxed: true })
    await engine.connect(req.id, `tcp://127.0.0.1:${await hello.port()}`)
    const saved = await save('interop')
    const file = JSON.parse(readFileSync(saved.path, 'utf8')) as { sockets: { name: string; options: unknown }[] }
    assert.deepEqual(file.sockets.find((s) => s.name === 'weather feed')?.options, {
      receiveHighWaterMark: 5000,
      reconnectInterval: 50,
    })

    await call(Channel.workspaceNew, {})
    assert.deepEqual(engine.list(), [], 'New closes every socket')

    const opened = await open('interop')
    assert.deepEqual(opened.problems, [])
    const feed = byName('weather feed')
    assert.equal(feed.type, 'sub')
    assert.deepEqual(
      feed.subscriptions.map((s) => s.text),
      ['10001 '],
    )
    assert.equal(feed.endpoints[0]?.mode, 'connect')
    // The prefix holds after the round trip: every update the restored SUB gets is for 10001 only.
    const updates = await probe.receivedAtLeast(feed.id, 20)
    assert.ok(updates.every((e) => text(e).startsWith('10001 ')))
    const client = byName('hello client')
    await engine.send(client.id, [txt('Hello')])
    const [reply] = await probe.receivedAtLeast(client.id, 1)
    assert.equal(text(reply!), 'World')
  })

  it('keeps CURVE secrets only when asked: included, the pair works again; omitted, nothing binds in plaintext', async () => {
    const { engine } = services
    const server = engine.curveKeypair()
    const client = engine.curveKeypair()
    const rep = engine.create('rep', 'secure rep', { curve: { role: 'server', ...server } })
    const address = (await engine.bind(rep.id, bindAddress('tcp'))).endpoints[0]!.address
    const req = engine.create('req', 'secure req', {
      curve: { role: 'client', serverKey: server.publicKey, ...client },
    })
    await engine.connect(req.id, address)

    const withSecrets = await save('with-secrets', true)
    const withoutSecrets = await save('without-secrets', false)
    const omitted = readFileSync(withoutSecrets.path, 'utf8')
    assert.ok(!omitted.includes(server.secretKey) && !omitted.includes(client.secretKey), 'no secret key in the file')
    assert.ok(omitted.includes(server.publicKey), 'public keys are kept')
    assert.ok(readFileSync(withSecrets.path, 'utf8').includes(server.secretKey))

    // Saved with a wildcard port, the server binds a new one: the client is pointed at it as a user would.
    await open('with-secrets')
    const [again, againClient] = [byName('secure rep'), byName('secure req')]
    const disconnect = againClient.endpoints[0]!.requested
    engine.disconnect(againClient.id, disconnect)
    await engine.connect(againClient.id, again.endpoints[0]!.address)
    await engine.send(againClient.id, [txt('over curve')])
    await probe.receivedAtLeast(again.id, 1)

    const opened = await open('without-secrets')
    const bare = byName('secure rep')
    assert.equal(bare.endpoints.length, 1)
    assert.equal(bare.endpoints[0]!.status.kind, 'failed')
    assert.match(JSON.stringify(bare.endpoints[0]!.status), /CURVE secret key was left out/)
    assert.ok(opened.problems.some((p) => /secure rep: .*CURVE secret key/.test(p)))
  })

  it('a port in use opens as a failed endpoint on that socket, the rest of the workspace works', async () => {
    const { engine } = services
    const blocker = peer('hwserver.py')
    const port = await blocker.port()
    const pull = engine.create('pull', 'sink')
    const sinkAddress = (await engine.bind(pull.id, bindAddress('tcp'))).endpoints[0]!.address
    const push = engine.create('push', 'source')
    await engine.connect(push.id, sinkAddress)
    const busy = engine.create('pull', 'busy')
    await engine.bind(busy.id, 'tcp://127.0.0.1:*')
    const saved = JSON.parse(readFileSync((await save('busy')).path, 'utf8')) as {
      sockets: { name: string; endpoints: { endpoint: string }[] }[]
    }
    // The saved sink keeps its resolved port and the busy socket asks for the pyzmq peer's port.
    saved.sockets.find((s) => s.name === 'sink')!.endpoints[0]!.endpoint = sinkAddress
    saved.sockets.find((s) => s.name === 'busy')!.endpoints[0]!.endpoint = `tcp://127.0.0.1:${port}`
    await call(Channel.workspaceNew, {})
    const opened = await call<WorkspaceOpened>(Channel.workspaceOpen, {
      file: { kind: 'upload', name: 'busy.zeroscope', content: JSON.stringify(saved) },
    })
    assert.equal(opened.kind, 'opened')
    const failed = byName('busy').endpoints[0]!
    assert.equal(failed.status.kind, 'failed')
    assert.match(JSON.stringify(failed.status), /already in use/)
    assert.ok(opened.kind === 'opened' && opened.problems.length === 1, JSON.stringify(opened))
    // Retrying once the port is free: the failed endpoint is replaced by a bound one.
    await blocker.stop()
    await engine.bind(byName('busy').id, `tcp://127.0.0.1:${port}`)
    assert.deepEqual(
      byName('busy').endpoints.map((e) => e.status.kind),
      ['listening'],
    )
    await engine.send(byName('source').id, [txt('restored pipeline')])
    const [task] = await probe.receivedAtLeast(byName('sink').id, 1)
    assert.equal(text(task!), 'restored pipeline')
  })

  it('saved messages and layout come back with their socket ids of now; taps are restored', async () => {
    const { engine } = services
    const push = engine.create('push', 'producer')
    await services.engine.taps.create({
      family: 'pipeline',
      name: 'work tap',
      producers: { mode: 'bind', endpoint: bindAddress('tcp') },
      consumers: { mode: 'bind', endpoint: bindAddress('tcp') },
    })
    const ui = {
      savedMessages: [{ name: 'job', socketKey: push.id, frames: [txt('job 1'), { enc: 'hex', data: '' }] }],
      layout: { sidebar: 320, terminalOpen: false },
    }
    await save('with-ui', false, ui)
    await call(Channel.workspaceNew, {})
    const opened = await open('with-ui')
    const producer = byName('producer')
    assert.deepEqual(opened.ui.layout, ui.layout)
    assert.deepEqual(opened.ui.savedMessages, [{ ...ui.savedMessages[0], socketKey: producer.id }])
    assert.deepEqual(
      engine.taps.list().map((t) => t.name),
      ['work tap'],
    )
  })

  it('decoder rules and their .proto come back naming the sockets and taps of now, and decode again', async () => {
    const { engine } = services
    const pull = engine.create('pull', 'readings')
    engine.create('push', 'sender')
    const tap = await engine.taps.create({
      family: 'pipeline',
      name: 'rule tap',
      producers: { mode: 'bind', endpoint: bindAddress('tcp') },
      consumers: { mode: 'bind', endpoint: bindAddress('tcp') },
    })
    const schema = await call<{ schemaId: string }>(Channel.protoLoad, {
      name: 'demo.proto',
      text: 'syntax = "proto3"; package demo; message Reading { int32 temp = 1; }',
    })
    const rule = (scope: object, decoder: object) =>
      call(Channel.decoderAdd, { scope, topicPrefix: '', frame: -1, decoder })
    await rule(
      { kind: 'socket', socketId: pull.id },
      { kind: 'protobuf', schemaId: schema.schemaId, messageType: 'demo.Reading' },
    )
    await rule({ kind: 'tap', tapId: tap.id }, { kind: 'sequence', format: 'u32le' })
    await rule({ kind: 'any' }, { kind: 'json' })
    await save('with-rules')
    await call(Channel.workspaceNew, {})
    assert.deepEqual(engine.decoders.state(), { rules: [], schemas: [] })

    const opened = await open('with-rules')
    assert.deepEqual(opened.problems, [])
    const { rules, schemas } = engine.decoders.state()
    assert.deepEqual(
      schemas.map((s) => [s.name, s.messageTypes]),
      [['demo.proto', ['demo.Reading']]],
    )
    const readings = byName('readings')
    assert.deepEqual(
      rules.map((r) => r.scope),
      [{ kind: 'socket', socketId: readings.id }, { kind: 'tap', tapId: engine.taps.list()[0]!.id }, { kind: 'any' }],
    )
    const address = (await engine.bind(readings.id, bindAddress('tcp'))).endpoints.at(-1)!.address
    await engine.connect(byName('sender').id, address)
    await engine.sendBytes(byName('sender').id, [Buffer.from([0x08, 0x2a])])
    const [entry] = await probe.receivedAtLeast(readings.id, 1)
    const decoded = await call<{ frames: { kind: string; value?: unknown }[] }>(Channel.decodeEntry, {
      entryId: entry!.id,
    })
    assert.deepEqual(decoded.frames[0]!.value, {
      t: 'map',
      entries: [{ key: 'temp', value: { t: 'num', v: 42 }, note: '1 int32' }],
    })
  })
})
