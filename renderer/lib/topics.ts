// Topic tree of what a subscriber received: the first frame split on a delimiter, counted per level, with a
// rate over the last ten seconds. Built from the rows the page holds, on demand.
import { toHex } from '../../contract/hex'
import type { FrameBytesView, LogEntryView } from '../../contract/views'
import { frameText } from './decode'

export interface TopicNode {
  name: string
  count: number
  perSecond: number
  children: TopicNode[]
}

const RATE_WINDOW_MS = 10_000

export function topicTree(
  rows: LogEntryView[],
  socketId: string,
  delimiter: string,
  now: number,
  depth = 2,
): TopicNode[] {
  interface Building {
    count: number
    recent: number
    children: Map<string, Building>
  }
  const root = new Map<string, Building>()
  for (const row of rows) {
    if (row.socketId !== socketId || row.dir !== 'in' || !row.frames[0]) continue
    const text = frameText(row)
    const parts = (delimiter ? text.split(delimiter) : [text]).slice(0, depth)
    let level = root
    for (const part of parts) {
      let node = level.get(part)
      if (!node) level.set(part, (node = { count: 0, recent: 0, children: new Map() }))
      node.count++
      if (now - row.wall <= RATE_WINDOW_MS) node.recent++
      level = node.children
    }
  }
  const finish = (level: Map<string, Building>): TopicNode[] =>
    [...level.entries()]
      .map(([name, n]) => ({
        name,
        count: n.count,
        perSecond: n.recent / (RATE_WINDOW_MS / 1000),
        children: finish(n.children),
      }))
      .sort((a, b) => b.count - a.count)
  return finish(root)
}

/** Which subscription lets `message` through (prefix match on the first frame), or null if none does. */
export function matchingFilter(message: string, filters: FrameBytesView[]): FrameBytesView | null {
  const hex = toHex(new TextEncoder().encode(message))
  return filters.find((f) => hex.startsWith(f.hex)) ?? null
}
