// The browser host's token rules: what is strong enough to start with, and that nothing empty ever matches.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkTokenStrength, newToken, sameToken, tokenBits } from '../../main/host/access'

describe('token strength', () => {
  it('generated tokens are strong (192 bits of base64url)', () => {
    for (let i = 0; i < 200; i++) assert.deepEqual(checkTokenStrength(newToken()), { kind: 'strong' })
    assert.ok(tokenBits(newToken()) >= 190)
  })

  it('accepts what the README suggests: 32 hex digits, 22+ base64 characters', () => {
    assert.equal(checkTokenStrength('3f9a0c2e7b14d85f6a0e9c3b2d7f1a4e').kind, 'strong')
    assert.equal(checkTokenStrength('q8Zr2m/Wx9+KcP4vLt0bYn3H').kind, 'strong')
  })

  it('refuses empty, short, low-alphabet and repetitive tokens, saying why', () => {
    const weak = (token: string): string => {
      const check = checkTokenStrength(token)
      assert.equal(check.kind, 'weak', token)
      return check.kind === 'weak' ? check.reason : ''
    }
    assert.match(weak(''), /empty/)
    assert.match(weak('a'), /about 4 bits, fewer than 128/)
    assert.match(weak('0123456789012345678901234567890'), /about 102 bits/)
    assert.match(weak('abababababababababababababababababababab'), /repeats fewer than 8/)
  })
})

describe('token comparison', () => {
  it('never matches an empty credential, even against an empty expected token', () => {
    assert.equal(sameToken('', ''), false)
    assert.equal(sameToken('', undefined), false)
    assert.equal(sameToken('secret', ''), false)
    assert.equal(sameToken('secret', 'secreT'), false)
    assert.equal(sameToken('secret', 'secret'), true)
  })
})
