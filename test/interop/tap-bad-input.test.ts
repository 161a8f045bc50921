// Taps asked for the wrong thing, through the contract as a host would ask: sides that would connect to each
// other, an endpoint already in use, a family/side mismatch, a side that never connects. Each gets a clear
// {code, message}, leaves nothing behind, and a working tap between pyzmq peers and the engine's own sockets
// keep working beside it.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import type { TapSummary } from '../../contract/taps'
import type { ContractError, Result } from '../../contract/views'
import type { Engine } from '../../main/engine/engine'
import type { Services } from '../../main/host/services'
import { dispatch } from '../../main/host/dispatch'
import { newServices, text, type Probe } from '../helpers/probe'
import { PythonPeer } from '../helpers/python-peer'
import { freePort } from '../helpers/tap-peers'

/** A hung wait fails its own test by name, well inside the file's timeout. */
const PER_TEST = { timeout: 15_000 }

let services: Services
let engine: Engine
let probe: Probe
let peers: PythonPeer[] = []
let dirs: string[] = []

function peer(script: string, args: string[] = []): PythonPeer {
  const started = new PythonPeer(script, args)
  peers.push(started)
  return started
}

beforeEach(() => ({ services, engine, probe } = newServices()))
afterEach(async () => {
  await services.shutdown()
  await Promise.all(peers.map((p) => p.stop()))
  peers = []
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  dirs = []
})

const tcp = (port: number, host = '127.0.0.1') => `tcp://${host}:${port}`

function createTap(payload: unknown): Promise<Result<unknown>> {
  return dispatch(services, Channel.tapCreate, payload)
}

