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

describe('distribution helpers', async () => {
  const { byField, countsBetween } = await import('../../renderer/lib/distribution')
  it('counts a sink’s messages by a word of the payload', () => {
    const results = ['worker 1 done', 'worker 2 done', 'worker 1 done', 'other']
    assert.deepEqual(byField(results, 2), [
      { value: '1', messages: 2 },
      { value: '2', messages: 1 },
    ])
  })
  it('counts messages between timeline events', () => {
    // messages at t=1..10; events (newest first) at 8, 4, 0
    assert.deepEqual(countsBetween([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [8, 4, 0]), [3, 4, 3])
  })
})
