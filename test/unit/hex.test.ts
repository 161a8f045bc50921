// One hex spelling for bytes (contract/hex.ts), and the renderer views that show bytes through it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { toHex } from '../../contract/hex'
import { hexDump } from '../../renderer/lib/decode'
import { framePreview } from '../../renderer/lib/format'
import { matchingFilter } from '../../renderer/lib/topics'

describe('toHex', () => {
  it('spells every byte as two lowercase digits, like Buffer does', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    assert.equal(toHex(all), Buffer.from(all).toString('hex'))
    assert.equal(toHex(new Uint8Array()), '')
    assert.equal(toHex(Uint8Array.of(0x0a, 0xff, 0x00)), '0aff00')
  })

  it('puts a separator between bytes only', () => {
    assert.equal(toHex(Uint8Array.of(1, 2, 3), ' '), '01 02 03')
    assert.equal(toHex(Uint8Array.of(0xab), ':'), 'ab')
    assert.equal(toHex(new Uint8Array(), ' '), '')
  })

  it('honours a subarray view, not the whole buffer behind it', () => {
    const bytes = Uint8Array.of(1, 2, 3, 4)
    assert.equal(toHex(bytes.subarray(1, 3)), '0203')
  })
})

describe('renderer views of bytes', () => {
  it('the hex dump shows offsets, two groups of eight and the printable characters', () => {
    const bytes = new TextEncoder().encode('Hello, ZeroMQ world!')
    assert.equal(
      hexDump(bytes),
      '00000000  48 65 6c 6c 6f 2c 20 5a  65 72 6f 4d 51 20 77 6f  |Hello, ZeroMQ wo|\n' +
        '00000010  72 6c 64 21                                       |rld!|',
    )
  })

  it('a binary frame previews as 0x-prefixed hex', () => {
    const bytes = Uint8Array.of(0, 1, 0xfe, 0xff)
    assert.equal(framePreview({ b64: Buffer.from(bytes).toString('base64'), size: 4, truncated: false }), '0x0001feff')
  })

  it('a filter test matches a subscription by the hex of the message', () => {
    const filters = [
      { hex: toHex(new TextEncoder().encode('100')), text: '100' },
      { hex: '00ff', text: null },
    ]
    assert.equal(matchingFilter('10001 72 40', filters)?.text, '100')
    assert.equal(matchingFilter('94105', filters), null)
  })
})
