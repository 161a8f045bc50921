// One message's frames as files (frame-1.bin, frame-2.bin, …) in a new folder of the exports folder: for a
// payload the user wants to open in another tool, byte-exact.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CapturedEntry } from './capture-entry'
import { fromFs } from './fs-errors'

export async function exportFrames(
  directory: string,
  entry: CapturedEntry,
): Promise<{ folder: string; paths: string[] }> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const folder = join(directory, `message-${entry.id}-${stamp}`)
  try {
    await mkdir(folder, { recursive: true })
    const paths: string[] = []
    for (const [i, frame] of entry.frames.entries()) {
      const path = join(folder, `frame-${i + 1}.bin`)
      // 'wx': a fresh folder, so a name already there means another export raced us; never overwrite it.
      await writeFile(path, frame, { flag: 'wx' })
      paths.push(path)
    }
    return { folder, paths }
  } catch (error) {
    throw fromFs(`cannot write the frames to ${folder}`, error, 'set ZEROSCOPE_EXPORTS_DIR to another folder')
  }
}
