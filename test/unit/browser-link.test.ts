// The browser page's link to its host: the reconnect back-off, and what it says when the host refuses it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { backoffMs, refusalReason, refusedMessage, SLOW_RETRY_MS } from '../../renderer/lib/link'

describe('reconnect back-off', () => {
  it('0.25 s doubling to 5 s', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 20].map((failures) => backoffMs(failures)),
      [250, 500, 1000, 2000, 4000, 5000, 5000, 5000],
    )
    assert.equal(SLOW_RETRY_MS, 5000)
  })

  it("reads the host's refusal reason and says a wrong token plainly", () => {
    const body = 'ZeroScope refused this request: missing or wrong token. Open the URL printed by "npm run serve".\n'
    assert.equal(refusalReason(body, 'Unauthorized'), 'missing or wrong token')
    assert.equal(
      refusalReason('ZeroScope refused this request: host 10.0.0.1:80 is not served here.\n', ''),
      'host 10.0.0.1:80 is not served here',
    )
    assert.equal(refusalReason('<html>', 'Forbidden'), 'Forbidden')
    assert.match(
      refusedMessage({ status: 401, reason: 'missing or wrong token' }),
      /HTTP 401: missing or wrong token\); if it was restarted with a new token, open the URL it printed/,
    )
  })
})
