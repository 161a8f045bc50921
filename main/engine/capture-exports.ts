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

export interface ExportRequest {
  socketId?: string
  filter?: RecordingFilter
  format?: ExportFormat
  frames?: CsvFrames
  /** Chosen by the page so that it can follow and cancel this export. */
  exportId?: string
}

/** Progress reaches the page at most this often. */
const PROGRESS_MS = 250

export class CaptureExports {
  private readonly running = new Map<string, { cancelled: boolean }>()

  constructor(
    private readonly ring: CaptureRing,
    private readonly directory: string,
    private readonly emit: (event: EngineEvent) => void,
  ) {}

  async run(request: ExportRequest, names: ReadonlyMap<string, string>): Promise<CaptureExport> {
    const { exportId } = request
    if (exportId !== undefined && this.running.has(exportId)) {
      throw new EngineError('NOT_ALLOWED', `an export with id ${exportId} is already running`)
    }
    const control = { cancelled: false }
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
    control.cancelled = true
    return null
  }
}
