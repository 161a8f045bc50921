// Worker distribution for a PUSH socket: which in-app PULL sockets are its workers, how many messages each
// took, how fair that is (Jain's index), and whether it looks like a slow-joiner burst.
import type { SocketSummary } from '../../contract/views'

export interface WorkerShare {
  socketId: string
  name: string
  messages: number
}

export type Fairness =
  { kind: 'no-workers' } | { kind: 'measured'; workers: WorkerShare[]; jain: number; warning: string | null }

/** Jain's fairness index: 1 when all equal, 1/n when one worker took everything. */
export function jainIndex(values: number[]): number {
  const sum = values.reduce((a, b) => a + b, 0)
  const squares = values.reduce((a, b) => a + b * b, 0)
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares)
}

function sameEndpoint(a: string, b: string): boolean {
  const norm = (e: string) => e.replace('://localhost:', '://127.0.0.1:').replace('://0.0.0.0:', '://127.0.0.1:')
  return norm(a) === norm(b)
}

export function distribution(push: SocketSummary, all: SocketSummary[]): Fairness {
  const addresses = push.endpoints.map((e) => e.address)
  const workers = all
    .filter((s) => s.type === 'pull' && s.id !== push.id)
    .filter((s) => s.endpoints.some((e) => e.mode === 'connect' && addresses.some((a) => sameEndpoint(a, e.address))))
    .map((s) => ({ socketId: s.id, name: s.name, messages: s.counters.msgsIn }))
  if (workers.length === 0) return { kind: 'no-workers' }
  const counts = workers.map((w) => w.messages)
  const jain = jainIndex(counts)
  const total = counts.reduce((a, b) => a + b, 0)
  const top = Math.max(...counts)
  const warning =
    workers.length > 1 && total >= 10 && jain < 0.8 && top > (2 * total) / workers.length
      ? 'One worker took far more than its share. PUSH round-robins over the workers connected at send time: a ' +
        'worker that connects first gets the whole first burst (the slow-joiner effect). Start the workers ' +
        'before sending, or have the sender wait until they are ready.'
      : null
  return { kind: 'measured', workers, jain, warning }
}

/**
 * At a sink, who did the work is often only in the messages ("worker 2 done task 7"): count received
 * messages by one space-separated word of the first frame.
 */
export function byField(firstFrames: string[], field: number): { value: string; messages: number }[] {
  const counts = new Map<string, number>()
  for (const text of firstFrames) {
    const value = text.split(' ')[field - 1]
    if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1)
  }
  return [...counts.entries()].map(([value, messages]) => ({ value, messages })).sort((a, b) => b.messages - a.messages)
}

/** Messages of a socket between consecutive timeline events (walls), newest event first. */
export function countsBetween(walls: number[], eventWalls: number[]): number[] {
  // walls ascending; eventWalls newest first. Count of walls in [event_i, event_{i-1}) (or up to now for i=0).
  const upper = (t: number): number => {
    let lo = 0
    let hi = walls.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (walls[mid]! < t) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  return eventWalls.map((wall, i) => {
    const end = i === 0 ? walls.length : upper(eventWalls[i - 1]!)
    return Math.max(0, end - upper(wall))
  })
}
