// The log filter as the engine applies it to a recording's messages: the same fields as the live log's
// filter bar, with text matched in every frame (decoded leniently, as the log shows it).
import type { RecordingFilter } from '../../../contract/recordings'
import type { Direction } from '../../../contract/views'

export interface FilterSubject {
  socketId: string
  dir: Direction
  size: number
  frames: readonly Uint8Array[]
}

const text = new TextDecoder('utf-8')

export function compileFilter(filter: RecordingFilter | undefined): ((m: FilterSubject) => boolean) | undefined {
  if (filter === undefined) return undefined
  const checks: ((m: FilterSubject) => boolean)[] = []
  if (filter.socketId) checks.push((m) => m.socketId === filter.socketId)
  if (filter.dir) checks.push((m) => m.dir === filter.dir)
  if (filter.minSize) {
    const min = filter.minSize
    checks.push((m) => m.size >= min)
  }
  if (filter.text) {
    const { mode, pattern } = filter.text
    const regex = mode === 'regex' ? new RegExp(pattern) : undefined
    const matches = (s: string): boolean => (regex ? regex.test(s) : s.includes(pattern))
    checks.push((m) => m.frames.some((frame) => matches(text.decode(frame))))
  }
  return checks.length === 0 ? undefined : (m) => checks.every((check) => check(m))
}
