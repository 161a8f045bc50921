// Endpoints: the syntax the contract accepts, and binding, connecting and removing them on real sockets.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { checkEndpoint } from '../../contract/endpoint'
import type { Engine } from '../../main/engine/engine'
import type { EngineError } from '../../main/engine/errors'
import { bindAddress } from '../helpers/addresses'
import { newEngine } from '../helpers/probe'

describe('endpoint syntax', () => {
  it('accepts what libzmq accepts', () => {
    for (const [endpoint, mode] of [
      ['tcp://*:5555', 'bind'],
      ['tcp://127.0.0.1:*', 'bind'],
      ['tcp://localhost:5555', 'connect'],
      ['tcp://[::1]:5555', 'connect'],
      ['udp://127.0.0.1:5555', 'connect'],
      ['tcp://192.168.1.2;10.0.0.1:5555', 'connect'],
      ['ipc:///tmp/feed.sock', 'bind'],
      ['ipc://@abstract', 'connect'],
      ['inproc://workers', 'bind'],
    ] as const) {
      assert.equal(checkEndpoint(endpoint, mode).kind, 'valid', endpoint)
    }
  })

  it('explains what is wrong', () => {
    const message = (endpoint: string, mode: 'bind' | 'connect') => {
      const check = checkEndpoint(endpoint, mode)
      return check.kind === 'invalid' ? check.message : ''
    }
    assert.match(message('tcp://*:5555', 'connect'), /only makes sense for bind/)
    assert.match(message('tcp://localhost:*', 'connect'), /concrete port/)
    assert.match(message('http://x:1', 'bind'), /unsupported transport "http"/)
    assert.match(message('tcp://', 'bind'), /needs an address/)
    assert.match(message(`ipc:///${'a'.repeat(200)}`, 'bind'), /limit is 107/)
  })

  it('the unsupported-transport advice lists exactly the transports it accepts', () => {
    const check = checkEndpoint('pgm://eth0;239.192.1.1:5555', 'connect')
    assert.equal(check.kind, 'invalid')
    const advice = /: use (.+)$/.exec(check.kind === 'invalid' ? check.message : '')?.[1] ?? ''
    const listed = advice.split(/, | or /)
    assert.deepEqual([...listed].sort(), ['inproc', 'ipc', 'tcp', 'udp'], advice)
    for (const transport of listed) {
      assert.equal(checkEndpoint(`${transport}://127.0.0.1:5555`, 'connect').kind, 'valid', transport)
    }
    for (const transport of ['pgm', 'epgm', 'tipc', 'vmci', 'ws', 'norm']) {
      assert.equal(checkEndpoint(`${transport}://127.0.0.1:5555`, 'connect').kind, 'invalid', transport)
    }
  })
})

describe('endpoints on a socket', () => {
  let engine: Engine
  beforeEach(() => ({ engine } = newEngine()))
  afterEach(() => engine.shutdown())

  it('unbind and disconnect remove endpoints; unknown ones are refused by name', async () => {
    const rep = engine.create('rep').id
    const address = (await engine.bind(rep, 'tcp://127.0.0.1:*')).endpoints[0]!.address
    await engine.bind(rep, bindAddress('ipc'))
    const req = engine.create('req').id
    await engine.connect(req, address)
    assert.equal(engine.disconnect(req, address).endpoints.length, 0)
    const left = (await engine.unbind(rep, address)).endpoints
    assert.equal(left.length, 1)
    assert.match(left[0]!.address, /^ipc:\/\//, 'the other endpoint stays')
    assert.throws(() => engine.disconnect(req, 'tcp://127.0.0.1:1'), /is not connected/)
    await assert.rejects(engine.unbind(rep, 'tcp://127.0.0.1:1'), /is not bound/)
  })

  it('an incompatible transport is explained (udp on a REQ)', async () => {
    const req = engine.create('req').id
    await assert.rejects(engine.connect(req, 'udp://127.0.0.1:5555'), (e: EngineError) => {
      assert.deepEqual([e.code, e.zmqCode], ['ZMQ_ERROR', 'ENOCOMPATPROTO'])
      assert.match(
        e.message,
        /^connect udp:\/\/127\.0\.0\.1:5555: the transport is not compatible with this socket type/,
      )
      return true
    })
    assert.deepEqual(engine.describe(req).endpoints, [], 'the socket is left as it was')
  })
})
