import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodeFrame } from '../../main/engine/codec'
import { checkEndpoint } from '../../contract/endpoint'

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

describe('frame codec', () => {
  it('encodes text, JSON, hex and base64 to exact bytes', () => {
    assert.equal(encodeFrame({ enc: 'text', data: 'Hello' }).toString('hex'), '48656c6c6f')
    assert.equal(encodeFrame({ enc: 'json', data: '{ "a" : [1, 2] }' }).toString(), '{"a":[1,2]}')
    assert.equal(encodeFrame({ enc: 'hex', data: 'de:ad be ef' }).toString('hex'), 'deadbeef')
    assert.equal(encodeFrame({ enc: 'base64', data: '3q2+7w==' }).toString('hex'), 'deadbeef')
    assert.equal(encodeFrame({ enc: 'hex', data: '' }).length, 0)
  })

  it('rejects malformed input with the frame number', () => {
    assert.throws(() => encodeFrame({ enc: 'hex', data: 'zz' }, 2), /frame 3: hex may only contain/)
    assert.throws(() => encodeFrame({ enc: 'base64', data: '***' }), /not valid base64/)
    assert.throws(() => encodeFrame({ enc: 'json', data: 'nope' }), /not valid JSON/)
  })
})
