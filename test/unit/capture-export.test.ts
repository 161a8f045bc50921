// Exports the user controls: what a filter shows or everything, NDJSON or CSV (frames as text or hex, binary
// never mangled), one message's frames as files byte-exact, and a long export that reports progress and can be
// cancelled, leaving no file.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import type { CaptureExport, Result } from '../../contract/views'
import { dispatch } from '../../main/host/dispatch'
import type { Services } from '../../main/host/services'
import { bindAddress } from '../helpers/addresses'
import { newServices, testExportsDir, txt, type Probe } from '../helpers/probe'

let services: Services
let probe: Probe
let pull: string
let push: string

beforeEach(async () => {
  ;({ services, probe } = newServices())
  const { engine } = services
  pull = engine.create('pull', 'inbox, "quoted"').id
  const address = (await engine.bind(pull, bindAddress('tcp'))).endpoints[0]!.address
  push = engine.create('push', 'outbox').id
  await engine.connect(push, address)
})
afterEach(() => services.shutdown())

async function exported(payload: unknown): Promise<CaptureExport> {
  const result = (await dispatch(services, Channel.logExport, payload)) as Result<CaptureExport>
  assert.ok(result.ok, JSON.stringify(!result.ok && result.error))
  return result.value
}

/** RFC 4180 rows: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"'
      i++
    } else if (quoted && c === '"') {
      quoted = false
    } else if (quoted) {
      cell += c
    } else if (c === '"') {
      quoted = true
    } else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else {
      cell += c
    }
  }
  return rows
}

describe('capture exports', () => {
  it('CSV: a row per message, frames as columns, text where printable and 0x-hex where not; the filter applies', async () => {
    const { engine } = services
    await engine.send(push, [txt('weather 10001, "warm"'), { enc: 'hex', data: '00ff10' }])
    await engine.send(push, [txt('line\nbreak')])
    await engine.send(push, [txt('other 2'), { enc: 'hex', data: '' }, txt('third')])
    await probe.receivedAtLeast(pull, 3)
    const all = await exported({ format: 'csv', socketId: pull })
    const rows = parseCsv(readFileSync(all.path, 'utf8'))
    assert.deepEqual(rows[0], [
      'id',
      'time',
      'socket',
      'socket_id',
      'dir',
      'size',
      'peer',
      'frame_count',
      'frame_1',
      'frame_2',
      'frame_3',
    ])
    assert.equal(rows.length, 4)
    assert.deepEqual(rows[1]!.slice(2, 11), [
      'inbox, "quoted"',
      pull,
      'in',
      '24',
      '',
      '2',
      'weather 10001, "warm"',
      '0x00ff10',
      '',
    ])
    assert.equal(rows[2]![8], 'line\nbreak')
    assert.deepEqual(rows[3]!.slice(7), ['3', 'other 2', '', 'third'])
    const hex = parseCsv(readFileSync((await exported({ format: 'csv', frames: 'hex', socketId: pull })).path, 'utf8'))
    assert.equal(hex[3]![8], Buffer.from('other 2').toString('hex'))

    const filtered = await exported({
      format: 'csv',
      filter: { dir: 'in', text: { mode: 'regex', pattern: '^weather' } },
    })
    assert.equal(filtered.entries, 1)
    assert.equal(parseCsv(readFileSync(filtered.path, 'utf8')).length, 2)
    const ndjson = await exported({ filter: { socketId: push } })
    assert.equal(ndjson.entries, 3)
    assert.ok(
      readFileSync(ndjson.path, 'utf8')
        .split('\n')
        .every((l) => l === '' || JSON.parse(l).dir === 'out'),
    )
  })

  it("one message's frames to files, byte-exact", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    await services.engine.send(push, [
      txt('topic'),
      { enc: 'base64', data: bytes.toString('base64') },
      { enc: 'hex', data: '' },
    ])
    const [entry] = await probe.receivedAtLeast(pull, 1)
    const result = await dispatch(services, Channel.logExportFrames, { entryId: entry!.id })
    assert.ok(result.ok)
    const { paths } = result.value as { paths: string[] }
    assert.deepEqual(
      paths.map((p) => readFileSync(p)),
      [Buffer.from('topic'), bytes, Buffer.alloc(0)],
    )
    const missing = await dispatch(services, Channel.logExportFrames, { entryId: 999_999 })
    assert.ok(!missing.ok && missing.error.code === 'UNKNOWN_ENTRY')
  })

  it('a long export reports progress and, cancelled, answers CANCELLED and leaves no file', async () => {
    const { engine } = services
    const n = 60_000
    for (let i = 0; i < n; i++) await engine.sendBytes(push, [Buffer.from(`message ${i}`)])
    // Sent and received: twice n in the ring (batches to the page may skip rows; the ring has them all).
    await probe.until(() => engine.captureStats().entries >= 2 * n)
    const before = readdirSync(testExportsDir()).filter((f) => f.startsWith('capture-'))
    const running = dispatch(services, Channel.logExport, { exportId: 'x1', format: 'csv' })
    await probe.until(() => probe.events.some((e) => e.type === 'export-progress' && e.exportId === 'x1'))
    const cancel = await dispatch(services, Channel.logExportCancel, { exportId: 'x1' })
    assert.ok(cancel.ok, JSON.stringify(cancel))
    const result = await running
    assert.ok(!result.ok && result.error.code === 'CANCELLED', JSON.stringify(result))
    assert.match(result.error.message, /cancelled after \d+ messages; nothing was written/)
    const after = readdirSync(testExportsDir()).filter((f) => f.startsWith('capture-') || f.endsWith('.zeroscope-tmp'))
    assert.deepEqual(after, before)
    const again = await dispatch(services, Channel.logExportCancel, { exportId: 'x1' })
    assert.ok(!again.ok && again.error.code === 'NOT_ALLOWED')
  })
})
