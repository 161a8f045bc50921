// Requests to a recording's reader thread and its answers. One thread per opened file: decompressing chunks
// and scanning millions of messages for a filter never stall capture, and a runaway search can be stopped.
import type { OpenedRecording, RecordingDensity, RecordingFilter, RecordingFormat } from '../../../contract/recordings'
import type { FullFrames, RecordingPage } from '../../../contract/views'

/** A message as replay sends it: its frames and when it was received, relative to the recording's start. */
export interface ReplayMessage {
  position: number
  offsetMs: number
  frames: Uint8Array[]
}

export type ReaderRequest =
  | { op: 'open'; path: string; sourceId: string; format: RecordingFormat }
  | { op: 'page'; from: number; limit: number; filter?: RecordingFilter }
  | { op: 'seek'; wall: number }
  | { op: 'frames'; position: number }
  | { op: 'density'; bins: number }
  | { op: 'replay'; from: number; limit: number; filter?: RecordingFilter }
  /** Closes the file before the thread is ended: a handle left to the garbage collector warns. */
  | { op: 'close' }

export interface ReaderAnswers {
  open: OpenedRecording
  page: RecordingPage
  seek: { position: number }
  frames: FullFrames
  density: RecordingDensity
  replay: { messages: ReplayMessage[]; next: number; done: boolean }
  close: null
}

export type ToReader = { id: number; request: ReaderRequest }
export type FromReader =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; code: 'BAD_FILE' | 'IO_ERROR' | 'INVALID_REQUEST' | 'INTERNAL'; message: string }
