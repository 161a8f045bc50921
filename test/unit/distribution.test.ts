import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { jainIndex } from '../../renderer/lib/distribution'

describe("Jain's fairness index", () => {
  it('is 1 for an even spread and 1/n when one worker takes everything', () => {
    assert.equal(jainIndex([10, 10, 10]), 1)
    assert.equal(jainIndex([30, 0, 0]), 1 / 3)
    assert.ok(Math.abs(jainIndex([20, 10]) - 0.9) < 1e-9)
    assert.equal(jainIndex([0, 0]), 1)
  })
})
