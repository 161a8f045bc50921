// A WebSocket client that stops reading during a fast stream: it falls behind and gets row-less batches, but
// every captured entry id still reaches it, as a row or in a batch's `skipped` count. Nothing goes silent.
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { WebSocket } from 'ws'
import * as zmq from 'zeromq'
import { startBrowserHost, type RunningHost } from '../../main/host/browser-host'
import { Channel, WS_PATH } from '../../contract/channels'
import type { EngineEvent, LogEntryView, SocketSummary } from '../../contract/views'

const root = mkdtempSync(join(tmpdir(), 'zs-renderer-'))
const COUNT = 200_000

/** A client that records what reaches it; `pause` stops reading its TCP socket, as a stalled page would. */
class RecordingClient {
  readonly ids = new Set<number>()
  skipped = 0
  rowlessBatches = 0
  private tcp: Socket | undefined
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = []
  private readonly replies = new Map<number, (value: unknown) => void>()
  private nextId = 1
  ws!: WebSocket

  async open(origin: string, token: string): Promise<void> {
    this.ws = new WebSocket(`${origin.replace('http', 'ws')}${WS_PATH}?token=${token}`, {
      headers: { origin },
      createConnection: (options: object) => (this.tcp = connect(options as { port: number; host: string })),
    })
    this.ws.on('message', (data: Buffer) => this.receive(JSON.parse(data.toString()) as never))
    await new Promise((resolve) => this.ws.once('open', resolve))
  }

  pause(): void {
    this.tcp!.pause()
  }

  resume(): void {
    this.tcp!.resume()
  }

  call(channel: string, payload: unknown): Promise<{ ok: boolean; value?: unknown }> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.replies.set(id, resolve as never)
      this.ws.send(JSON.stringify({ id, channel, payload }))
    })
  }

  until(check: () => boolean): Promise<void> {
    return check() ? Promise.resolve() : new Promise((resolve) => this.waiters.push({ check, resolve }))
  }

  lastCaptured = 0

  private receive(frame: { id?: number; result?: unknown; event?: EngineEvent }): void {
    if (frame.id !== undefined) this.replies.get(frame.id)?.(frame.result)
    if (frame.event?.type === 'batch') {
      const batch = frame.event.batch
      for (const entry of batch.entries as LogEntryView[]) {
        assert.ok(!this.ids.has(entry.id), `entry ${entry.id} delivered twice`)
        this.ids.add(entry.id)
      }
      this.skipped += batch.skipped
      if (batch.entries.length === 0 && batch.skipped > 0) this.rowlessBatches++
      this.lastCaptured = batch.capture.lastId
    }
    for (const waiter of [...this.waiters]) {
      if (!waiter.check()) continue
      this.waiters.splice(this.waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  }
}

let host: RunningHost
before(async () => {
  host = await startBrowserHost({
    host: '127.0.0.1',
    port: 0,
    rendererRoot: root,
    exportsDir: mkdtempSync(join(tmpdir(), 'zs-exports-')),
    slowClientBytes: 256 * 1024,
  })
})
after(() => host.close())

describe('a slow WebSocket client', () => {
  it('is told about every entry id it did not get as a row, and gets rows again once it reads', async () => {
    const origin = new URL(host.url).origin
    const slow = new RecordingClient()
    const fast = new RecordingClient()
    await slow.open(origin, host.token)
    await fast.open(origin, host.token)
    const created = (await fast.call(Channel.socketCreate, { type: 'pull', name: 'stream' })) as {
      value: SocketSummary
    }
    const bound = (await fast.call(Channel.socketBind, {
      socketId: created.value.id,
      endpoint: 'tcp://127.0.0.1:*',
    })) as { value: SocketSummary }
    const push = new zmq.Push({ linger: 0 })
    try {
      push.connect(bound.value.endpoints[0]!.address)
      slow.pause()
      const payload = Buffer.alloc(100, 0x61)
      for (let i = 0; i < COUNT; i++) await push.send(payload)
      await fast.until(() => fast.lastCaptured >= COUNT)
      slow.resume()
      // A reply is queued behind every batch sent before it: once it is here, the backlog has drained.
      await slow.call(Channel.engineInfo, {})
      await push.send('marker')
      const marker = COUNT + 1
      await slow.until(() => slow.ids.has(marker))
      assert.equal(slow.ids.size + slow.skipped, marker, 'every id is a row or counted as not streamed')
      assert.ok(slow.rowlessBatches > 0, 'the client never fell behind; the test did not test anything')
      assert.equal(fast.ids.size + fast.skipped, fast.lastCaptured)
    } finally {
      push.close()
      slow.ws.terminate()
      fast.ws.terminate()
    }
  })
})
