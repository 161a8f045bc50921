// The composer's frame encodings become exact bytes, and malformed input names its frame.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encodeFrame } from '../../main/engine/codec'

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
