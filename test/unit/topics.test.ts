// The inspector's topic tree (counts and rates per topic level) and which subscription a message matched.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { matchingFilter, topicTree } from '../../renderer/lib/topics'

describe('topic tree and filter test', () => {
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
