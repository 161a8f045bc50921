// Messages between the recorder (engine thread) and its writer worker. Batches carry staged messages as one
// transferred buffer; each record: u32 channel id, u32 data length, f64 receive time (engine monotonic ms),
// then the zeroscope.multipart (or event JSON) bytes.

export const STAGED_HEADER = 16

export interface FileStart {
  path: string
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
  | { type: 'open'; file: FileStart; chunkBytes: number; compression: 'zstd' | 'none'; flushMs: number }
  | { type: 'channel'; channel: ChannelSpec }
  | { type: 'batch'; buffer: ArrayBuffer; length: number; messages: number }
  /** Ends the current file (whole, indexed) and goes on in a new one. */
  | { type: 'rotate'; file: FileStart }
  | { type: 'close' }

export type FromWriter =
  /** After each written chunk and each rotation: what is on disk. */
  | { type: 'progress'; written: number; fileBytes: number; fileMessages: number; path: string }
  | { type: 'closed'; written: number; fileBytes: number }
  | { type: 'failed'; message: string; code?: string; written: number }
