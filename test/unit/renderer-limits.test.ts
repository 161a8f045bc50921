// Sizes the page refuses before sending: a request over the WebSocket limit, a message over the contract's.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_MESSAGE_BYTES, MAX_WS_PAYLOAD_BYTES } from '../../contract/limits'
import { formatMiB } from '../../renderer/lib/format'
import { messageSizeProblem, oversizeBytes, requestTooLargeMessage, utf8Bytes } from '../../renderer/lib/limits'

describe('request size', () => {
  it('utf8Bytes agrees with TextEncoder, surrogate pairs and lone surrogates included', () => {
    for (const text of ['', 'ascii', 'é', '€', '😀', 'a😀b', '\ud800', '\udc00x', 'x\ud83d']) {
      assert.equal(utf8Bytes(text), new TextEncoder().encode(text).length, JSON.stringify(text))
    }
  })

  it('small requests are not measured; large ones are, by bytes not characters', () => {
    assert.equal(oversizeBytes('x'.repeat(10), 30), null)
    assert.equal(oversizeBytes('x'.repeat(11), 30), null, 'over a third of the limit in characters, but 11 bytes')
    assert.equal(oversizeBytes('€'.repeat(11), 30), 33)
    assert.equal(oversizeBytes('€'.repeat(10), 30), null)
  })

  it('a request over the WebSocket limit is named with its size and the limit', () => {
    const message = requestTooLargeMessage(
      'socket:send',
      MAX_WS_PAYLOAD_BYTES + 5.5 * 1024 * 1024,
      MAX_WS_PAYLOAD_BYTES,
    )
    assert.match(message, /^socket:send is 133\.5 MiB as JSON; the browser host accepts at most 128 MiB per request/)
    assert.equal(formatMiB(1536 * 1024), '1.5 MiB')
  })
})

describe('message size in the composer', () => {
  it('measures as the contract does: JSON-escaped bytes of the frame data', () => {
    assert.equal(messageSizeProblem([{ data: 'x'.repeat(60) }], 60), null)
    assert.match(messageSizeProblem([{ data: 'x'.repeat(61) }], 60) ?? '', /take 0\.0 MiB encoded/)
    // 10 control characters are 6 bytes each as JSON: 60 fits, 66 does not.
    assert.equal(messageSizeProblem([{ data: '\u0001'.repeat(10) }], 60), null)
    assert.notEqual(messageSizeProblem([{ data: '\u0001'.repeat(10) }, { data: 'abcdef' }], 60), null)
  })

  it('names the sizes in one sentence at the real limit', () => {
    const half = 'a'.repeat(MAX_MESSAGE_BYTES / 2)
    assert.equal(messageSizeProblem([{ data: half }, { data: half }]), null)
    const problem = messageSizeProblem([{ data: half }, { data: half }, { data: 'a'.repeat(1024 * 1024) }])
    assert.equal(
      problem,
      'The frames together take 97 MiB encoded; one message may take at most 96 MiB (72 MiB of binary as base64), so send it in parts.',
    )
  })
})
