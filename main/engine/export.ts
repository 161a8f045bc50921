// Capture export: the entries with their full frames (all, one socket's, or what a filter shows) as NDJSON or
// CSV, written atomically to a file of its own (never over an earlier export). Long exports report progress
// and can be cancelled; the temp file then goes and nothing is published. File-system failures are reported as
// IO_ERROR sentences.
import { mkdir } from 'node:fs/promises'
import type { CaptureExport } from '../../contract/views'
import type { CapturedEntry } from './capture-entry'
import { removeStaleTemps, writeNewFile } from './atomic-file'
import { EngineError } from './errors'
import { csvHeader, csvRow, ndjsonLine, type CsvFrames, type ExportFormat } from './export-formats'
import { fromFs } from './fs-errors'

/** Said with every export failure: the folder is the user's choice through this variable (both hosts). */
const ELSEWHERE = 'set ZEROSCOPE_EXPORTS_DIR to another folder'
/** A CSV row has at most this many frame columns; frame_count says how many a message has (NDJSON keeps all). */
const MAX_CSV_FRAMES = 64

/**
 * Exports in the same millisecond get -1, -2, ... from this process's counter, so they rarely contend for a
 * name; the exclusive claim in writeNewFile is what guarantees that no two exports (or an older file) share one.
 */
const sameStamp = { stamp: '', count: 0 }

function nameFor(now: Date, extension: string): (attempt: number) => string {
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  sameStamp.count = sameStamp.stamp === stamp ? sameStamp.count + 1 : 0
  sameStamp.stamp = stamp
  const first = sameStamp.count
  return (attempt) => {
    const n = first + attempt
    return n === 0 ? `capture-${stamp}.${extension}` : `capture-${stamp}-${n}.${extension}`
  }
}

export interface ExportOptions {
  format: ExportFormat
  /** CSV only: frames as text (hex when not printable UTF-8) or all hex. */
  frames: CsvFrames
  /** Called as entries are written (at most every 1,024); return false to cancel. */
  progress?: (written: number) => boolean
}

export const DEFAULT_EXPORT: ExportOptions = { format: 'ndjson', frames: 'text' }

/** The live capture's snapshot (read in place) or an opened recording's messages (read from its file). */
export type ExportEntries = Iterable<CapturedEntry> | AsyncIterable<CapturedEntry>

async function* lines(
  entries: ExportEntries,
  names: ReadonlyMap<string, string>,
  options: ExportOptions,
  written: { entries: number },
): AsyncGenerator<string> {
  let columns = 0
  if (options.format === 'csv') {
    for await (const e of entries) columns = Math.max(columns, e.frames.length)
    columns = Math.min(columns, MAX_CSV_FRAMES)
    yield csvHeader(columns)
  }
  for await (const e of entries) {
    written.entries++
    if ((written.entries & 1023) === 0 && options.progress?.(written.entries) === false) {
      throw new EngineError(
        'CANCELLED',
        `the export was cancelled after ${written.entries} messages; nothing was written`,
      )
    }
    const name = names.get(e.socketId) ?? null
    yield options.format === 'csv' ? csvRow(e, name, columns, options.frames) : ndjsonLine(e, name)
  }
}

export async function exportCapture(
  directory: string,
  entries: ExportEntries,
  names: ReadonlyMap<string, string>,
  now: Date = new Date(),
  options: ExportOptions = DEFAULT_EXPORT,
): Promise<CaptureExport> {
  const written = { entries: 0 }
  try {
    await mkdir(directory, { recursive: true })
    await removeStaleTemps(directory)
    const extension = options.format === 'csv' ? 'csv' : 'jsonl'
    const { path, bytes } = await writeNewFile(
      directory,
      nameFor(now, extension),
      lines(entries, names, options, written),
    )
    options.progress?.(written.entries)
    return { path, entries: written.entries, bytes }
  } catch (error) {
    throw fromFs(`cannot write the export to ${directory}`, error, ELSEWHERE)
  }
}