function refused(result: Result<unknown>): ContractError {
  assert.equal(result.ok, false, `refused: ${JSON.stringify(result).slice(0, 300)}`)
  if (result.ok) throw new Error('unreachable')
  // One sentence for the inline message: no stack, no object dump.
  assert.doesNotMatch(result.error.message, /\n|\bat .*:\d+:\d+|\[object /, result.error.message)
  return result.error
}

async function done(clients: PythonPeer, total: number): Promise<void> {
  const [line, ok, bad] = await clients.line(new RegExp(`^done c1 ${total} ok=(\\d+) bad=(\\d+)$`))
  assert.deepEqual([Number(ok), Number(bad)], [total, 0], line)
}

/**
 * What must keep working whatever a bad request does: a request/reply tap between a pyzmq client and service,
 * and a PUSH -> PULL pair of the engine's own. `check` runs a round through each and asserts that no socket or
 * tap came or went.
 */
async function bystanders(): Promise<{
  tap: TapSummary
  servicePort: number
  check(made?: TapSummary[]): Promise<void>
}> {
  const service = peer('tap_service.py')
  const servicePort = await service.port()
  const tap = await engine.taps.create({
    family: 'reqrep',
    clients: { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' },
    service: { mode: 'connect', endpoint: tcp(servicePort) },
  })
  const client = peer('tap_clients.py', ['--connect', tap.upstream.address, '--id', '6231'])
  client.write('send 2\n')
  await done(client, 2)
  const pull = engine.create('pull', 'bystander pull').id
  const address = (await engine.bind(pull, 'tcp://127.0.0.1:*')).endpoints[0]!.address
  const push = engine.create('push', 'bystander push').id
  await engine.connect(push, address)
  const sockets = engine
    .list()
    .map((s) => s.id)
    .sort()
  let rounds = 1
  return {
    tap,
    servicePort,
    /** `made`: taps the test made on purpose since, whose sides are expected in the lists. */
    async check(made: TapSummary[] = []) {
      const sides = made.flatMap((t) => [t.upstream.socketId, t.downstream.socketId])
      assert.deepEqual(
        engine
          .list()
          .map((s) => s.id)
          .sort(),
        [...sockets, ...sides].sort(),
        'no side socket left behind',
      )
      assert.deepEqual(
        engine.taps.list().map((t) => [t.id, t.state.kind]),
        [tap, ...made].map((t) => [t.id, 'open']),
      )
      rounds++
      client.write('send 2\n')
      await done(client, 2 * rounds)
      const word = `still working ${rounds}`
      await engine.sendBytes(push, [Buffer.from(word)])
      await probe.until(() => probe.received(pull).some((e) => text(e) === word))
    },
  }
}

describe('tap bad input, with a working tap and sockets beside it', () => {
  it(
    'sides that would connect to each other are refused with NOT_ALLOWED, and their ports are released',
    PER_TEST,
    async () => {
      const others = await bystanders()
      const dir = mkdtempSync(join(tmpdir(), 'zs-tap-'))
      dirs.push(dir)
      const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()]
      const loops: { payload: object; roles: [string, string]; port?: number }[] = [
        {
          payload: {
            family: 'reqrep',
            clients: { mode: 'bind', endpoint: tcp(p1) },
            service: { mode: 'connect', endpoint: tcp(p1) },
          },
          roles: ['clients', 'service'],
          port: p1,
        },
        // The same place spelled differently: a wildcard bind is reached through localhost.
        {
          payload: {
            family: 'reqrep',
            clients: { mode: 'bind', endpoint: tcp(p2, '*') },
            service: { mode: 'connect', endpoint: tcp(p2, 'localhost') },
          },
          roles: ['clients', 'service'],
          port: p2,
        },
        {
          payload: {
            family: 'pipeline',
            producers: { mode: 'connect', endpoint: tcp(p3) },
            consumers: { mode: 'bind', endpoint: tcp(p3, '0.0.0.0') },
          },
          roles: ['producers', 'consumers'],
          port: p3,
        },
        {
          payload: {
            family: 'pubsub',
            publishers: { mode: 'connect', endpoint: `ipc://${dir}/loop.sock` },
            subscribers: { mode: 'bind', endpoint: `ipc://${dir}/loop.sock` },
          },
          roles: ['publishers', 'subscribers'],
        },
      ]
      for (const { payload, roles, port } of loops) {
        const error = refused(await createTap(payload))
        assert.equal(error.code, 'NOT_ALLOWED', `${JSON.stringify(payload)}: ${error.message}`)
        for (const role of roles) assert.match(error.message, new RegExp(`\\b${role}\\b`), error.message)
        assert.match(error.message, /each other|itself/, error.message)
        await others.check()
        // The side that had bound for the check let go of its port.
        if (port !== undefined) {
          const rep = engine.create('rep', 'port check').id
          await engine.bind(rep, tcp(port))
          await engine.close(rep)
        }
      }
    },
  )

  it(
    'an endpoint in use is a ZMQ_ERROR with EADDRINUSE that names the side; the side that had bound is undone',
    PER_TEST,
    async () => {
      const others = await bystanders()
      const owner = peer('tap_service.py')
      const taken = await owner.port()
      const clientsSide = refused(
        await createTap({
          family: 'reqrep',
          clients: { mode: 'bind', endpoint: tcp(taken) },
          service: { mode: 'connect', endpoint: tcp(others.servicePort) },
        }),
      )
      assert.deepEqual([clientsSide.code, clientsSide.zmqCode], ['ZMQ_ERROR', 'EADDRINUSE'], clientsSide.message)
      assert.match(clientsSide.message, /\bclients side\b/)
      assert.match(clientsSide.message, new RegExp(`:${taken}\\b`), 'names the endpoint')
      await others.check()

      // The working tap's own client port; the producers side binds first and must be closed again.
      const consumersSide = refused(
        await createTap({
          family: 'pipeline',
          producers: { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' },
          consumers: { mode: 'bind', endpoint: others.tap.upstream.address },
        }),
      )
      assert.deepEqual([consumersSide.code, consumersSide.zmqCode], ['ZMQ_ERROR', 'EADDRINUSE'], consumersSide.message)
      assert.match(consumersSide.message, /\bconsumers side\b/)
      await others.check()

      const subscribersSide = refused(
        await createTap({
          family: 'pubsub',
          publishers: { mode: 'connect', endpoint: tcp(taken) },
          subscribers: { mode: 'bind', endpoint: tcp(taken) },
        }),
      )
      // Both name the same port, but what is bound there is another process: the bind fails, not the loop check.
      assert.deepEqual(
        [subscribersSide.code, subscribersSide.zmqCode],
        ['ZMQ_ERROR', 'EADDRINUSE'],
        subscribersSide.message,
      )
      assert.match(subscribersSide.message, /\bsubscribers side\b/)
      await others.check()
    },
  )

  it(
    'a family/side mismatch, a missing side or an unknown family is INVALID_REQUEST naming what is wrong',
    PER_TEST,
    async () => {
      const others = await bystanders()
      const side = { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' }
      const cases: { payload: object; names: RegExp[] }[] = [
        { payload: { family: 'reqrep', publishers: side, subscribers: side }, names: [/\bclients\b/, /"publishers"/] },
        { payload: { family: 'pubsub', clients: side, service: side }, names: [/\bpublishers\b/, /"clients"/] },
        { payload: { family: 'pipeline', producers: side }, names: [/\bconsumers\b/] },
        { payload: { family: 'pair', producers: side, consumers: side }, names: [/\bfamily\b/, /reqrep/] },
        {
          payload: { family: 'pipeline', producers: side, consumers: { mode: 'connect', endpoint: 'tcp://' } },
          names: [/consumers\.endpoint/],
        },
        {
          payload: { family: 'reqrep', clients: side, service: { ...side, mode: 'listen' } },
          names: [/service\.mode/],
        },
      ]
      for (const { payload, names } of cases) {
        const error = refused(await createTap(payload))
        assert.equal(error.code, 'INVALID_REQUEST', `${JSON.stringify(payload)}: ${error.message}`)
        for (const name of names) assert.match(error.message, name, error.message)
      }
      await others.check()
    },
  )

  it(
    'a side that never connects: the tap is made, the other side works, the side shows it retrying, and it catches up',
    PER_TEST,
    async () => {
      const others = await bystanders()
      const nobody = await freePort()
      const result = await createTap({
        family: 'reqrep',
        clients: { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' },
        service: { mode: 'connect', endpoint: tcp(nobody) },
      })
      assert.equal(result.ok, true, JSON.stringify(result))
      const tap = (result as { ok: true; value: TapSummary }).value
      const dealer = tap.downstream.socketId
      const status = () => probe.sockets.find((s) => s.id === dealer)?.endpoints[0]?.status
      await probe.until(() => status()?.kind === 'retrying')

      // The clients side works meanwhile: a client connects and its request is received and captured.
      const client = peer('tap_clients.py', ['--connect', tap.upstream.address, '--id', '6331'])
      await probe.timelineAtLeast(tap.upstream.socketId, 'accept')
      client.write('send 1\n')
      const [request] = await probe.receivedAtLeast(tap.upstream.socketId, 1)
      assert.equal(request!.peer, '6331')
      await probe.until(() => probe.taps.find((t) => t.id === tap.id)?.inFlight === 1)
      await others.check([tap])

      // The service turns up at last: the request waiting in the tap reaches it and the reply comes back.
      const late = peer('tap_service.py', ['--port', String(nobody)])
      await late.port()
      await done(client, 1)
      await probe.until(() => status()?.kind === 'connected')
      assert.equal(engine.taps.stats(tap.id).correlation!.clients[0]?.replies, 1)
      await others.check([tap])
    },
  )
})
