// Recordings: capture kept in MCAP files beside the ring, opened again as a read-only log source, replayed
// from a socket. Type-only apart from constants, and imports nothing, so every bundle can take it. (A page of
// a recording's messages is in views.ts, beside the log entries it holds.)

/** What a recording keeps: every socket's traffic, or the chosen sockets and taps (a tap = both its sides). */
export type RecordingScope = { kind: 'all' } | { kind: 'chosen'; socketIds: string[]; tapIds: string[] }

/** When a recording moves on to its next file (-002.mcap, ...); absent limits never rotate. */
export interface RotationPolicy {
  maxBytes?: number
  maxSeconds?: number
}

export type RecordingState =
  | { kind: 'recording' }
  | { kind: 'stopped'; reason: 'user' | 'shutdown' }
  /** The file up to here is whole and indexed; the message says why recording stopped and what to do. */
  | { kind: 'failed'; reason: 'disk-space' | 'write-error'; message: string }

export interface RecordingSummary {
  id: string
  scope: RecordingScope
  state: RecordingState
  /** The file written now (or last); a rotated recording's earlier files are in `files`, oldest first. */
  path: string
  files: string[]
  startedWall: number
  /** Messages handed to the recorder, and of those the ones in files on disk (flushed chunks). */
  messages: number
  written: number
  events: number
  /** Bytes on disk across the recording's files. */
  bytes: number
  /** Messages the recorder could not take (its queue was full while the disk lagged): counted, never silent. */
  notRecorded: number
  rotation: RotationPolicy
}

/** Where a recording is written or read: a name in the host's recordings folder, or a native dialog (Electron). */
export type FileChoice = { kind: 'folder'; name?: string } | { kind: 'ask' }

export type RecordingStart = { kind: 'started'; recording: RecordingSummary } | { kind: 'cancelled' }

export type RecordingFileState =
  | { kind: 'complete' }
  /** No summary at the end: the recorder was killed or the disk filled; opening it recovers what was flushed. */
  | { kind: 'unfinished' }
  | { kind: 'recording'; recordingId: string }

export interface RecordingFile {
  name: string
  path: string
  bytes: number
  modifiedWall: number
  format: RecordingFormat
  state: RecordingFileState
}

export interface RecordingFolder {
  path: string
  files: RecordingFile[]
  /** Free bytes on the folder's file system, when the platform says. */
  freeBytes?: number
}

export type RecordingFormat = 'mcap' | 'ndjson'

/** A channel of a recording: one socket's one direction. */
export interface RecordedChannel {
  channelId: number
  topic: string
  socketId: string
  name: string
  type: string
  dir: 'in' | 'out'
  tap?: { tapId: string; side: string }
}

/** A socket as the recording's topology metadata describes it (options without secrets). */
export interface RecordedSocket {
  id: string
  name: string
  type: string
  endpoints: { mode: 'bind' | 'connect'; requested: string; address: string }[]
  subscriptions: string[]
  options: Record<string, unknown>
}

export interface OpenedRecording {
  sourceId: string
  path: string
  name: string
  format: RecordingFormat
  messages: number
  events: number
  /** Wall clock of the first and last message, epoch milliseconds (fractional). */
  startWall: number
  endWall: number
  channels: RecordedChannel[]
  sockets: RecordedSocket[]
  /** What wrote the file, from its header and metadata. */
  producer: { library: string; appVersion?: string; libzmqVersion?: string; host?: string }
  /** Set when the file was unfinished: what was recovered from it and the whole, indexed copy now shown. */
  recovered?: { from: string; to: string; messages: number }
}

export type RecordingOpen = { kind: 'opened'; recording: OpenedRecording } | { kind: 'cancelled' }

/** The log's filter, applied by the engine while it reads a recording (a file may hold millions of messages). */
export interface RecordingFilter {
  socketId?: string
  dir?: 'in' | 'out'
  minSize?: number
  text?: { mode: 'text' | 'regex'; pattern: string }
}

export interface RecordingDensity {
  startWall: number
  endWall: number
  /** Messages per equal slice of [startWall, endWall]. */
  bins: number[]
}

export type ReplayTiming = { kind: 'original' } | { kind: 'speed'; factor: number } | { kind: 'fast' }

export type ReplayState =
  { kind: 'running' } | { kind: 'done' } | { kind: 'stopped' } | { kind: 'failed'; message: string }

export interface ReplaySummary {
  id: string
  sourceId: string
  socketId: string
  timing: ReplayTiming
  loop: boolean
  state: ReplayState
  /** Messages sent in this pass, of `total` (the recording's, or those the filter chose once counted). */
  sent: number
  total: number
  /** Completed passes of a looping replay. */
  passes: number
}

/** The MCAP profile and encodings ZeroScope writes; documented in the README's "Recording format". */
export const RECORDING_PROFILE = 'zeroscope'
export const MULTIPART_ENCODING = 'zeroscope.multipart'
export const EVENTS_TOPIC = 'zeroscope/events'
export const TOPOLOGY_METADATA = 'zeroscope.topology'
/** How often a recording's open chunk is written out: what a killed recorder can lose at most. */
export const RECORDING_FLUSH_MS = 1000
