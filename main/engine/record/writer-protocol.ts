// Messages between the recorder (engine thread) and its writer worker. Batches carry staged messages as one
// transferred buffer (handed back once written, to be filled again). Each staged message is already an MCAP
// Message record, so the writer copies batches into chunks whole:
//   u8 opcode 0x05, u64 record length, u16 channel id, u32 sequence (the writer's), u64 log time (staged as
//   the f64 engine monotonic receive time in ms; the writer replaces it by epoch ns), u64 publish time (the
//   writer's, = log time), then the zeroscope.multipart (or event JSON) bytes.
// A size limit is kept by the writer itself, at the first chunk past it: the engine thread learns of the new
// file afterwards ('rotated'), so a burst cannot push a file far past its limit.
import { basename, dirname, extname, join } from 'node:path'

export const STAGED_HEADER = 31

/** name.mcap, name-002.mcap, name-003.mcap, ... */
export function rotatedName(first: string, index: number): string {
  const ext = extname(first)
  return join(dirname(first), `${basename(first, ext)}-${String(index).padStart(3, '0')}${ext}`)
}

export interface FileStart {
  path: string
  /** 1 for the recording's first file, 2 for its -002 file, ... */
  index: number
  profile: string
  library: string
  /** Written as MCAP metadata records right after the header. */
  metadata: { name: string; entries: [string, string][] }[]
  /** Epoch nanoseconds of engine monotonic 0 (performance.timeOrigin), as a decimal string. */
  originNs: string
}

export interface ChannelSpec {
  id: number
  topic: string
  messageEncoding: string
  metadata: [string, string][]
}

export type ToWriter =
  | {
      type: 'open'
      file: FileStart
      chunkBytes: number
      compression: 'zstd' | 'none'
      flushMs: number
      /** The writer moves on to the next file (rotatedName) at the first chunk that takes a file past this. */
      maxBytes?: number
    }
  | { type: 'channel'; channel: ChannelSpec }
  | { type: 'batch'; buffer: ArrayBuffer; length: number; messages: number }
  /** Ends the current file (whole, indexed) and goes on in a new one; ignored if the writer already did. */
  | { type: 'rotate'; file: FileStart }
  | { type: 'close' }

export type FromWriter =
  /** After each written chunk and each rotation: what is on disk. */
  | { type: 'progress'; written: number; fileBytes: number; fileMessages: number; path: string }
  | { type: 'closed'; written: number; fileBytes: number }
  /** The previous file was closed whole at `previousBytes`; `path` is written from now on. */
  | { type: 'rotated'; written: number; path: string; index: number; previousBytes: number }
  /** A batch's buffer, written and handed back for the next batches. */
  | { type: 'spare'; buffer: ArrayBuffer }
  /** `whole`: the file could still be closed with its summary (else it opens recovered, up to its last chunk). */
  | { type: 'failed'; message: string; code?: string; syscall?: string; whole: boolean; written: number }
