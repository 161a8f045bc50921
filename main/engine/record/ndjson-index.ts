// Where each entry of an NDJSON capture export is (export.ts writes one JSON object per line), found by
// streaming the file once at open: byte offsets and times in typed arrays, never the file itself in memory.
// Every line is checked to be one of ours, so a page never meets a bad line later.
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { BadFile } from './bad-file'
import { parseEntry } from './ndjson-entry'

/** A line longer than this is not an export of the ring (whose messages are far smaller). */
const MAX_LINE_BYTES = 512 * 1024 * 1024

/** A growable column of doubles: a million lines cost 8 MB per column. */
class Column {
  private values = new Float64Array(1024)
  length = 0

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2)
      grown.set(this.values)
      this.values = grown
    }
    this.values[this.length++] = value
  }

  at(i: number): number {
    return this.values[i]!
  }

  trimmed(): Float64Array {
    return this.values.subarray(0, this.length)
  }
}

export interface ChannelCount {
  socketId: string
  name: string
  dir: 'in' | 'out'
  count: number
}

export interface NdjsonIndex {
  /** Byte offset of each entry's line, and of the end of the last (offsets[total]). */
  offsets: Float64Array
  walls: Float64Array
  monos: Float64Array
  total: number
  /** Walls never go back: a seek may bisect. */
  wallsSorted: boolean
  /** Monotonic times never go back: replay may time by them (finer than the ISO wall). */
  monosSorted: boolean
  channels: ChannelCount[]
}

export async function indexNdjson(path: string): Promise<NdjsonIndex> {
  const name = basename(path)
  const offsets = new Column()
  const walls = new Column()
  const monos = new Column()
  const channels = new Map<string, ChannelCount>()
  let pending: Buffer[] = []
  let pendingBytes = 0
  let lineStart = 0
  let line = 0
  let at = 0
  const take = (bytes: Buffer): void => {
    line++
    if (bytes.length === 0 || bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0d)) return
    const entry = parseEntry(
      bytes,
      (problem) => new BadFile(`${name}: line ${line} is not a ZeroScope export entry: ${problem}`),
    )
    offsets.push(lineStart)
    walls.push(entry.wall)
    monos.push(entry.mono)
    const key = `${entry.socketId}/${entry.dir}`
    const channel = channels.get(key) ?? {
      socketId: entry.socketId,
      name: entry.socket ?? entry.socketId,
      dir: entry.dir,
      count: 0,
    }
    channel.count++
    channels.set(key, channel)
  }
  for await (const data of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const chunk = data as Buffer
    let from = 0
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      const piece = chunk.subarray(from, nl)
      take(pending.length === 0 ? piece : Buffer.concat([...pending, piece]))
      pending = []
      pendingBytes = 0
      lineStart = at + nl + 1
      from = nl + 1
    }
    if (from < chunk.length) {
      // Not JSON from its first byte: refuse now rather than gather a binary file as one line.
      if (pendingBytes === 0 && chunk[from] !== 0x7b && chunk[from] !== 0x20) {
        throw new BadFile(`${name}: line ${line + 1} is not a ZeroScope export entry: it does not start with "{"`)
      }
      pending.push(chunk.subarray(from))
      pendingBytes += chunk.length - from
      if (pendingBytes > MAX_LINE_BYTES) {
        throw new BadFile(`${name}: line ${line + 1} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB: not an export`)
      }
    }
    at += chunk.length
  }
  if (pendingBytes > 0) take(Buffer.concat(pending))
  offsets.push(at)
  const total = walls.length
  let wallsSorted = true
  let monosSorted = true
  for (let i = 1; i < total; i++) {
    if (walls.at(i) < walls.at(i - 1)) wallsSorted = false
    if (monos.at(i) < monos.at(i - 1)) monosSorted = false
  }
  return {
    offsets: offsets.trimmed(),
    walls: walls.trimmed(),
    monos: monos.trimmed(),
    total,
    wallsSorted,
    monosSorted,
    channels: [...channels.values()],
  }
}
