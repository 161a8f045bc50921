// What a silent shell tab says: "starting…" at first, then what it is most likely waiting for.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { shellWait, SLOW_SHELL_MS } from '../../renderer/lib/shell-wait'

describe('shell wait notice', () => {
  it('is "starting" for the first seconds, then names the profile and ZEROSCOPE_SHELL', () => {
    assert.deepEqual(shellWait(0), { kind: 'starting' })
    assert.deepEqual(shellWait(SLOW_SHELL_MS - 1), { kind: 'starting' })
    const slow = shellWait(SLOW_SHELL_MS)
    assert.equal(slow.kind, 'slow')
    assert.match(slow.kind === 'slow' ? slow.message : '', /login shell's profile \(~\/\.profile, ~\/\.bashrc…\)/)
    assert.match(slow.kind === 'slow' ? slow.message : '', /set ZEROSCOPE_SHELL to run another command/)
    assert.ok(SLOW_SHELL_MS >= 2000 && SLOW_SHELL_MS <= 5000, 'about three seconds')
  })
})
