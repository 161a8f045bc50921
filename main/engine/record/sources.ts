// Opened recordings, each read by its own thread. Requests carry a deadline: a search that runs away (a
// regular expression that backtracks over millions of messages) is stopped by ending the thread, and the file
// is opened again in a fresh one, so the source stays usable.
import { access } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Worker } from 'node:worker_threads'
import type { OpenedRecording } from '../../../contract/recordings'
import { EngineError } from '../errors'
import type { FromReader, ReaderAnswers, ReaderRequest } from './reader-protocol'
import { formatOf } from './recordings'
import { startWorker } from './workers'

const REQUEST_MS = 10_000
const CLOSE_MS = 1000

interface Pending {
  request: ReaderRequest
  resolve: (value: unknown) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout | undefined
  progress: ((written: number) => void) | undefined
}

class ReaderThread {
  private worker: Worker
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  /** Set when a fresh thread could not open the file again: every read answers with it. */
  private broken: EngineError | undefined
  private closed = false

  constructor() {
    this.worker = this.spawn()
  }

  /** Set once opened: a restarted thread opens the same file again before anything else. */
  reopen: Extract<ReaderRequest, { op: 'open' }> | undefined

  request<K extends ReaderRequest['op']>(
    request: Extract<ReaderRequest, { op: K }>,
    timeoutMs: number | undefined,
    progress?: (written: number) => void,
  ): Promise<ReaderAnswers[K]> {
    if (this.broken !== undefined) return Promise.reject(this.broken)
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
              this.restart()
            }, timeoutMs)
      this.pending.set(id, { request, resolve: resolve as (value: unknown) => void, reject, timer, progress })
      this.worker.postMessage({ id, request })
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    // The thread closes its file first, unless it is busy past a short wait (then ending it closes it).
    const closing = this.broken === undefined ? this.request({ op: 'close' }, CLOSE_MS).catch(() => null) : null
    this.closed = true
    await closing
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
      if (worker !== this.worker) return
      if (answer.id === 0) {
        // The fresh thread's own open of the file: only its failure matters.
        if ('ok' in answer && !answer.ok) this.fail(new EngineError(answer.code, answer.message))
        return
      }
      const p = this.pending.get(answer.id)
      if (p === undefined) return
      if ('progress' in answer) {
        p.progress?.(answer.progress)
        return
      }
      this.pending.delete(answer.id)
      clearTimeout(p.timer)
      if (answer.ok) p.resolve(answer.value)
      else p.reject(new EngineError(answer.code, answer.message))
    })
    const died = (why: string): void => {
      if (worker !== this.worker || this.closed) return
      const failure = new EngineError('INTERNAL', `the recording reader failed: ${why}`)
      for (const p of this.pending.values()) {
        clearTimeout(p.timer)
        p.reject(failure)
      }
      this.pending.clear()
      // A thread that died is no reader: open the file in a new one, once.
      if (this.reopen !== undefined) this.restart()
      else this.fail(failure)
    }
    worker.on('error', (error) => died(error.message))
    // An exit without an error (out of memory is one, on some Node versions) ends the reader all the same.
    worker.on('exit', (code) => died(`its thread exited (code ${code})`))
    return worker
  }

  /** Ends the current thread and opens the file again in a new one; the reads waiting behind go there. */
  private restart(): void {
    if (this.closed) return
    const old = this.worker
    this.worker = this.spawn()
    // The open first: the thread answers in order, so every read after it finds the file open.
    if (this.reopen !== undefined) this.worker.postMessage({ id: 0, request: this.reopen })
    for (const [id, p] of this.pending) this.worker.postMessage({ id, request: p.request })
    void old.terminate()
  }

  private fail(error: EngineError): void {
    this.broken = error
    for (const p of this.pending.values()) {
      clearTimeout(p.timer)
      p.reject(error)
    }
    this.pending.clear()
  }
}

export class RecordingSources {
  private readonly sources = new Map<string, { thread: ReaderThread; recording: OpenedRecording }>()
  private nextId = 1

  /** `readTimeoutMs`: how long one read may take before the thread is ended and the read answered LIMIT. */
  constructor(private readonly readTimeoutMs = REQUEST_MS) {}

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
    const sourceId = `src${this.nextId++}`
    const thread = new ReaderThread()
    const request = { op: 'open', path, sourceId, format } as const
    try {
      const recording = await thread.request(request, undefined)
      thread.reopen = { ...request, path: recording.recovered?.to ?? path }
      this.sources.set(sourceId, { thread, recording })
      return recording
    } catch (error) {
      await thread.close()
      throw error
    }
  }

  /** The recordings open now, in the order they were opened. */
  list(): OpenedRecording[] {
    return [...this.sources.values()].map((s) => s.recording)
  }

  get(sourceId: string): OpenedRecording {
    return this.entry(sourceId).recording
  }

  read<K extends Exclude<ReaderRequest['op'], 'open'>>(
    sourceId: string,
    request: Extract<ReaderRequest, { op: K }>,
    timeoutMs = this.readTimeoutMs,
  ): Promise<ReaderAnswers[K]> {
    return this.entry(sourceId).thread.request(request, timeoutMs)
  }

  /** Exports the recording's messages (what the filter shows, or all) as a file; no deadline, it can be cancelled. */
  exportTo(
    sourceId: string,
    request: Omit<Extract<ReaderRequest, { op: 'export' }>, 'op' | 'names'>,
    progress: (written: number) => void,
  ): Promise<ReaderAnswers['export']> {
    const { thread, recording } = this.entry(sourceId)
    const names = new Map(recording.channels.map((c) => [c.socketId, c.name]))
    return thread.request({ op: 'export', ...request, names: [...names] }, undefined, progress)
  }

  cancelExport(sourceId: string): Promise<null> {
    return this.entry(sourceId).thread.request({ op: 'cancel-export' }, CLOSE_MS)
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
