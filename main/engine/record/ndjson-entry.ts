// One line of an NDJSON capture export, checked field by field against what export.ts writes: id, socketId,
// socket (its name or null), dir, wall (ISO), mono, size, peer (hex or null), frames (base64). Anything else
// is answered with what is wrong, for the caller to name the file and line.

export interface ExportEntry {
  socketId: string
  socket: string | null
  dir: 'in' | 'out'
  /** Epoch milliseconds. */
  wall: number
  mono: number
  size: number
  peer: string | null
  frames: string[]
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const HEX = /^(?:[0-9a-f]{2})*$/i

/** Bytes a base64 text decodes to (checked to be base64 first). */
function decodedLength(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0
  return (b64.length / 4) * 3 - padding
}

export function parseEntry(line: Buffer, fail: (problem: string) => Error): ExportEntry {
  let value: unknown
  try {
    value = JSON.parse(line.toString('utf8'))
  } catch (error) {
    throw fail(`not JSON (${(error as Error).message})`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('not a JSON object')
  const e = value as Record<string, unknown>
  const field = (key: string, ok: boolean, what: string): void => {
    if (!ok) throw fail(`"${key}" ${key in e ? `is not ${what}` : 'is missing'}`)
  }
  field('id', Number.isSafeInteger(e.id) && (e.id as number) > 0, 'a positive whole number')
  field('socketId', typeof e.socketId === 'string' && e.socketId.length > 0 && e.socketId.length <= 64, 'a socket id')
  field('socket', e.socket === null || (typeof e.socket === 'string' && e.socket.length <= 1000), 'a name or null')
  field('dir', e.dir === 'in' || e.dir === 'out', '"in" or "out"')
  const wall = typeof e.wall === 'string' ? Date.parse(e.wall) : NaN
  field('wall', Number.isFinite(wall), 'an ISO date and time')
  field('mono', typeof e.mono === 'number' && Number.isFinite(e.mono), 'a number')
  field('size', Number.isSafeInteger(e.size) && (e.size as number) >= 0, 'a byte count')
  field('peer', e.peer === null || (typeof e.peer === 'string' && HEX.test(e.peer)), 'hex or null')
  const frames = e.frames
  field(
    'frames',
    Array.isArray(frames) && frames.every((f) => typeof f === 'string' && f.length % 4 === 0 && BASE64.test(f)),
    'a list of base64 frames',
  )
  const total = (frames as string[]).reduce((n, f) => n + decodedLength(f), 0)
  if (total !== e.size) throw fail(`its frames hold ${total} bytes, its "size" says ${String(e.size)}`)
  return {
    socketId: e.socketId as string,
    socket: e.socket as string | null,
    dir: e.dir as 'in' | 'out',
    wall,
    mono: e.mono as number,
    size: e.size as number,
    peer: e.peer as string | null,
    frames: frames as string[],
  }
}
