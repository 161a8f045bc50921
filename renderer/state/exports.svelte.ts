// Exports the user controls: the log's capture (what the filter shows or everything, NDJSON or CSV) with
// progress and cancel, and one message's frames written to files.
import { Channel } from '../../contract/channels'
import type { EngineEvent } from '../../contract/views'
import { requireApi } from '../lib/api'
import { DEFAULT_EXPORT_CHOICE, exportRequest, nextExportId, type ExportChoice } from '../lib/export-options'
import type { FilterFields } from '../lib/recording-filter'

export type ExportRun =
  | { kind: 'idle' }
  | { kind: 'running'; exportId: string; written: number; total: number; cancelling: boolean }
  | { kind: 'saved'; path: string; entries: number; bytes: number }
  | { kind: 'cancelled'; message: string }
  | { kind: 'failed'; message: string }

export type FramesExport =
  | { kind: 'idle' }
  | { kind: 'writing'; entryId: number }
  | { kind: 'written'; entryId: number; folder: string; files: number }
  | { kind: 'failed'; entryId: number; message: string }

class ExportsState {
  choice = $state<ExportChoice>({ ...DEFAULT_EXPORT_CHOICE })
  run = $state.raw<ExportRun>({ kind: 'idle' })
  frames = $state.raw<FramesExport>({ kind: 'idle' })

  choose(patch: Partial<ExportChoice>): void {
    this.choice = { ...this.choice, ...patch }
  }

  /** Exports the live capture, or the opened recording `sourceId` (what its filter shows, or all of it). */
  async start(fields: FilterFields, sourceId?: string): Promise<void> {
    if (this.run.kind === 'running') return
    const exportId = nextExportId()
    const built = exportRequest(this.choice, fields, exportId)
    if (built.kind === 'invalid') {
      this.run = { kind: 'failed', message: built.message }
      return
    }
    if (sourceId !== undefined) built.request.sourceId = sourceId
    this.run = { kind: 'running', exportId, written: 0, total: 0, cancelling: false }
    const result = await requireApi().call(Channel.logExport, built.request)
    if (result.ok) this.run = { kind: 'saved', ...result.value }
    else if (result.error.code === 'CANCELLED') this.run = { kind: 'cancelled', message: result.error.message }
    else this.run = { kind: 'failed', message: result.error.message }
  }

  progress(event: Extract<EngineEvent, { type: 'export-progress' }>): void {
    const run = this.run
    if (run.kind !== 'running' || run.exportId !== event.exportId) return
    this.run = { ...run, written: event.written, total: event.total }
  }

  async cancel(): Promise<void> {
    const run = this.run
    if (run.kind !== 'running' || run.cancelling) return
    this.run = { ...run, cancelling: true }
    const result = await requireApi().call(Channel.logExportCancel, { exportId: run.exportId })
    // Too late to cancel (it finished meanwhile): the export's own answer says what happened.
    if (!result.ok && this.run.kind === 'running' && this.run.exportId === run.exportId) {
      this.run = { ...this.run, cancelling: false }
    }
  }

  dismiss(): void {
    if (this.run.kind !== 'running') this.run = { kind: 'idle' }
  }

  async saveFrames(entryId: number): Promise<void> {
    this.frames = { kind: 'writing', entryId }
    const result = await requireApi().call(Channel.logExportFrames, { entryId })
    this.frames = result.ok
      ? { kind: 'written', entryId, folder: result.value.folder, files: result.value.paths.length }
      : { kind: 'failed', entryId, message: result.error.message }
  }
}

export const captureExports = new ExportsState()
