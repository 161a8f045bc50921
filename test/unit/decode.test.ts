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

describe('topic tree and filter test', async () => {
  const { topicTree, matchingFilter } = await import('../../renderer/lib/topics')
  const row = (id: number, text: string, wall: number) => ({
    id,
    socketId: 's1',
    dir: 'in' as const,
    mono: 0,
    wall,
    size: text.length,
    frames: [{ size: text.length, b64: Buffer.from(text).toString('base64'), truncated: false }],
  })
  it('counts topics per level with a rate over the last ten seconds', () => {
    const rows = [
      row(1, 'prices.eu.dax 1', 0),
      row(2, 'prices.eu.cac 2', 19_000),
      row(3, 'prices.us.spx 3', 19_500),
      row(4, 'news.x', 19_900),
    ]
    const tree = topicTree(rows, 's1', '.', 20_000)
    assert.deepEqual(
      tree.map((n) => [n.name, n.count, n.perSecond]),
      [
        ['prices', 3, 0.2],
        ['news', 1, 0.1],
      ],
    )
    assert.deepEqual(
      tree[0]!.children.map((n) => [n.name, n.count]),
      [
        ['eu', 2],
        ['us', 1],
      ],
    )
  })
  it('tests a message against the filters by prefix', () => {
    const filters = [
      { hex: Buffer.from('10001').toString('hex'), text: '10001' },
      { hex: '', text: '' },
    ]
    assert.equal(matchingFilter('10001 20 30', filters)?.text, '10001')
    assert.equal(matchingFilter('99999 1 1', filters)?.text, '')
    assert.equal(matchingFilter('99999 1 1', filters.slice(0, 1)), null)
  })
})
