// A recording's reader thread: opens the file (an MCAP recording, recovering an unfinished one, or an NDJSON
// export), answers pages, seeks, frames, density and replay batches. Everything it is asked is answered, an
// error included; nothing here can stall the engine thread.
import { loadDecompressHandlers } from '@mcap/support'
import { open, type FileHandle } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { parentPort } from 'node:worker_threads'
import type { LogEntryView } from '../../../contract/views'
import { toView as entryView, type CapturedEntry } from '../capture-entry'
import { EngineError } from '../errors'
import { exportCapture } from '../export'
import { fromFs } from '../fs-errors'
import { BadFile, NotInFile } from './bad-file'
import { McapSource, summaryIndex } from './mcap-source'
import { NdjsonSource } from './ndjson-source'
import { compileFilter } from './record-filter'
import type { FromReader, ReaderAnswers, ReaderRequest, ReplayMessage, ToReader } from './reader-protocol'
import { headerOf, recover } from './recover'
import type { RecordingSource, SourceMessage } from './source'
import { indexInPlace } from './unfinished-index'

const port = parentPort
if (port === null) throw new Error('reader-worker runs as a worker thread')

/** A filtered page gives up after this long and says where it got to; the page asks again from there. */
const SCAN_BUDGET_MS = 250
/** Why a recovered copy could not be written beside the file: then the file is read where it is. */
const CANNOT_WRITE = new Set(['EROFS', 'ENOSPC', 'EDQUOT', 'EACCES', 'EPERM'])

let source: RecordingSource | undefined

/** A recording's message as a captured entry, as the live log has them (positions are ids from 1). */
function toEntry(m: SourceMessage): CapturedEntry {
  const { position, offsetMs, ...rest } = m
  return { ...rest, id: position + 1, mono: offsetMs }
}

function toView(m: SourceMessage): LogEntryView {
  return entryView(toEntry(m))
}

/** Set by cancel-export; the running export reads it at each progress check. */
let exportCancelled = false

async function exportFile(id: number, request: Extract<ReaderRequest, { op: 'export' }>): Promise<unknown> {
  const s = opened()
  const test = compileFilter(request.filter)
  // Re-iterable: a CSV export reads the messages twice (its header counts the frame columns first).
  const entries: AsyncIterable<CapturedEntry> = {
    async *[Symbol.asyncIterator]() {
      for await (const m of s.from(0)) if (test === undefined || test(m)) yield toEntry(m)
    },
  }
  exportCancelled = false
  return exportCapture(request.directory, entries, new Map(request.names), new Date(), {
    format: request.format,
    frames: request.frames,
    progress: (written) => {
      port!.postMessage({ id, progress: written } satisfies FromReader)
      return !exportCancelled
    },
  })
}

function opened(): RecordingSource {
  if (source === undefined) throw new Error('no recording is open in this reader')
  return source
}

/** Opens `path` and hands the handle to `use`; closes it when `use` fails. */
async function withFile<T>(path: string, use: (file: FileHandle) => Promise<T>): Promise<T> {
  const file = await open(path, 'r')
  try {
    return await use(file)
  } catch (error) {
    await file.close()
    throw error
  }
}

async function openMcap(path: string, sourceId: string): Promise<ReaderAnswers['open']> {
  const handlers = await loadDecompressHandlers()
  const indexed = await withFile(path, async (file) => {
    const index = await summaryIndex(file, handlers)
    if (index !== 'unfinished') return McapSource.create(file, index, handlers, path)
    await file.close()
    return undefined
  })
  if (indexed !== undefined) {
    source = indexed
    return indexed.describe(sourceId)
  }
  await headerOf(path)
  let copy: string | undefined
  try {
    copy = (await recover(path)).path
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (!CANNOT_WRITE.has(code ?? '')) {
      throw fromFs(`cannot write the recovered copy of ${basename(path)} beside it`, error, 'move the file elsewhere')
    }
    // No room (or no right) for a copy beside it: read the unfinished file where it is, indexed in memory.
  }
  const recovered = await withFile(copy ?? path, async (file) => {
    const index = copy === undefined ? await indexInPlace(file, path, handlers) : await summaryIndex(file, handlers)
    if (index === 'unfinished') throw new BadFile(`${basename(path)}: the recovered copy could not be indexed`)
    return McapSource.create(file, index, handlers, copy ?? path)
  })
  source = recovered
  return {
    ...(await recovered.describe(sourceId)),
    recovered: { from: path, to: copy ?? path, messages: recovered.total },
  }
}

