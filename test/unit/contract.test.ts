// Every channel answers malformed payloads with a structured error, never a throw; real failures from
// libzmq (port in use, bad transport) come back as clear messages.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { dispatch } from '../../main/host/dispatch'
import { Channel, CHANNEL_NAMES } from '../../contract/channels'
import type { Result, SocketSummary } from '../../contract/views'
import { newServices, text, type Probe } from '../helpers/probe'
import type { Services } from '../../main/host/services'

let services: Services
let probe: Probe
beforeEach(() => ({ services, probe } = newServices()))
afterEach(() => services.shutdown())

function failure(result: Result<unknown>): { code: string; message: string; zmqCode?: string } {
  assert.equal(result.ok, false, `expected an error, got ${JSON.stringify(result)}`)
  if (result.ok) throw new Error('unreachable')
  assert.equal(typeof result.error.message, 'string')
  return result.error
}

async function ok<T>(channel: string, payload: unknown): Promise<T> {
  const result = await dispatch(services, channel, payload)
  assert.equal(result.ok, true, JSON.stringify(result))
  return (result as { ok: true; value: T }).value
}

describe('contract validation', () => {
  it('rejects wrong types, missing fields and unknown keys on every channel', async () => {
    const malformed: unknown[] = [
      42,
      'x',
      [],
      { socketId: 5 },
      { socketId: 's1', endpoint: 7 },
      { extra: true },
      JSON.parse('{"__proto__": {"polluted": true}}'),
    ]
    for (const channel of CHANNEL_NAMES) {
      for (const payload of malformed) {
        const result = await dispatch(services, channel, payload)
        // Channels without fields accept {} only; anything else must be refused, never thrown.
        if (result.ok) assert.deepEqual(payload, {}, `${channel} accepted ${JSON.stringify(payload)}`)
        else
          assert.ok(
            ['INVALID_REQUEST', 'UNKNOWN_SOCKET'].includes(result.error.code),
            `${channel}: ${result.error.code}`,
          )
      }
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  it('names the field and the problem', async () => {
    const error = failure(await dispatch(services, Channel.socketCreate, { type: 'pubsub' }))
    assert.equal(error.code, 'INVALID_REQUEST')
    assert.match(error.message, /socket:create: type: /)
    const missing = failure(await dispatch(services, Channel.socketSend, { socketId: 's1' }))
    assert.match(missing.message, /frames/)
    const empty = failure(await dispatch(services, Channel.socketSend, { socketId: 's1', frames: [] }))
    assert.match(empty.message, /at least one frame/)
    const nan = failure(await dispatch(services, Channel.logQuery, { limit: Number.NaN }))
    assert.match(nan.message, /limit/)
  })

  it('refuses unknown channels and unknown socket ids', async () => {
    assert.equal(failure(await dispatch(services, 'socket:explode', {})).code, 'UNKNOWN_CHANNEL')
    assert.equal(failure(await dispatch(services, Channel.socketClose, { socketId: 's999' })).code, 'UNKNOWN_SOCKET')
    assert.equal(failure(await dispatch(services, Channel.logFrames, { entryId: 99 })).code, 'UNKNOWN_ENTRY')
  })

  it('refuses invalid endpoints with a sentence about them', async () => {
    const sub = await ok<SocketSummary>(Channel.socketCreate, { type: 'sub' })
    const cases: [string, string, RegExp][] = [
      [Channel.socketConnect, 'tcp://*:5555', /only makes sense for bind/],
      [Channel.socketConnect, 'tcp://localhost', /host:port/],
      [Channel.socketConnect, 'tcp://localhost:99999', /outside 1-65535/],
      [Channel.socketBind, 'pgm://eth0;239.0.0.1:5555', /unsupported transport "pgm"/],
      [Channel.socketBind, 'localhost:5555', /transport:\/\/address/],
      [Channel.socketConnect, 'tcp://300.1.1.1:5', /not a valid IPv4/],
    ]
    for (const [channel, endpoint, expected] of cases) {
      const error = failure(await dispatch(services, channel, { socketId: sub.id, endpoint }))
      assert.equal(error.code, 'INVALID_REQUEST')
      assert.match(error.message, expected)
    }
  })

  it('answers a port already in use with EADDRINUSE, and the socket stays usable', async () => {
    const first = await ok<SocketSummary>(Channel.socketCreate, { type: 'rep' })
    const bound = await ok<SocketSummary>(Channel.socketBind, { socketId: first.id, endpoint: 'tcp://127.0.0.1:*' })
    const second = await ok<SocketSummary>(Channel.socketCreate, { type: 'rep' })
    const error = failure(
      await dispatch(services, Channel.socketBind, { socketId: second.id, endpoint: bound.endpoints[0]!.address }),
    )
    assert.equal(error.zmqCode, 'EADDRINUSE')
    assert.match(error.message, /already in use/)
    const retry = await ok<SocketSummary>(Channel.socketBind, { socketId: second.id, endpoint: 'tcp://127.0.0.1:*' })
    assert.equal(retry.endpoints.length, 1)
  })

  it('answers misuse of a pattern clearly', async () => {
    const sub = await ok<SocketSummary>(Channel.socketCreate, { type: 'sub' })
    const send = failure(
      await dispatch(services, Channel.socketSend, { socketId: sub.id, frames: [{ enc: 'text', data: 'x' }] }),
    )
    assert.match(send.message, /SUB sockets only receive/)
    const pub = await ok<SocketSummary>(Channel.socketCreate, { type: 'pub' })
    const subscribe = failure(
      await dispatch(services, Channel.socketSubscribe, { socketId: pub.id, prefix: { enc: 'text', data: 'a' } }),
    )
    assert.match(subscribe.message, /only SUB and XSUB/)
    const option = failure(
      await dispatch(services, Channel.socketSetOptions, { socketId: pub.id, options: { routerMandatory: true } }),
    )
    assert.match(option.message, /ROUTER sockets only/)
    const rep = await ok<SocketSummary>(Channel.socketCreate, { type: 'rep' })
    const early = failure(
      await dispatch(services, Channel.socketSend, { socketId: rep.id, frames: [{ enc: 'text', data: 'x' }] }),
    )
    assert.equal(early.zmqCode, 'EFSM')
    const hex = failure(
      await dispatch(services, Channel.socketSend, { socketId: pub.id, frames: [{ enc: 'hex', data: 'abc' }] }),
    )
    assert.match(hex.message, /even number/)
    const json = failure(
      await dispatch(services, Channel.socketSend, { socketId: pub.id, frames: [{ enc: 'json', data: '{nope' }] }),
    )
    assert.match(json.message, /not valid JSON/)
    const missingDir = failure(
      await dispatch(services, Channel.socketBind, { socketId: pub.id, endpoint: 'ipc:///nonexistent-dir/x.sock' }),
    )
    assert.equal(missingDir.code, 'ZMQ_ERROR')
  })

  it('generates CURVE key pairs and secures a connection with them', async () => {
    const server = await ok<{ publicKey: string; secretKey: string }>(Channel.curveKeypair, {})
    const client = await ok<{ publicKey: string; secretKey: string }>(Channel.curveKeypair, {})
    assert.equal(server.publicKey.length, 40)
    const rep = await ok<SocketSummary>(Channel.socketCreate, {
      type: 'rep',
      options: { curve: { role: 'server', ...server } },
    })
    const bound = await ok<SocketSummary>(Channel.socketBind, { socketId: rep.id, endpoint: 'tcp://127.0.0.1:*' })
    const req = await ok<SocketSummary>(Channel.socketCreate, {
      type: 'req',
      options: { curve: { role: 'client', serverKey: server.publicKey, ...client } },
    })
    await ok(Channel.socketConnect, { socketId: req.id, endpoint: bound.endpoints[0]!.address })
    await ok(Channel.socketSend, { socketId: req.id, frames: [{ enc: 'text', data: 'secret hello' }] })
    const [received] = await probe.receivedAtLeast(rep.id, 1)
    assert.equal(text(received!), 'secret hello')
    await probe.timelineAtLeast(req.id, 'handshake')
    // Secured, not merely configured: a client without the keys does not get through the handshake.
    const intruder = await ok<SocketSummary>(Channel.socketCreate, { type: 'req' })
    await ok(Channel.socketConnect, { socketId: intruder.id, endpoint: bound.endpoints[0]!.address })
    const refused = () =>
      probe.timeline.some((t) => [rep.id, intruder.id].includes(t.socketId) && t.kind.startsWith('handshake:error'))
    const admitted = () => probe.eventsOf(intruder.id, 'handshake').length > 0
    await probe.until(() => refused() || admitted())
    assert.equal(admitted(), false, 'a client without the keys completed a handshake')
    const bad = failure(
      await dispatch(services, Channel.socketCreate, {
        type: 'req',
        options: { curve: { role: 'server', publicKey: 'x'.repeat(39), secretKey: 'y' } },
      }),
    )
    assert.match(bad.message, /curve/)
  })
})
