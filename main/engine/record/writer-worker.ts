// The recorder's writer thread: turns staged batches into MCAP chunks (compressed) and writes them, so that
// the engine thread pays only a copy per message. Every operation runs in order (the writer needs that).
import { open, type FileHandle } from 'node:fs/promises'
import { parentPort } from 'node:worker_threads'
import { FlushableMcapWriter, NO_COMPRESSION, type Compressor } from './mcap-writer'
import { rotatedName, type ChannelSpec, type FileStart, type FromWriter, type ToWriter } from './writer-protocol'
import { zstdCompressor } from './zstd'

const port = parentPort
if (port === null) throw new Error('writer-worker runs as a worker thread')

interface OpenFile {
  handle: FileHandle
  writer: FlushableMcapWriter
  path: string
  start: FileStart
}

let current: OpenFile | undefined
let settings: { chunkBytes: number; compress: Compressor } = { chunkBytes: 1 << 20, compress: NO_COMPRESSION }
const channels: ChannelSpec[] = []
let written = 0
let flushTimer: NodeJS.Timeout | undefined
let maxBytes = Infinity
/** The recording's first file: rotated files are named after it. */
let firstPath = ''
let queue: Promise<void> = Promise.resolve()
let failed = false

function post(message: FromWriter): void {
  port!.postMessage(message)
}

function progress(file: OpenFile): void {
  post({
    type: 'progress',
    written,
    fileBytes: file.writer.bytesWritten,
    fileMessages: file.writer.messages,
    path: file.path,
  })
}

async function startFile(start: FileStart): Promise<OpenFile> {
  // 'wx': a recording never overwrites a file; the engine picked a free name.
  const handle = await open(start.path, 'wx')
  const writer = new FlushableMcapWriter(handle, { ...settings, originNs: BigInt(start.originNs) })
  await writer.start({ profile: start.profile, library: start.library })
  for (const m of start.metadata) await writer.addMetadata({ name: m.name, metadata: new Map(m.entries) })
  for (const c of channels) writer.addChannel(toChannel(c))
  return { handle, writer, path: start.path, start }
}

function toChannel(c: ChannelSpec) {
  return { id: c.id, schemaId: 0, topic: c.topic, messageEncoding: c.messageEncoding, metadata: new Map(c.metadata) }
}

async function endFile(file: OpenFile): Promise<void> {
  try {
    await file.writer.end()
  } finally {
    await file.handle.close()
  }
}

async function writeBatch(buffer: ArrayBuffer, length: number): Promise<void> {
  const bytes = Buffer.from(buffer, 0, length)
  let at = 0
  while (at < length && current !== undefined) {
    const file = current
    const before = file.writer.bytesWritten
    const done = await file.writer.addStaged(bytes, length, at, maxBytes)
    written += done.messages
    at = done.at
    if (file.writer.bytesWritten !== before) progress(file)
    await rotateIfFull()
  }
}

/** Past the size limit: the file is closed whole and the next one takes what follows. */
async function rotateIfFull(): Promise<void> {
  if (current === undefined || current.writer.bytesWritten < maxBytes) return
  const index = current.start.index + 1
  await rotate({ ...current.start, path: rotatedName(firstPath, index), index })
}

async function rotate(start: FileStart): Promise<void> {
  const previous = current
  current = undefined
  if (previous !== undefined) await endFile(previous)
  current = await startFile(start)
  post({
    type: 'rotated',
    written,
    path: start.path,
    index: start.index,
    previousBytes: previous?.writer.bytesWritten ?? 0,
  })
  progress(current)
}

async function handle(message: ToWriter): Promise<void> {
  if (failed) return
  switch (message.type) {
    case 'open':
      settings = {
        chunkBytes: message.chunkBytes,
        compress: message.compression === 'zstd' ? await zstdCompressor() : NO_COMPRESSION,
      }
      maxBytes = message.maxBytes ?? Infinity
      firstPath = message.file.path
      current = await startFile(message.file)
      progress(current)
      // The open chunk goes to disk at least this often: all a killed recorder can lose.
      flushTimer = setInterval(() => {
        enqueue(async () => {
          if (current === undefined || current.writer.pendingMessages === 0) return
          await current.writer.flush()
          progress(current)
          await rotateIfFull()
        })
      }, message.flushMs)
      return
    case 'channel':
      channels.push(message.channel)
      current?.writer.addChannel(toChannel(message.channel))
      return
    case 'batch':
      await writeBatch(message.buffer, message.length)
      // Written (copied into the chunk): the engine thread fills this buffer again.
      port!.postMessage({ type: 'spare', buffer: message.buffer } satisfies FromWriter, [message.buffer])
      return
    case 'rotate':
      // The size limit may have rotated to this file (or past it) already.
      if (current !== undefined && message.file.index > current.start.index) await rotate(message.file)
      return
    case 'close': {
      clearInterval(flushTimer)
      const last = current
      current = undefined
      if (last !== undefined) await endFile(last)
      post({ type: 'closed', written, fileBytes: last?.writer.bytesWritten ?? 0 })
      return
    }
  }
}

function enqueue(task: () => Promise<void>): void {
  queue = queue.then(task).catch(async (error: unknown) => {
    failed = true
    clearInterval(flushTimer)
    const { code, syscall } = error as NodeJS.ErrnoException
    // What is in the file stays readable: try to close it whole (a full disk may still take the small summary).
    const last = current
    current = undefined
    const whole =
      last === undefined ||
      (await endFile(last).then(
        () => true,
        () => false,
      ))
    post({ type: 'failed', message: (error as Error).message, code, syscall, whole, written })
  })
}

port.on('message', (message: ToWriter) => enqueue(() => handle(message)))
