// Exports of the live capture that the user controls: what the filter shows or everything, NDJSON or CSV,
// with progress events and a cancel. Each export reads a snapshot of the ring, so capture goes on meanwhile.
import type { RecordingFilter } from '../../contract/recordings'
import type { CaptureExport, EngineEvent } from '../../contract/views'
import type { CaptureRing } from './capture'
import type { CapturedEntry } from './capture-entry'
import { EngineError } from './errors'
import { exportCapture } from './export'
import type { CsvFrames, ExportFormat } from './export-formats'
import { compileFilter } from './record/record-filter'
import type { RecordingSources } from './record/sources'

export interface ExportRequest {
  socketId?: string
  /** An opened recording to export from, instead of the live capture. */
  sourceId?: string
  filter?: RecordingFilter
  format?: ExportFormat
  frames?: CsvFrames
  /** Chosen by the page so that it can follow and cancel this export. */
  exportId?: string
}

/** Progress reaches the page at most this often. */
const PROGRESS_MS = 250

/** A running export: cancelling the live capture's sets a flag; a recording's asks its reader thread. */
type Running = { kind: 'capture'; cancelled: boolean } | { kind: 'recording'; sourceId: string }

export class CaptureExports {
  private readonly running = new Map<string, Running>()

  constructor(
    private readonly ring: CaptureRing,
    private readonly sources: RecordingSources,
    private readonly directory: string,
    private readonly emit: (event: EngineEvent) => void,
  ) {}

  async run(request: ExportRequest, names: ReadonlyMap<string, string>): Promise<CaptureExport> {
    const { exportId } = request
    if (exportId !== undefined && this.running.has(exportId)) {
      throw new EngineError('NOT_ALLOWED', `an export with id ${exportId} is already running`)
    }
    if (request.sourceId !== undefined) return this.fromRecording(request.sourceId, request)
    const control: Running = { kind: 'capture', cancelled: false }
    if (exportId !== undefined) this.running.set(exportId, control)
    const snapshot = this.ring.snapshot(request.socketId)
    const test = compileFilter(request.filter)
    const entries: Iterable<CapturedEntry> =
      test === undefined
        ? snapshot
        : {
            *[Symbol.iterator]() {
              for (const e of snapshot) if (test(e)) yield e
            },
          }
    let last = 0
    try {
      return await exportCapture(this.directory, entries, names, new Date(), {
        format: request.format ?? 'ndjson',
        frames: request.frames ?? 'text',
        progress: (written) => {
          const now = performance.now()
          if (exportId !== undefined && now - last >= PROGRESS_MS) {
            last = now
            this.emit({ type: 'export-progress', exportId, written, total: snapshot.size })
          }
          return !control.cancelled
        },
      })
    } finally {
      snapshot.release()
      if (exportId !== undefined) this.running.delete(exportId)
    }
  }

  cancel(exportId: string): null {
    const control = this.running.get(exportId)
    if (control === undefined) throw new EngineError('NOT_ALLOWED', `no export with id ${exportId} is running`)
    if (control.kind === 'capture') control.cancelled = true
    // The reader answers CANCELLED to the export itself; a reader that is gone has nothing left to stop.
    else void this.sources.cancelExport(control.sourceId).catch(() => null)
    return null
  }

  /** Read and written by the recording's reader thread; the filter is the same any-frame filter its pages use. */
  private async fromRecording(sourceId: string, request: ExportRequest): Promise<CaptureExport> {
    const { exportId } = request
    const total = this.sources.get(sourceId).messages
    if (exportId !== undefined) this.running.set(exportId, { kind: 'recording', sourceId })
    let last = 0
    const filter = request.socketId === undefined ? request.filter : { ...request.filter, socketId: request.socketId }
    try {
      return await this.sources.exportTo(
        sourceId,
        {
          directory: this.directory,
          ...(filter === undefined ? {} : { filter }),
          format: request.format ?? 'ndjson',
          frames: request.frames ?? 'text',
        },
        (written) => {
          const now = performance.now()
          if (exportId !== undefined && now - last >= PROGRESS_MS) {
            last = now
            this.emit({ type: 'export-progress', exportId, written, total })
          }
        },
      )
    } finally {
      if (exportId !== undefined) this.running.delete(exportId)
    }
  }
}
