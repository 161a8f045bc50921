// The log filter bar's fields as the engine applies them to a recording (RecordingFilter): a recording may hold
// millions of messages, so the engine scans, not the page. Pure.
import type { RecordingFilter } from '../../contract/recordings'

/** The filter bar's fields (the live log's LogFilter has this shape). */
export interface FilterFields {
  text: string
  mode: 'text' | 'regex' | 'fields'
  socketId: string
  dir: 'any' | 'in' | 'out'
  minSize: number
}

export type EngineFilter =
  { kind: 'none' } | { kind: 'filter'; filter: RecordingFilter } | { kind: 'invalid'; message: string }

export function engineFilterOf(fields: FilterFields): EngineFilter {
  const filter: RecordingFilter = {}
  if (fields.socketId) filter.socketId = fields.socketId
  if (fields.dir !== 'any') filter.dir = fields.dir
  if (fields.minSize > 0) filter.minSize = Math.floor(fields.minSize)
  if (fields.text && fields.mode === 'fields') {
    return {
      kind: 'invalid',
      message: 'a fields expression filters the live log only; recordings and exports filter by text or a regex',
    }
  }
  if (fields.text && fields.mode !== 'fields') {
    if (fields.mode === 'regex') {
      try {
        new RegExp(fields.text)
      } catch (error) {
        return { kind: 'invalid', message: (error as Error).message }
      }
    }
    filter.text = { mode: fields.mode, pattern: fields.text }
  }
  return Object.keys(filter).length === 0 ? { kind: 'none' } : { kind: 'filter', filter }
}

/** Two filters the same (a filter bar edit that changes nothing must not start the scan over). */
export function sameFilter(a: EngineFilter, b: EngineFilter): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** A filter in words, for the replay dialog's "only what the filter shows". */
export function describeFilter(filter: RecordingFilter, socketName: (socketId: string) => string): string {
  const parts: string[] = []
  if (filter.text) parts.push(filter.text.mode === 'regex' ? `/${filter.text.pattern}/` : `“${filter.text.pattern}”`)
  if (filter.socketId) parts.push(socketName(filter.socketId))
  if (filter.dir) parts.push(filter.dir === 'in' ? '← in' : '→ out')
  if (filter.minSize) parts.push(`≥ ${filter.minSize} B`)
  return parts.join(' · ')
}
