// Crash-safe file writes: write a temp file beside the target, fsync it, publish it under the target's name,
// fsync the directory. A process killed at any point leaves either the old file or the new one, never a torn
// mix. Temp names carry the writer's host and pid, so cleanup can tell a crashed writer's leftovers from the
// temp file of a write still in progress (in this process or another one sharing the folder).
import { createHash, randomBytes } from 'node:crypto'
import { link, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises'
import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'

const TEMP_SUFFIX = '.zeroscope-tmp'
const WRITE_BATCH = 1024 * 1024
/** A short tag of this machine: a pid only means something on the host that issued it (shared folders). */
const HOST_TAG = `h${createHash('sha256').update(hostname()).digest('hex').slice(0, 8)}`
/** `.<name>.<host tag>.<pid>.<random>.zeroscope-tmp`; the host tag is absent in temp names of older versions. */
const TEMP_NAME = /\.(?:(h[0-9a-f]{8})\.)?(\d+)\.[0-9a-f]{8}\.zeroscope-tmp$/
/** How many names `writeNewFile` tries before it gives up; only a folder full of same-named files gets there. */
const MAX_NAME_ATTEMPTS = 10_000

/** Writes `path` atomically, replacing any file of that name; resolves with the bytes written. */
export async function writeFileAtomic(path: string, chunks: Iterable<string | Buffer>): Promise<number> {
  const { temp, bytes } = await writeTemp(dirname(path), basename(path), chunks)
  await publish(temp, bytes, async () => {
    await rename(temp, path)
    return path
  })
  return bytes
}

/**
 * Writes a new file in `directory` atomically and never over an existing one: the first of `nameFor(0)`,
 * `nameFor(1)`, ... that is free is taken, claimed exclusively so concurrent writers (in this process or
 * another) each get their own. Resolves with the path and the bytes written, checked against the file on disk.
 */
export async function writeNewFile(
  directory: string,
  nameFor: (attempt: number) => string,
  chunks: Iterable<string | Buffer> | AsyncIterable<string | Buffer>,
): Promise<{ path: string; bytes: number }> {
  const { temp, bytes } = await writeTemp(directory, nameFor(0), chunks)
  const path = await publish(temp, bytes, () => claimName(temp, directory, nameFor))
  return { path, bytes }
}

async function writeTemp(
  directory: string,
  name: string,
  chunks: Iterable<string | Buffer> | AsyncIterable<string | Buffer>,
): Promise<{ temp: string; bytes: number }> {
  const temp = join(directory, `.${name}.${HOST_TAG}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`)
  const handle = await open(temp, 'wx', 0o600)
  let bytes = 0
  let pending: Buffer[] = []
  let pendingBytes = 0
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return
    await writeAll(handle, Buffer.concat(pending, pendingBytes))
    bytes += pendingBytes
    pending = []
    pendingBytes = 0
  }
  try {
    // Gathered into ~1 MiB writes: one syscall per line would make a large export crawl.
    for await (const chunk of chunks) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      pending.push(buffer)
      pendingBytes += buffer.length
      if (pendingBytes >= WRITE_BATCH) await flush()
    }
    await flush()
    await handle.sync()
    // Inside the try: on network file systems a full disk may only be reported when the file is closed.
    await handle.close()
  } catch (error) {
    await handle.close().catch(() => {})
    await unlink(temp).catch(() => {})
    throw error
  }
  return { temp, bytes }
}

/** A nearly full disk accepts part of a write without an error; the rest must be written (or refused). */
async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  for (let offset = 0; offset < buffer.length;) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset)
    // No progress without an error is not something a kernel should do; treat it as the full disk it suggests.
    if (bytesWritten === 0)
      throw Object.assign(new Error('the file system accepted no bytes'), { code: 'ENOSPC', syscall: 'write' })
    offset += bytesWritten
  }
}

/** Moves the finished temp file into place with `place`, checks what landed, and never leaves the temp behind. */
async function publish(temp: string, bytes: number, place: () => Promise<string>): Promise<string> {
  let path: string
  try {
    path = await place()
  } catch (error) {
    await unlink(temp).catch(() => {})
    throw error
  }
  await syncDirectory(dirname(path))
  const onDisk = (await stat(path)).size
  if (onDisk !== bytes)
    throw Object.assign(new Error(`${path} holds ${onDisk} bytes after writing ${bytes}`), {
      code: 'EIO',
      syscall: 'stat',
    })
  return path
}

/**
 * A hard link fails if the name exists, so two writers can never claim the same one; the temp name is then
 * dropped. File systems without hard links (FAT, some network shares) get an exclusively created placeholder
 * that the temp file is renamed over instead.
 */
async function claimName(temp: string, directory: string, nameFor: (attempt: number) => string): Promise<string> {
  let links = true
  for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
    const path = join(directory, nameFor(attempt))
    try {
      if (links) await link(temp, path)
      else await claimWithPlaceholder(temp, path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EEXIST') continue
      if (links && (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS')) {
        links = false
        attempt--
        continue
      }
      throw error
    }
    // Outside the try: a failure to drop the temp name must not be taken for the link's (and retry a name).
    if (links) await unlink(temp)
    return path
  }
  throw Object.assign(new Error(`${MAX_NAME_ATTEMPTS} names in ${directory} are taken`), {
    code: 'EEXIST',
    syscall: 'link',
  })
}

/** The exclusively created placeholder is ours, so a failed rename over it must not leave it behind. */
async function claimWithPlaceholder(temp: string, path: string): Promise<void> {
  await (await open(path, 'wx', 0o600)).close()
  try {
    await rename(temp, path)
  } catch (error) {
    await unlink(path).catch(() => {})
    throw error
  }
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

/** True unless the process is known to be gone; another user's process answers EPERM, and is alive. */
function alive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes temp files that crashed writers on this machine left behind (they are never the real file). The temp
 * file of a write still in progress, here or in another live process, is left alone, and so is one from another
 * machine, whose pid cannot be checked from here; a pid reused since only delays a leftover's removal.
 */
export async function removeStaleTemps(directory: string): Promise<number> {
  const names = await readdir(directory).catch(() => [] as string[])
  const stale = names.filter((name) => {
    const match = TEMP_NAME.exec(name)
    if (!match) return false
    const [, host, pid] = match
    return (host === undefined || host === HOST_TAG) && !alive(Number(pid))
  })
  await Promise.all(stale.map((name) => unlink(join(directory, name)).catch(() => {})))
  return stale.length
}
