// Draft socket types (libzmq built with the draft API): created as what they say, closed cleanly, and CLIENT/SERVER
// talking by routing id.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import * as zmq from 'zeromq'
import type { Engine } from '../../main/engine/engine'
import type { EngineError } from '../../main/engine/errors'
import { bindAddress } from '../helpers/addresses'
import { newEngine, text, txt, type Probe } from '../helpers/probe'

let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = newEngine()))
afterEach(() => engine.shutdown())

const DRAFT_TYPES = ['server', 'client', 'radio', 'dish', 'gather', 'scatter', 'datagram'] as const

describe('draft socket types', { skip: !zmq.capability.draft && 'this libzmq has no draft API' }, () => {
  it('every draft type can be created and closed', async () => {
    for (const type of DRAFT_TYPES) {
      const socket = engine.create(type)
      assert.deepEqual([socket.type, socket.state.kind], [type, 'open'])
      assert.ok(
        engine.list().some((s) => s.id === socket.id),
        `${type} is listed`,
      )
      // libzmq's own type shows in what it accepts: only DISH and DATAGRAM bind udp, the rest refuse it.
      const udp = await engine.bind(socket.id, 'udp://127.0.0.1:*').then(
        () => 'bound',
        (e: EngineError) => e.zmqCode,
      )
      assert.equal(udp, type === 'dish' || type === 'datagram' ? 'bound' : 'ENOCOMPATPROTO', `${type} on udp`)
      await engine.close(socket.id)
      assert.ok(!engine.list().some((s) => s.id === socket.id), `${type} is gone once closed`)
      assert.throws(() => engine.describe(socket.id), { code: 'UNKNOWN_SOCKET' })
    }
  })

  it('CLIENT to SERVER and back, the server replying by routing id', async () => {
    const server = engine.create('server').id
    const client = engine.create('client').id
    await engine.connect(client, (await engine.bind(server, bindAddress('tcp'))).endpoints[0]!.address)
    await engine.send(client, [txt('ping')])
    const [request] = await probe.receivedAtLeast(server, 1)
    const routingId = Buffer.from(request!.peer!, 'hex').toString()
    await engine.send(server, [txt(routingId), txt('pong')])
    const [reply] = await probe.receivedAtLeast(client, 1)
    assert.equal(text(reply!), 'pong')
  })
})
