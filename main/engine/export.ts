// Capture export: the ring's entries with their full frames, one JSON object per line, written atomically to a
// file of its own (never over an earlier export); file-system failures are reported as IO_ERROR sentences.
import { mkdir } from 'node:fs/promises'
import type { CaptureExport } from '../../contract/views'
import type { CapturedEntry } from './capture-entry'
import { removeStaleTemps, writeNewFile } from './atomic-file'
import { fromFs } from './fs-errors'

/** Said with every export failure: the folder is the user's choice through this variable (both hosts). */
const ELSEWHERE = 'set ZEROSCOPE_EXPORTS_DIR to another folder'

/**
 * Exports in the same millisecond get -1, -2, ... from this process's counter, so they rarely contend for a
 * name; the exclusive claim in writeNewFile is what guarantees that no two exports (or an older file) share one.
 */
const sameStamp = { stamp: '', count: 0 }

function nameFor(now: Date): (attempt: number) => string {
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  sameStamp.count = sameStamp.stamp === stamp ? sameStamp.count + 1 : 0
  sameStamp.stamp = stamp
  const first = sameStamp.count
  return (attempt) => {
    const n = first + attempt
    return n === 0 ? `capture-${stamp}.jsonl` : `capture-${stamp}-${n}.jsonl`
  }
}

function* lines(
  entries: Iterable<CapturedEntry>,
  names: ReadonlyMap<string, string>,
  written: { entries: number },
): Generator<string> {
  for (const e of entries) {
    written.entries++
    const line = {
      id: e.id,
      socketId: e.socketId,
      socket: names.get(e.socketId) ?? null,
      dir: e.dir,
      wall: new Date(e.wall).toISOString(),
      mono: e.mono,
      size: e.size,
      peer: e.peer?.toString('hex') ?? null,
      frames: e.frames.map((f) => f.toString('base64')),
    }
    yield `${JSON.stringify(line)}\n`
  }
}

export async function exportCapture(
  directory: string,
  entries: Iterable<CapturedEntry>,
  names: ReadonlyMap<string, string>,
  now: Date = new Date(),
): Promise<CaptureExport> {
  const written = { entries: 0 }
  try {
    await mkdir(directory, { recursive: true })
    await removeStaleTemps(directory)
    const { path, bytes } = await writeNewFile(directory, nameFor(now), lines(entries, names, written))
    return { path, entries: written.entries, bytes }
  } catch (error) {
    throw fromFs(`cannot write the export to ${directory}`, error, ELSEWHERE)
  }
}
