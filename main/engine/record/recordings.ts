// The engine's recordings: at most one in progress (it may keep any set of sockets), the ones this run made,
// and the host's recordings folder. File names are the engine's to pick inside that folder; a page only names
// a file, never a path (Electron's native dialog is the one way to another folder, chosen by the user).
import { mkdir, open, readdir, stat, statfs, unlink } from 'node:fs/promises'
import { extname, join } from 'node:path'
import type {
  RecordingFile,
  RecordingFileState,
  RecordingFolder,
  RecordingScope,
  RecordingSummary,
  RotationPolicy,
} from '../../../contract/recordings'
import { EngineError } from '../errors'
import type { MonitorEvent } from '../events'
import { fromFs } from '../fs-errors'
import { Recording, type RecordingHost } from './recording'

const MCAP_MAGIC = Buffer.from([0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a])
const ELSEWHERE = 'set ZEROSCOPE_RECORDINGS_DIR to another folder'

export interface RecordingsConfig {
  folder: string
  minFreeBytes: number
  library: string
  /** Socket ids of the taps named, both sides each; throws UNKNOWN_TAP for a tap that does not exist. */
  tapSides(tapId: string): string[]
  socketExists(socketId: string): boolean
}

export type RecordingTarget = { kind: 'folder'; name?: string } | { kind: 'path'; path: string }

export class Recordings {
  private current: Recording | undefined
  private readonly done: RecordingSummary[] = []
  private nextId = 1

  constructor(
    private readonly config: RecordingsConfig,
    private readonly host: Omit<RecordingHost, 'freeBytes'>,
  ) {}

  get folder(): string {
    return this.config.folder
  }

  /** The recording that keeps this socket's traffic, if any: one lookup per captured message. */
  recorderOf(socketId: string): Recording | undefined {
    const current = this.current
    return current !== undefined && current.records(socketId) ? current : undefined
  }

  event(socketId: string, mono: number, event: MonitorEvent): void {
    this.recorderOf(socketId)?.event(socketId, mono, event)
  }

  async start(
    scope: RecordingScope,
    target: RecordingTarget,
    rotation: RotationPolicy = {},
  ): Promise<RecordingSummary> {
    if (this.current?.active) {
      throw new EngineError('NOT_ALLOWED', `recording ${this.current.id} is in progress; stop it first (one at a time)`)
    }
    const sockets = scope.kind === 'all' ? undefined : this.chosenSockets(scope.socketIds, scope.tapIds)
    const path = await this.pathFor(target)
    const id = `rec${this.nextId++}`
    const recording = await Recording.start(
      { id, path, scope, sockets, rotation, minFreeBytes: this.config.minFreeBytes, library: this.config.library },
      { ...this.host, freeBytes },
    ).catch((error: unknown) => {
      throw fromFs(`cannot record to ${path}`, error, ELSEWHERE)
    })
    this.current = recording
    this.host.changed()
    return recording.summary()
  }

  async stop(recordingId: string): Promise<RecordingSummary> {
    const current = this.current
    if (current === undefined || current.id !== recordingId) {
      const earlier = this.done.find((r) => r.id === recordingId)
      if (earlier) return earlier
      throw new EngineError('UNKNOWN_RECORDING', `no recording with id ${recordingId}`)
    }
    const summary = await current.stop('user')
    this.retire(current, summary)
    return summary
  }

  list(): RecordingSummary[] {
    const current = this.current
    if (current !== undefined && !current.active) {
      // Stopped on its own (disk space, a write error): kept as it ended.
      void current.stop('user').then((summary) => this.retire(current, summary))
    }
    return [...this.done, ...(this.current ? [this.current.summary()] : [])]
  }

  async files(): Promise<RecordingFolder> {
    const folder = this.config.folder
    let names: string[]
    try {
      names = await readdir(folder)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path: folder, files: [] }
      throw fromFs(`cannot list the recordings in ${folder}`, error, ELSEWHERE)
    }
    const recordingPaths = new Map(
      (this.current?.active ? this.current.summary().files : []).map((p) => [p, this.current!.id]),
    )
    const files: RecordingFile[] = []
    for (const name of names) {
      const format = formatOf(name)
      if (format === undefined || name.startsWith('.')) continue
      const path = join(folder, name)
      const info = await stat(path).catch(() => undefined)
      if (!info?.isFile()) continue
      const recordingId = recordingPaths.get(path)
      const state: RecordingFileState =
        recordingId !== undefined
          ? { kind: 'recording', recordingId }
          : format === 'mcap' && !(await endsWithMagic(path, info.size))
            ? { kind: 'unfinished' }
            : { kind: 'complete' }
      files.push({ name, path, bytes: info.size, modifiedWall: info.mtimeMs, format, state })
    }
    files.sort((a, b) => b.modifiedWall - a.modifiedWall)
    return { path: folder, files, freeBytes: await freeBytes(folder) }
  }

  /** Every recording closed whole (engine shutdown). */
  async closeAll(): Promise<void> {
    const current = this.current
    if (current !== undefined) this.retire(current, await current.stop('shutdown'))
  }

  private retire(recording: Recording, summary: RecordingSummary): void {
    if (this.current !== recording) return
    this.current = undefined
    this.done.push(summary)
    this.host.changed()
  }

  private chosenSockets(socketIds: string[], tapIds: string[]): Set<string> {
    for (const id of socketIds) {
      if (!this.config.socketExists(id)) throw new EngineError('UNKNOWN_SOCKET', `no socket with id ${id}`)
    }
    return new Set([...socketIds, ...tapIds.flatMap((tapId) => this.config.tapSides(tapId))])
  }

  private async pathFor(target: RecordingTarget): Promise<string> {
    if (target.kind === 'path') {
      // The user chose it in a native save dialog, which asked before replacing an existing file.
      await unlink(target.path).catch(() => undefined)
      return target.path
    }
    const folder = this.config.folder
    await mkdir(folder, { recursive: true }).catch((error: unknown) => {
      throw fromFs(`cannot create the recordings folder ${folder}`, error, ELSEWHERE)
    })
    if (target.name !== undefined) {
      const name = extname(target.name) === '.mcap' ? target.name : `${target.name}.mcap`
      const path = join(folder, name)
      if (await stat(path).catch(() => undefined)) {
        throw new EngineError('NOT_ALLOWED', `${path} already exists; choose another name (recordings never overwrite)`)
      }
      return path
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-')
    for (let n = 0; ; n++) {
      const path = join(folder, n === 0 ? `recording-${stamp}.mcap` : `recording-${stamp}-${n}.mcap`)
      if (!(await stat(path).catch(() => undefined))) return path
    }
  }
}

export function formatOf(name: string): 'mcap' | 'ndjson' | undefined {
  const ext = extname(name).toLowerCase()
  return ext === '.mcap' ? 'mcap' : ext === '.jsonl' || ext === '.ndjson' ? 'ndjson' : undefined
}

async function freeBytes(folder: string): Promise<number | undefined> {
  try {
    const s = await statfs(folder)
    return s.bavail * s.bsize
  } catch {
    return undefined
  }
}

async function endsWithMagic(path: string, size: number): Promise<boolean> {
  if (size < MCAP_MAGIC.length * 2) return false
  const handle = await open(path, 'r')
  try {
    const tail = Buffer.alloc(MCAP_MAGIC.length)
    await handle.read(tail, 0, tail.length, size - tail.length)
    return tail.equals(MCAP_MAGIC)
  } finally {
    await handle.close()
  }
}
