// Crash-safe file writes: write a temp file beside the target, fsync it, rename over the target, fsync the
// directory. A process killed at any point leaves either the old file or the new one, never a torn mix.
import { randomBytes } from 'node:crypto'
import { open, readdir, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

const TEMP_SUFFIX = '.zeroscope-tmp'
const WRITE_BATCH = 1024 * 1024

export async function writeFileAtomic(path: string, chunks: Iterable<string | Buffer>): Promise<number> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`)
  const handle = await open(temp, 'wx', 0o600)
  let bytes = 0
  let pending: Buffer[] = []
  let pendingBytes = 0
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return
    const { bytesWritten } = await handle.write(Buffer.concat(pending, pendingBytes))
    bytes += bytesWritten
    pending = []
    pendingBytes = 0
  }
  try {
    // Gathered into ~1 MiB writes: one syscall per line would make a large export crawl.
    for (const chunk of chunks) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      pending.push(buffer)
      pendingBytes += buffer.length
      if (pendingBytes >= WRITE_BATCH) await flush()
    }
    await flush()
    await handle.sync()
  } catch (error) {
    await handle.close()
    await unlink(temp).catch(() => {})
    throw error
  }
  await handle.close()
  try {
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => {})
    throw error
  }
  await syncDirectory(dirname(path))
  return bytes
}

async function syncDirectory(directory: string): Promise<void> {
  // Makes the rename durable; not every platform lets a directory be opened for fsync, and that is fine.
  try {
    const handle = await open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Windows and some file systems refuse; the rename is still atomic there.
  }
}

/** Removes temp files a killed writer left behind (they are never the real file). */
export async function removeStaleTemps(directory: string): Promise<number> {
  const names = await readdir(directory).catch(() => [] as string[])
  const stale = names.filter((name) => name.endsWith(TEMP_SUFFIX))
  await Promise.all(stale.map((name) => unlink(join(directory, name)).catch(() => {})))
  return stale.length
}
