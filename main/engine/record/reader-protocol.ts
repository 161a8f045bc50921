// Requests to a recording's reader thread and its answers. One thread per opened file: decompressing chunks
// and scanning millions of messages for a filter never stall capture, and a runaway search can be stopped.
import type { OpenedRecording, RecordingDensity, RecordingFilter, RecordingFormat } from '../../../contract/recordings'
import type { CaptureExport, FullFrames, RecordingPage } from '../../../contract/views'
import type { CsvFrames, ExportFormat } from '../export-formats'

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
  /** The messages (all, or what the filter shows) as an export file in `directory`; progress as it goes. */
  | {
      op: 'export'
      directory: string
      filter?: RecordingFilter
      format: ExportFormat
      frames: CsvFrames
      /** Socket id -> name, as the recording's channels have them. */
      names: [string, string][]
    }
  /** Answered at once, beside the queue: the running export stops at its next progress check. */
  | { op: 'cancel-export' }
  /** Closes the file before the thread is ended: a handle left to the garbage collector warns. */
  | { op: 'close' }

export interface ReaderAnswers {
  open: OpenedRecording
  page: RecordingPage
  seek: { position: number }
  frames: FullFrames
  density: RecordingDensity
  replay: { messages: ReplayMessage[]; next: number; done: boolean }
  export: CaptureExport
  'cancel-export': null
  close: null
}

export type ToReader = { id: number; request: ReaderRequest }
export type FromReader =
  | { id: number; ok: true; value: unknown }
  /** An export's messages written so far. */
  | { id: number; progress: number }
  | {
      id: number
      ok: false
      code: 'BAD_FILE' | 'IO_ERROR' | 'INVALID_REQUEST' | 'INTERNAL' | 'CANCELLED'
      message: string
    }