async function openFile(path: string, sourceId: string, format: 'mcap' | 'ndjson'): Promise<ReaderAnswers['open']> {
  if (format === 'mcap') return openMcap(path, sourceId)
  const ndjson = await withFile(path, (file) => NdjsonSource.open(file, path))
  source = ndjson
  return ndjson.describe(sourceId)
}

async function scan(
  from: number,
  limit: number,
  filter: Parameters<typeof compileFilter>[0],
  take: (m: SourceMessage) => void,
): Promise<{ next: number; done: boolean; scanned: number }> {
  const s = opened()
  const test = compileFilter(filter)
  const deadline = performance.now() + SCAN_BUDGET_MS
  let taken = 0
  let scanned = 0
  let next = from
  for await (const m of s.from(from)) {
    scanned++
    next = m.position + 1
    if (test === undefined || test(m)) {
      take(m)
      if (++taken >= limit) break
    }
    if ((scanned & 63) === 0 && performance.now() > deadline) break
  }
  return { next, done: next >= s.total, scanned }
}

async function answer(id: number, request: ReaderRequest): Promise<unknown> {
  switch (request.op) {
    case 'export':
      return exportFile(id, request)
    case 'cancel-export':
      exportCancelled = true
      return null
    case 'open':
      return openFile(request.path, request.sourceId, request.format)
    case 'page': {
      const entries: LogEntryView[] = []
      const result = await scan(request.from, request.limit, request.filter, (m) => entries.push(toView(m)))
      return { entries, ...result } satisfies ReaderAnswers['page']
    }
    case 'replay': {
      const messages: ReplayMessage[] = []
      const result = await scan(request.from, request.limit, request.filter, (m) =>
        messages.push({
          position: m.position,
          offsetMs: m.offsetMs,
          frames: m.frames.map((f) => new Uint8Array(f)),
        }),
      )
      return { messages, next: result.next, done: result.done } satisfies ReaderAnswers['replay']
    }
    case 'seek':
      return { position: await opened().positionAt(request.wall) } satisfies ReaderAnswers['seek']
    case 'frames': {
      const m = await opened().at(request.position)
      if (m === undefined) throw new NotInFile(`the recording has no message #${request.position + 1}`)
      return {
        entryId: request.position + 1,
        frames: m.frames.map((f) => f.toString('base64')),
      } satisfies ReaderAnswers['frames']
    }
    case 'close': {
      const s = source
      source = undefined
      await s?.close()
      return null
    }
    case 'density': {
      const s = opened()
      return {
        startWall: s.startWall,
        endWall: s.endWall,
        bins: s.density(request.bins),
      } satisfies ReaderAnswers['density']
    }
  }
}

function failureOf(id: number, request: ReaderRequest, error: unknown): FromReader {
  const path = request.op === 'open' ? request.path : source?.path
  const name = path === undefined ? 'the file' : basename(path)
  if (error instanceof BadFile) return { id, ok: false, code: 'BAD_FILE', message: error.message }
  if (
    error instanceof EngineError &&
    (error.code === 'IO_ERROR' || error.code === 'BAD_FILE' || error.code === 'CANCELLED')
  )
    return { id, ok: false, code: error.code, message: error.message }
  if (error instanceof NotInFile) return { id, ok: false, code: 'INVALID_REQUEST', message: error.message }
  const explained = fromFs(
    `cannot read ${name}${path === undefined ? '' : ` in ${dirname(path)}`}`,
    error,
    'open a recording from another folder',
  )
  if (explained instanceof EngineError) return { id, ok: false, code: 'IO_ERROR', message: explained.message }
  // Anything else the file made the reader throw (a record the library could not parse) is the file's fault.
  const message = error instanceof Error ? error.message : String(error)
  return { id, ok: false, code: 'BAD_FILE', message: `${name}: ${message}` }
}

let queue: Promise<void> = Promise.resolve()
port.on('message', ({ id, request }: ToReader) => {
  if (request.op === 'cancel-export') {
    // Beside the queue: the export it stops is what the queue is busy with.
    exportCancelled = true
    port.postMessage({ id, ok: true, value: null } satisfies FromReader)
    return
  }
  queue = queue.then(async () => {
    try {
      port.postMessage({ id, ok: true, value: await answer(id, request) } satisfies FromReader)
    } catch (error) {
      port.postMessage(failureOf(id, request, error))
    }
  })
})
