// The log window's gap arithmetic: which ids the page lacks, and the log:query pages that fetch them.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { countIds, missingRanges, pagesSpan, queryPages, type IdRange } from '../../renderer/lib/log-gaps'

const rows = (...ids: number[]) => ids.map((id) => ({ id }))
/** Every id a set of pages returns when the ring holds `ring` (ids ascending, no socket filter). */
function fetched(pages: { beforeId: number; limit: number }[], ring: { first: number; last: number }): Set<number> {
  const ids = new Set<number>()
  for (const { beforeId, limit } of pages) {
    for (let id = Math.min(beforeId, ring.last + 1) - 1; id >= ring.first && id >= beforeId - limit; id--) ids.add(id)
  }
  return ids
}
const idsOf = (ranges: IdRange[]) =>
  ranges.flatMap((r) => Array.from({ length: r.to - r.from + 1 }, (_, i) => r.from + i))

describe('missingRanges', () => {
  it('finds holes, a missing head and a missing tail within [low, high]', () => {
    assert.deepEqual(missingRanges(rows(3, 4, 7, 10), 1, 12), [
      { from: 1, to: 2 },
      { from: 5, to: 6 },
      { from: 8, to: 9 },
      { from: 11, to: 12 },
    ])
  })

  it('ignores rows outside the window and duplicates', () => {
    assert.deepEqual(missingRanges(rows(1, 2, 5, 5, 6, 20), 4, 8), [
      { from: 4, to: 4 },
      { from: 7, to: 8 },
    ])
  })

  it('a complete window and an empty one', () => {
    assert.deepEqual(missingRanges(rows(1, 2, 3), 1, 3), [])
    assert.deepEqual(missingRanges([], 5, 9), [{ from: 5, to: 9 }])
    assert.deepEqual(missingRanges(rows(1), 2, 1), [])
  })

  it('counts ids', () => {
    assert.equal(
      countIds([
        { from: 1, to: 2 },
        { from: 5, to: 5 },
      ]),
      3,
    )
    assert.equal(countIds([]), 0)
  })
})

describe('queryPages', () => {
  it('nothing missing, nothing to ask', () => {
    assert.deepEqual(queryPages([]), [])
    assert.equal(pagesSpan([]), undefined)
  })

  it('one small gap is one exact page', () => {
    assert.deepEqual(queryPages([{ from: 11, to: 40 }]), [{ beforeId: 41, limit: 30 }])
  })

  it('a long gap is paged newest first, each at most the page limit, down to its oldest id', () => {
    const pages = queryPages([{ from: 1, to: 12_001 }], 5000)
    assert.deepEqual(pages, [
      { beforeId: 12_002, limit: 5000 },
      { beforeId: 7002, limit: 5000 },
      { beforeId: 2002, limit: 2001 },
    ])
    assert.deepEqual(pagesSpan(pages), { from: 1, to: 12_001 })
  })

  it('fragmented gaps share pages: never more than the window spans in pages', () => {
    // Every other id missing over 50,000 ids: 25,000 gaps, but 10 pages.
    const present = rows(...Array.from({ length: 25_000 }, (_, i) => 2 * i + 2))
    const gaps = missingRanges(present, 1, 50_000)
    assert.equal(gaps.length, 25_000)
    const pages = queryPages(gaps)
    assert.ok(pages.length <= 10, `${pages.length} pages`)
    for (const page of pages) assert.ok(page.limit >= 1 && page.limit <= 5000)
    const got = fetched(pages, { first: 1, last: 50_000 })
    for (const id of idsOf(gaps)) assert.ok(got.has(id), `id ${id} not fetched`)
  })

  it('pages skip over long stretches that are present', () => {
    const gaps = [
      { from: 10, to: 12 },
      { from: 40_000, to: 40_004 },
    ]
    assert.deepEqual(queryPages(gaps), [
      { beforeId: 40_005, limit: 5 },
      { beforeId: 13, limit: 3 },
    ])
  })

  it('whatever the ring no longer has stays missing after the pages are fetched', () => {
    // The ring kept ids 500.. only; the page lacks 1..999.
    const gaps = missingRanges(rows(1000, 1001), 1, 1001)
    const got = fetched(queryPages(gaps), { first: 500, last: 1001 })
    const after = missingRanges(rows(...[...got].sort((a, b) => a - b), 1000, 1001), 1, 1001)
    assert.deepEqual(after, [{ from: 1, to: 499 }])
    assert.equal(countIds(after), 499)
  })
})
