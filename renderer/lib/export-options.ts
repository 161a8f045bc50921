// The log's Export as the user chooses it (what the filter shows or everything, NDJSON or CSV with frames as
// text or hex) made into the log:export request, and how far a running export got. Pure.
import type { Request } from '../../contract/schemas'
import { engineFilterOf, type FilterFields } from './recording-filter'

export interface ExportChoice {
  scope: 'shown' | 'all'
  format: 'ndjson' | 'csv'
  /** CSV only. */
  frames: 'text' | 'hex'
}

export const DEFAULT_EXPORT_CHOICE: ExportChoice = { scope: 'shown', format: 'ndjson', frames: 'text' }

export type ExportRequest = { kind: 'request'; request: Request<'log:export'> } | { kind: 'invalid'; message: string }

/**
 * The request for `choice` with the log's filter fields. "What the filter shows" sends the filter bar's fields
 * as they are: the engine applies them to its whole capture, not only to the rows this page holds.
 */
export function exportRequest(choice: ExportChoice, fields: FilterFields, exportId: string): ExportRequest {
  const request: Request<'log:export'> = { format: choice.format, exportId }
  if (choice.format === 'csv') request.frames = choice.frames
  if (choice.scope === 'shown') {
    const filter = engineFilterOf(fields)
    if (filter.kind === 'invalid') return { kind: 'invalid', message: `the filter is not valid: ${filter.message}` }
    if (filter.kind === 'filter') request.filter = filter.filter
  }
  return { kind: 'request', request }
}

let exports = 0

/** A fresh export id ("x" + base-36 digits, as the contract wants), unique in this page. */
export function nextExportId(now: number = Date.now()): string {
  exports++
  return `x${now.toString(36)}${exports.toString(36)}`
}

/** Progress as a fraction in [0, 1]; the total is an upper bound (what the capture held when it began). */
export function exportFraction(written: number, total: number): number {
  return total > 0 ? Math.min(1, Math.max(0, written / total)) : 0
}

/** The choice in a few words, for the Export button's tooltip. */
export function describeChoice(choice: ExportChoice, filtered: boolean): string {
  const what = choice.scope === 'all' || !filtered ? 'every captured message' : 'what the filter shows'
  const format = choice.format === 'csv' ? `CSV, frames as ${choice.frames}` : 'NDJSON, frames in base64'
  return `${what} as ${format}`
}
