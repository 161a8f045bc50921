// Opened recordings, each read by its own thread. Requests carry a deadline: a search that runs away (a
// regular expression that backtracks over millions of messages) is stopped by ending the thread, and the file
// is opened again in a fresh one, so the source stays usable.
import { access } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import type { OpenedRecording } from '../../../contract/recordings'
import { EngineError } from '../errors'
import type { FromReader, ReaderAnswers, ReaderRequest } from './reader-protocol'
import { formatOf } from './recordings'
import { startWorker } from './workers'

const REQUEST_MS = 10_000

interface Pending {
  resolve: (value: unknown) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout | undefined
}

class ReaderThread {
  private worker: Worker
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  constructor() {
    this.worker = this.spawn()
  }

  request<K extends ReaderRequest['op']>(
    request: Extract<ReaderRequest, { op: K }>,
    timeoutMs: number | undefined,
  ): Promise<ReaderAnswers[K]> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.pending.delete(id)
              reject(
                new EngineError(
                  'LIMIT',
                  `reading the recording took longer than ${timeoutMs / 1000} s and was stopped (a regular expression that backtracks?); try a simpler filter`,
                ),
              )
              void this.restart()
            }, timeoutMs)
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer })
      this.worker.postMessage({ id, request })
    })
  }

  /** Set once opened: a restarted thread opens the same file again before anything else. */
  reopen: ReaderRequest | undefined

  async close(): Promise<void> {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer)
      p.reject(new EngineError('UNKNOWN_RECORDING', 'the recording was closed'))
    }
    this.pending.clear()
    await this.worker.terminate()
  }

  private spawn(): Worker {
    const worker = startWorker('record-reader')
    worker.on('message', (answer: FromReader) => {
      const p = this.pending.get(answer.id)
      if (p === undefined) return
      this.pending.delete(answer.id)
      clearTimeout(p.timer)
      if (answer.ok) p.resolve(answer.value)
      else p.reject(new EngineError(answer.code, answer.message))
    })
    worker.on('error', (error) => {
      for (const p of this.pending.values())
        p.reject(new EngineError('INTERNAL', `the recording reader failed: ${error.message}`))
      this.pending.clear()
    })
    return worker
  }

  private async restart(): Promise<void> {
    const old = this.worker
    this.worker = this.spawn()
    await old.terminate()
    if (this.reopen !== undefined) this.worker.postMessage({ id: 0, request: this.reopen })
  }
}

export class RecordingSources {
  private readonly sources = new Map<string, { thread: ReaderThread; recording: OpenedRecording }>()
  private nextId = 1

  /** Opens a file of the recordings folder by name, or a path the user chose in a native dialog. */
  async open(path: string): Promise<OpenedRecording> {
    const format = formatOf(path)
    if (format === undefined) {
      throw new EngineError(
        'BAD_FILE',
        `${basename(path)} is not a recording: ZeroScope opens .mcap recordings and .jsonl exports`,
      )
    }
    await access(path).catch(() => {
      throw new EngineError('IO_ERROR', `cannot open ${path}: no such file (or it cannot be read)`)
    })
    if (format === 'ndjson') {
      throw new EngineError(
        'UNSUPPORTED',
        `${basename(path)}: opening NDJSON exports is not built yet; open .mcap recordings`,
      )
    }
    const sourceId = `src${this.nextId++}`
    const thread = new ReaderThread()
    const request = { op: 'open', path, sourceId } as const
    try {
      const recording = await thread.request(request, undefined)
      thread.reopen = { op: 'open', path: recording.recovered?.to ?? path, sourceId }
      this.sources.set(sourceId, { thread, recording })
      return recording
    } catch (error) {
      await thread.close()
      throw error
    }
  }

  get(sourceId: string): OpenedRecording {
    return this.entry(sourceId).recording
  }

  read<K extends Exclude<ReaderRequest['op'], 'open'>>(
    sourceId: string,
    request: Extract<ReaderRequest, { op: K }>,
    timeoutMs = REQUEST_MS,
  ): Promise<ReaderAnswers[K]> {
    return this.entry(sourceId).thread.request(request, timeoutMs)
  }

  async close(sourceId: string): Promise<null> {
    const entry = this.entry(sourceId)
    this.sources.delete(sourceId)
    await entry.thread.close()
    return null
  }

  async closeAll(): Promise<void> {
    const all = [...this.sources.values()]
    this.sources.clear()
    await Promise.all(all.map((s) => s.thread.close()))
  }

  private entry(sourceId: string) {
    const entry = this.sources.get(sourceId)
    if (entry === undefined) throw new EngineError('UNKNOWN_RECORDING', `no opened recording with id ${sourceId}`)
    return entry
  }
}

export function inFolder(folder: string, name: string): string {
  return join(folder, name)
}
