// Capture exports under concurrency: every "saved" names its own complete file, an export in progress keeps its
// temp file while another export starts, and only temp files of dead writers are cleaned up.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Engine } from '../../main/engine/engine'
import { exportCapture } from '../../main/engine/export'
import { dispatch } from '../../main/host/dispatch'
import type { Services } from '../../main/host/services'
import { Channel } from '../../contract/channels'
import type { CaptureExport, Result } from '../../contract/views'
import { bindAddress } from '../helpers/addresses'
import { newServices, txt, type Probe } from '../helpers/probe'

const TEMP = /\.zeroscope-tmp$/
let dir: string
let services: Services
let engine: Engine
let probe: Probe

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zs-exports-'))
  ;({ services, engine, probe } = newServices({ exportsDir: dir }))
})
afterEach(() => services.shutdown())

/** A real PUSH -> PULL capture of `count` messages of `size` bytes; resolves with the PULL's id once captured. */
async function capture(name: string, count: number, size = 16): Promise<string> {
  const pull = engine.create('pull', name).id
  const address = (await engine.bind(pull, bindAddress('tcp'))).endpoints[0]!.address
  const push = engine.create('push').id
  await engine.connect(push, address)
  for (let i = 0; i < count; i++)
    await engine.send(push, [txt(`${name} ${i} `.padEnd(size, '.')), { enc: 'hex', data: 'ff00' }])
  await probe.receivedAtLeast(pull, count)
  return pull
}

async function exportLog(socketId: string): Promise<CaptureExport> {
  const result = (await dispatch(services, Channel.logExport, { socketId })) as Result<CaptureExport>
  assert.ok(result.ok, `export failed: ${JSON.stringify(!result.ok && result.error)}`)
  return result.value
}

/** The file parses as JSON lines, one per entry, each of the socket; returns the entry count. */
function parsedEntries(path: string, socket: string): number {
  const lines = readFileSync(path, 'utf8').trim().split('\n')
  for (const line of lines) assert.equal((JSON.parse(line) as { socket: string }).socket, socket, path)
  return lines.length
}

describe('capture exports under concurrency', () => {
  it('200 concurrent exports each save their own complete file', async () => {
    const pull = await capture('inbox', 5)
    const results = await Promise.all(Array.from({ length: 200 }, () => exportLog(pull)))
    const paths = new Set(results.map((r) => r.path))
    assert.equal(paths.size, 200, 'every export names a distinct file')
    const files = readdirSync(dir)
    assert.deepEqual(
      files.filter((f) => TEMP.test(f)),
      [],
      'no temp file is left behind',
    )
    assert.equal(files.filter((f) => f.endsWith('.jsonl')).length, 200, '200 files exist')
    for (const result of results) {
      assert.equal(result.entries, 5)
      assert.equal(statSync(result.path).size, result.bytes, `${result.path} is as long as reported`)
      assert.equal(parsedEntries(result.path, 'inbox'), 5)
    }
  })

  it('an export started while another is writing leaves it alone: both succeed', async () => {
    // Tens of MiB take many write batches, so the first export is still writing when the second one runs.
    const big = await capture('big', 4, 8 * 1024 * 1024)
    const small = await capture('small', 1)
    const watcher = watch(dir)
    const tempAppeared = new Promise<void>((resolve) =>
      watcher.on('change', (_kind, name) => TEMP.test(String(name)) && resolve()),
    )
    let firstDone = false
    const first = exportLog(big).finally(() => (firstDone = true))
    await tempAppeared
    watcher.close()
    const second = await exportLog(small)
    assert.equal(firstDone, false, 'precondition: the first export was still in progress')
    const firstResult = await first
    assert.notEqual(firstResult.path, second.path)
    assert.equal(parsedEntries(firstResult.path, 'big'), 4)
    assert.equal(statSync(firstResult.path).size, firstResult.bytes)
    assert.equal(parsedEntries(second.path, 'small'), 1)
  })

  it('never writes over an existing file of the same name (another instance, a clock set back)', async () => {
    // A moment no other test uses, so the name this export tries first is known: capture-<that moment>.jsonl.
    const moment = new Date('2001-02-03T04:05:06.789Z')
    const taken = join(dir, 'capture-2001-02-03T04-05-06-789Z.jsonl')
    writeFileSync(taken, 'an earlier export\n')
    const entry = { id: 1, socketId: 's1', dir: 'in' as const, mono: 0, wall: 0, frames: [Buffer.from('a')], size: 1 }
    const result = await exportCapture(dir, [entry], new Map([['s1', 'inbox']]), moment)
    assert.equal(result.path, join(dir, 'capture-2001-02-03T04-05-06-789Z-1.jsonl'))
    assert.equal(readFileSync(taken, 'utf8'), 'an earlier export\n', 'the earlier file is untouched')
    assert.equal(parsedEntries(result.path, 'inbox'), 1)
  })

  it("cleans up a dead writer's temp file and keeps a live writer's", async () => {
    const script = fileURLToPath(new URL('../fixtures/stalled-writer.ts', import.meta.url))
    const writer = (mode: string, name: string) =>
      spawn(process.execPath, ['--import', 'tsx', script, join(dir, name), mode], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
    const dead = writer('die', 'crashed.jsonl')
    const [, signal] = (await once(dead, 'exit')) as [number | null, string | null]
    assert.equal(signal, 'SIGKILL')
    const live = writer('stall', 'unfinished.jsonl')
    const liveExited = once(live, 'exit')
    try {
      for await (const line of createInterface({ input: live.stdout })) if (line === 'stalled') break
      const temps = () => readdirSync(dir).filter((f) => TEMP.test(f))
      assert.equal(temps().length, 2, 'both writers left a temp file')
      const pull = await capture('inbox', 1)
      await exportLog(pull)
      assert.deepEqual(
        temps().map((f) => f.startsWith('.unfinished.jsonl.')),
        [true],
        "only the live writer's temp file remains",
      )
    } finally {
      live.kill('SIGKILL')
      await liveExited
    }
  })
})
