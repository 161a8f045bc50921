// An NDJSON capture export opened as a read-only source: the index (ndjson-index.ts) says where each line is,
// lines are read a block at a time when a page needs them (a few blocks kept). Runs in the reader thread.
import type { FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import type { OpenedRecording, RecordedChannel } from '../../../contract/recordings'
import { BadFile } from './bad-file'
import { roundKeepingSum } from './chunk-table'
import { parseEntry } from './ndjson-entry'
import { indexNdjson, type NdjsonIndex } from './ndjson-index'
import type { RecordingSource, SourceMessage } from './source'

/** Lines read together: one read, one cache slot. */
const BLOCK_LINES = 512
const CACHED_BLOCKS = 8

export class NdjsonSource implements RecordingSource {
  private readonly cache = new Map<number, SourceMessage[]>()

  private constructor(
    private readonly file: FileHandle,
    private readonly index: NdjsonIndex,
    readonly path: string,
  ) {}

  static async open(file: FileHandle, path: string): Promise<NdjsonSource> {
    return new NdjsonSource(file, await indexNdjson(path), path)
  }

  get total(): number {
    return this.index.total
  }

  get startWall(): number {
    return this.index.total === 0 ? 0 : this.index.walls.reduce((a, b) => Math.min(a, b), Infinity)
  }

  get endWall(): number {
    return this.index.total === 0 ? 0 : this.index.walls.reduce((a, b) => Math.max(a, b), -Infinity)
  }

  async describe(sourceId: string): Promise<Omit<OpenedRecording, 'recovered'>> {
    const channels: RecordedChannel[] = this.index.channels.map((c, i) => ({
      channelId: i + 1,
      topic: `${c.socketId}/${c.dir}`,
      socketId: c.socketId,
      name: c.name,
      // An export names its sockets but not their types.
      type: 'unknown',
      dir: c.dir,
    }))
    return {
      sourceId,
      path: this.path,
      name: basename(this.path),
      format: 'ndjson',
      messages: this.index.total,
      events: 0,
      startWall: this.startWall,
      endWall: this.endWall,
      channels,
      sockets: [],
      producer: { library: 'ZeroScope capture export (NDJSON)' },
    }
  }

  async *from(position: number): AsyncGenerator<SourceMessage> {
    for (let b = Math.floor(Math.max(0, position) / BLOCK_LINES); b * BLOCK_LINES < this.index.total; b++) {
      const messages = await this.block(b)
      for (let i = Math.max(0, position - b * BLOCK_LINES); i < messages.length; i++) yield messages[i]!
    }
  }

  async at(position: number): Promise<SourceMessage | undefined> {
    if (position < 0 || position >= this.index.total) return undefined
    return (await this.block(Math.floor(position / BLOCK_LINES)))[position % BLOCK_LINES]
  }

  async positionAt(wall: number): Promise<number> {
    const { walls, total } = this.index
    if (total === 0) return 0
    if (!this.index.wallsSorted) {
      const i = walls.findIndex((w) => w >= wall)
      return i < 0 ? total - 1 : i
    }
    let low = 0
    let high = total
    while (low < high) {
      const middle = (low + high) >> 1
      if (walls[middle]! < wall) low = middle + 1
      else high = middle
    }
    return Math.min(low, total - 1)
  }

  density(bins: number): number[] {
    const out = new Array<number>(bins).fill(0)
    const start = this.startWall
    const span = this.endWall - start || 1
    for (const wall of this.index.walls) out[Math.min(bins - 1, Math.floor(((wall - start) / span) * bins))]!++
    return roundKeepingSum(out)
  }

  async close(): Promise<void> {
    await this.file.close()
  }

  private async block(b: number): Promise<SourceMessage[]> {
    const cached = this.cache.get(b)
    if (cached !== undefined) {
      this.cache.delete(b)
      this.cache.set(b, cached)
      return cached
    }
    const { offsets, walls, monos, total } = this.index
    const first = b * BLOCK_LINES
    const end = Math.min(total, first + BLOCK_LINES)
    const bytes = Buffer.alloc(offsets[end]! - offsets[first]!)
    const { bytesRead } = await this.file.read(bytes, 0, bytes.length, offsets[first]!)
    const name = basename(this.path)
    if (bytesRead < bytes.length)
      throw new BadFile(`${name} changed since it was opened (it is shorter); open it again`)
    const messages: SourceMessage[] = []
    for (let position = first; position < end; position++) {
      // Up to the next entry's line: a newline (and any blank line) after it is whitespace to JSON.
      const line = bytes.subarray(offsets[position]! - offsets[first]!, offsets[position + 1]! - offsets[first]!)
      const entry = parseEntry(
        line,
        (problem) => new BadFile(`${name} changed since it was opened: ${problem}; open it again`),
      )
      const frames = entry.frames.map((f) => Buffer.from(f, 'base64'))
      const message: SourceMessage = {
        position,
        socketId: entry.socketId,
        dir: entry.dir,
        wall: walls[position]!,
        offsetMs: this.index.monosSorted ? monos[position]! - monos[0]! : walls[position]! - walls[0]!,
        frames,
        size: entry.size,
      }
      if (entry.peer !== null) message.peer = Buffer.from(entry.peer, 'hex')
      messages.push(message)
    }
    this.cache.set(b, messages)
    if (this.cache.size > CACHED_BLOCKS) this.cache.delete(this.cache.keys().next().value!)
    return messages
  }
}
