// The message details' frame decoders: hex dump, JSON, text, base64, msgpack, and the best guess among them.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encode } from '@msgpack/msgpack'
import { bestDecoder, decode, hexDump } from '../../renderer/lib/decode'

describe('frame decoders', () => {
  it('hex dump has offsets, two groups of eight and printable ASCII', () => {
    const dump = hexDump(new TextEncoder().encode('Hello, ZeroMQ world!\x00\xff'))
    assert.equal(dump.split('\n')[0], '00000000  48 65 6c 6c 6f 2c 20 5a  65 72 6f 4d 51 20 77 6f  |Hello, ZeroMQ wo|')
    assert.match(dump.split('\n')[1]!, /^00000010 {2}72 6c 64 21 00 c3 bf/)
  })

  it('decodes JSON pretty, text, base64 and msgpack; says when a decoder does not apply', () => {
    const json = new TextEncoder().encode('{"a":[1,2]}')
    assert.deepEqual(decode(json, 'json'), { kind: 'ok', text: '{\n  "a": [\n    1,\n    2\n  ]\n}' })
    assert.equal(bestDecoder(json), 'json')
    assert.deepEqual(decode(new TextEncoder().encode('héllo'), 'text'), { kind: 'ok', text: 'héllo' })
    assert.deepEqual(decode(new Uint8Array([0xff, 0xfe]), 'text'), {
      kind: 'not-applicable',
      reason: 'not valid UTF-8; see hex',
    })
    assert.equal(bestDecoder(new Uint8Array([0xff, 0xfe])), 'hex')
    assert.deepEqual(decode(new Uint8Array([0xde, 0xad]), 'base64'), { kind: 'ok', text: '3q0=' })
    const packed = encode({ topic: 'weather', temps: [21, -3] })
    assert.deepEqual(JSON.parse((decode(packed, 'msgpack') as { text: string }).text), {
      topic: 'weather',
      temps: [21, -3],
    })
    assert.equal(decode(new TextEncoder().encode('plain'), 'json').kind, 'not-applicable')
  })
})
