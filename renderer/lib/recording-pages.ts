// Browsing a recording a page at a time: which pages the rows in view need, which cached pages to let go, how a
// list taller than the browser can scroll is mapped onto the scrollbar, how many density bins a timeline draws.
// Pure; state/recording-rows.svelte.ts and the log table use it.
import type { LogEntryView } from '../../contract/views'
import { formatBytes } from './format'

/**
 * Rows the log table draws from something other than the live rows it holds: a recording, top to bottom in time
 * order, loaded from the engine as they come into view.
 */
export interface PagedRows {
  readonly count: number
  /** The row at this index, or undefined while its page is loading. */
  at(index: number): LogEntryView | undefined
  /** The index of the row with this entry id, or -1 when it is not among the rows known here. */
  indexOf(entryId: number): number
  /** A request to bring a row to the top of the list (a new `seq` repeats it). */
  readonly jump: { index: number; seq: number } | null
  /** What the list says when it has no row. */
  readonly empty: string
  /** The rows in view changed (first and last index, inclusive). */
  onView(first: number, last: number): void
}

/** Pages a view needs, the ones holding the rows in view first, then those around them (nearest first). */
export function pagesAround(first: number, last: number, count: number, pageRows: number, margin: number): number[] {
  if (count <= 0) return []
  const lastPage = Math.floor((count - 1) / pageRows)
  const clamp = (page: number): number => Math.min(lastPage, Math.max(0, page))
  const inView = [clamp(Math.floor(first / pageRows)), clamp(Math.floor(last / pageRows))]
  const around = [clamp(Math.floor((first - margin) / pageRows)), clamp(Math.floor((last + margin) / pageRows))]
  const pages: number[] = []
  for (let p = inView[0]!; p <= inView[1]!; p++) pages.push(p)
  for (let p = inView[0]! - 1; p >= around[0]!; p--) pages.push(p)
  for (let p = inView[1]! + 1; p <= around[1]!; p++) pages.push(p)
  return pages
}

/** Cached pages to drop so that `keep` remain: the farthest from the page in view go first. */
export function pagesToDrop(cached: Iterable<number>, keep: number, center: number): number[] {
  const pages = [...cached]
  if (pages.length <= keep) return []
  return pages.sort((a, b) => Math.abs(b - center) - Math.abs(a - center)).slice(0, pages.length - keep)
}

/**
 * A list of `count` rows of `row` px scrolled in a viewport. Browsers cap an element's height (Chromium at about
 * 33.5M px, i.e. 1.5M rows of 22 px), so past `maxHeight` the list gets that height and the scrollbar's position
 * maps proportionally onto the rows: the thumb still says where in the recording one is.
 */
export interface ScrollGeometry {
  /** Height of the scrolled content, px. */
  height: number
  /** Rows' total height over the scrollable height: 1 unless the list is taller than `maxHeight`. */
  ratio: number
}

export function scrollGeometry(count: number, row: number, viewport: number, maxHeight: number): ScrollGeometry {
  const full = count * row
  if (full <= maxHeight) return { height: full, ratio: 1 }
  const scrollable = Math.max(1, maxHeight - viewport)
  return { height: maxHeight, ratio: Math.max(1, full - viewport) / scrollable }
}

/** The offset into the full list of rows (px) that the scrollbar at `scrollTop` shows. */
export function virtualTop(scrollTop: number, geometry: ScrollGeometry): number {
  return scrollTop * geometry.ratio
}

/** The scrollbar position that shows the full list from `virtual` px on. */
export function scrollTopFor(virtual: number, geometry: ScrollGeometry): number {
  return virtual / geometry.ratio
}

/**
 * About one bin per 3 px of timeline, within what recording:density accepts; and no more than half as many bins
 * as messages: the engine answers whole counts per bin, so a bin that would hold a fraction of a message rounds
 * to 0 or 1 and a short recording would draw as scattered blocks instead of its shape.
 */
export function densityBins(width: number, messages: number): number {
  return Math.min(2000, Math.max(1, Math.round(width / 3)), Math.max(1, Math.ceil(messages / 2)))
}

/** Free space and file sizes past a GiB read better in GiB. */
export function formatStorage(bytes: number): string {
  const GiB = 1024 * 1024 * 1024
  return bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GiB` : formatBytes(bytes)
}

/** Binary search of rows in id order. */
export function indexById(rows: readonly LogEntryView[], id: number): number {
  let low = 0
  let high = rows.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const at = rows[middle]!.id
    if (at === id) return middle
    if (at < id) low = middle + 1
    else high = middle - 1
  }
  return -1
}
