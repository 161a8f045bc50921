// A captured message as read back out of the ring, and its view for the wire. Its own module so that the ring
// and its typed columns (which build entries) both depend on it rather than on each other.
import type { Direction, LogEntryView } from '../../contract/views'

/**
 * A captured message as read from the ring. Small messages' frames are views into a shared chunk that is
 * reused once evicted: turn them into what you need (a view, base64, a file line) right away, or take a
 * snapshot, which keeps its chunks from reuse until it is released.
 */
export interface CapturedEntry {
  id: number
  socketId: string
  dir: Direction
  mono: number
  wall: number
  frames: Buffer[]
  size: number
  peer?: Buffer
}

/** Bytes of each frame a log row carries; the full frames are fetched on demand (engine.frames). */
const PREVIEW_BYTES = 1024

export function toView(entry: CapturedEntry): LogEntryView {
  const view: LogEntryView = {
    id: entry.id,
    socketId: entry.socketId,
    dir: entry.dir,
    mono: entry.mono,
    wall: entry.wall,
    size: entry.size,
    frames: entry.frames.map((frame) => ({
      size: frame.length,
      b64: frame.subarray(0, PREVIEW_BYTES).toString('base64'),
      truncated: frame.length > PREVIEW_BYTES,
    })),
  }
  if (entry.peer) view.peer = entry.peer.toString('hex')
  return view
}
