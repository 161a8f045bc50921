// Capture export: the ring's entries with their full frames, one JSON object per line, written atomically.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { CaptureExport } from '../../preload/views'
import type { CapturedEntry } from './capture'
import { removeStaleTemps, writeFileAtomic } from './atomic-file'

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
  await mkdir(directory, { recursive: true })
  await removeStaleTemps(directory)
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const path = join(directory, `capture-${stamp}.jsonl`)
  const written = { entries: 0 }
  const bytes = await writeFileAtomic(path, lines(entries, names, written))
  return { path, entries: written.entries, bytes }
}
