// Which entry ids the page's log window lacks, and the log:query pages that fetch them. Pure, so the arithmetic
// is unit-tested; log.svelte.ts runs the queries.
import { MAX_QUERY_LIMIT } from '../../contract/limits'

/** Inclusive. */
export interface IdRange {
  from: number
  to: number
}

export interface QueryPage {
  beforeId: number
  limit: number
}

/** Ids in [low, high] that `rows` (ascending by id; duplicates and ids outside are fine) does not have. */
export function missingRanges(rows: readonly { id: number }[], low: number, high: number): IdRange[] {
  const gaps: IdRange[] = []
  let next = low
  for (const { id } of rows) {
    if (id < next) continue
    if (id > high) break
    if (id > next) gaps.push({ from: next, to: id - 1 })
    next = id + 1
  }
  if (next <= high) gaps.push({ from: next, to: high })
  return gaps
}

export function countIds(ranges: readonly IdRange[]): number {
  let count = 0
  for (const range of ranges) count += range.to - range.from + 1
  return count
}

/**
 * Pages covering every missing id, newest first. log:query without a socket returns the ids just below
 * `beforeId`, so one page may span several small gaps (and the rows between them, merged by id harmlessly), but
 * never reaches below the lowest missing id within its reach: however fragmented the gaps, a window of W ids
 * costs at most W / maxPage + 1 queries, and a lone small gap costs only its own rows.
 */
export function queryPages(gaps: readonly IdRange[], maxPage: number = MAX_QUERY_LIMIT): QueryPage[] {
  const pages: QueryPage[] = []
  let index = gaps.length - 1
  let top = gaps[index]?.to
  while (top !== undefined && index >= 0) {
    const reach = top - maxPage + 1
    let bottom = Math.max(gaps[index]!.from, reach)
    while (index > 0 && gaps[index - 1]!.to >= reach) {
      index--
      bottom = Math.max(gaps[index]!.from, reach)
    }
    pages.push({ beforeId: top + 1, limit: top - bottom + 1 })
    if (gaps[index]!.from < bottom) top = bottom - 1
    else top = gaps[--index]?.to
  }
  return pages
}

/** The span the pages cover, for counting what is still missing after they were fetched. */
export function pagesSpan(pages: readonly QueryPage[]): IdRange | undefined {
  const first = pages[0]
  const last = pages[pages.length - 1]
  return first && last ? { from: last.beforeId - last.limit, to: first.beforeId - 1 } : undefined
}
