// The lines of an export: NDJSON (every field, frames in base64; what the app opens again) or CSV (one row per
// message, frames as columns in text or hex, for spreadsheets and scripts). One function per format, shared by
// the live capture's export and a recording's.
import type { CapturedEntry } from './capture-entry'

export type ExportFormat = 'ndjson' | 'csv'
export type CsvFrames = 'text' | 'hex'

export function ndjsonLine(e: CapturedEntry, socketName: string | null): string {
  const line = {
    id: e.id,
    socketId: e.socketId,
    socket: socketName,
    dir: e.dir,
    wall: new Date(e.wall).toISOString(),
    mono: e.mono,
    size: e.size,
    peer: e.peer?.toString('hex') ?? null,
    frames: e.frames.map((f) => f.toString('base64')),
  }
  return `${JSON.stringify(line)}\n`
}

const strict = new TextDecoder('utf-8', { fatal: true })

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** A frame as a CSV cell: its text when it is valid UTF-8 without control characters, else `0x` + hex. */
function frameCell(frame: Buffer, frames: CsvFrames): string {
  if (frames === 'hex') return frame.toString('hex')
  try {
    const text = strict.decode(frame)
    // eslint-disable-next-line no-control-regex
    if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return field(text)
  } catch {
    // not UTF-8: hex below
  }
  return `0x${frame.toString('hex')}`
}

export function csvHeader(frameColumns: number): string {
  const frames = Array.from({ length: frameColumns }, (_, i) => `frame_${i + 1}`)
  return `${['id', 'time', 'socket', 'socket_id', 'dir', 'size', 'peer', 'frame_count', ...frames].join(',')}\r\n`
}

export function csvRow(e: CapturedEntry, socketName: string | null, frameColumns: number, frames: CsvFrames): string {
  const cells = [
    String(e.id),
    new Date(e.wall).toISOString(),
    field(socketName ?? e.socketId),
    e.socketId,
    e.dir,
    String(e.size),
    e.peer?.toString('hex') ?? '',
    String(e.frames.length),
  ]
  for (let i = 0; i < frameColumns; i++) cells.push(i < e.frames.length ? frameCell(e.frames[i]!, frames) : '')
  return `${cells.join(',')}\r\n`
}
