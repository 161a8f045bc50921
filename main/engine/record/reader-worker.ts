// A recording's reader thread: opens the file (recovering an unfinished one), answers pages, seeks, frames,
// density and replay batches. Everything it is asked is answered, an error included; nothing here can stall
// the engine thread.
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { parentPort } from 'node:worker_threads'
import type { LogEntryView } from '../../../contract/views'
import { BadFile } from './bad-file'
import { McapSource, nsToMs, type StoredMessage } from './mcap-source'
import { compileFilter } from './record-filter'
import type { FromReader, ReaderAnswers, ReaderRequest, ReplayMessage, ToReader } from './reader-protocol'
import { recover } from './recover'

const port = parentPort
if (port === null) throw new Error('reader-worker runs as a worker thread')

/** Bytes of each frame a page's row carries, as on the live log. */
const PREVIEW_BYTES = 1024
/** A filtered page gives up after this long and says where it got to; the page asks again from there. */
const SCAN_BUDGET_MS = 250

let source: McapSource | undefined

function toView(m: StoredMessage, startNs: bigint): LogEntryView {
  const view: LogEntryView = {
    id: m.position + 1,
    socketId: m.channel.socketId,
    dir: m.channel.dir,
    mono: nsToMs(m.logTime - startNs),
    wall: nsToMs(m.logTime),
    size: m.decoded.size,
    frames: m.decoded.frames.map((frame) => ({
      size: frame.length,
      b64: frame.subarray(0, PREVIEW_BYTES).toString('base64'),
      truncated: frame.length > PREVIEW_BYTES,
    })),
  }
  if (m.decoded.peer) view.peer = m.decoded.peer.toString('hex')
  return view
}

function opened(): McapSource {
  if (source === undefined) throw new Error('no recording is open in this reader')
  return source
}

async function openFile(path: string, sourceId: string): Promise<ReaderAnswers['open']> {
  const first = await McapSource.open(await open(path, 'r'), path)
  if (first !== 'unfinished') {
    source = first
    return first.describe(sourceId)
  }
  const recovered = await recover(path)
  const again = await McapSource.open(await open(recovered.path, 'r'), recovered.path)
  if (again === 'unfinished') throw new BadFile(`${basename(path)}: the recovered copy could not be indexed`)
  source = again
  return {
    ...(await again.describe(sourceId)),
    recovered: { from: path, to: recovered.path, messages: recovered.messages },
  }
}

async function scan(
  from: number,
  limit: number,
  filter: Parameters<typeof compileFilter>[0],
  take: (m: StoredMessage) => void,
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
    const subject = { socketId: m.channel.socketId, dir: m.channel.dir, size: m.decoded.size, frames: m.decoded.frames }
    if (test === undefined || test(subject)) {
      take(m)
      if (++taken >= limit) break
    }
    if ((scanned & 1023) === 0 && performance.now() > deadline) break
  }
  return { next, done: next >= s.table.total, scanned }
}

async function answer(request: ReaderRequest): Promise<unknown> {
  switch (request.op) {
    case 'open':
      return openFile(request.path, request.sourceId)
    case 'page': {
      const entries: LogEntryView[] = []
      const startNs = opened().startNs
      const result = await scan(request.from, request.limit, request.filter, (m) => entries.push(toView(m, startNs)))
      return { entries, ...result } satisfies ReaderAnswers['page']
    }
    case 'replay': {
      const messages: ReplayMessage[] = []
      const startNs = opened().startNs
      const result = await scan(request.from, request.limit, request.filter, (m) =>
        messages.push({
          position: m.position,
          offsetMs: nsToMs(m.logTime - startNs),
          frames: m.decoded.frames.map((f) => new Uint8Array(f)),
        }),
      )
      return { messages, next: result.next, done: result.done } satisfies ReaderAnswers['replay']
    }
    case 'seek': {
      const ns = BigInt(Math.round(request.wall * 1000)) * 1000n
      return { position: await opened().positionAt(ns) } satisfies ReaderAnswers['seek']
    }
    case 'frames': {
      const m = await opened().at(request.position)
      if (m === undefined) throw new RangeError(`the recording has no message #${request.position + 1}`)
      return {
        entryId: request.position + 1,
        frames: m.decoded.frames.map((f) => f.toString('base64')),
      } satisfies ReaderAnswers['frames']
    }
    case 'density': {
      const s = opened()
      return {
        startWall: nsToMs(s.startNs),
        endWall: nsToMs(s.endNs),
        bins: s.table.density(s.startNs, s.endNs, request.bins),
      } satisfies ReaderAnswers['density']
    }
  }
}

function failureOf(id: number, error: unknown): FromReader {
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof BadFile) return { id, ok: false, code: 'BAD_FILE', message }
  if (error instanceof RangeError) return { id, ok: false, code: 'INVALID_REQUEST', message }
  const code = (error as NodeJS.ErrnoException).code
  if (typeof code === 'string' && code.startsWith('E'))
    return { id, ok: false, code: 'IO_ERROR', message: `${message}` }
  // Anything else the file made the reader throw (a record the library could not parse) is the file's fault.
  return { id, ok: false, code: 'BAD_FILE', message: `${source ? basename(source.path) : 'the file'}: ${message}` }
}

let queue: Promise<void> = Promise.resolve()
port.on('message', ({ id, request }: ToReader) => {
  queue = queue.then(async () => {
    try {
      port.postMessage({ id, ok: true, value: await answer(request) } satisfies FromReader)
    } catch (error) {
      port.postMessage(failureOf(id, error))
    }
  })
})
