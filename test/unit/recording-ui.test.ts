// The recordings UI's pure parts: the record and replay forms' requests (as the contract takes them), the
// filter bar's fields as the engine's RecordingFilter, "jump to time", paging a recording and the scrollbar of
// a list too tall for the browser, the timeline's bins.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import { parseRequest } from '../../contract/schemas'
import type { LogEntryView, SocketSummary } from '../../contract/views'
import { describeFilter, engineFilterOf, sameFilter } from '../../renderer/lib/recording-filter'
import { recordingRequest, replaySockets, replayTiming, type RecordForm } from '../../renderer/lib/recording-form'
import {
  densityBins,
  formatStorage,
  indexById,
  pagesAround,
  pagesToDrop,
  scrollGeometry,
  scrollTopFor,
  virtualTop,
} from '../../renderer/lib/recording-pages'
import { formatDuration, formatElapsed, fractionOf, parseJumpTime, wallAt } from '../../renderer/lib/recording-time'

const form = (patch: Partial<RecordForm> = {}): RecordForm => ({
  scope: 'all',
  socketIds: [],
  tapIds: [],
  name: '',
  rotateMiB: '',
  rotateMinutes: '',
  ...patch,
})

const ok = <T>(checked: { kind: 'ok'; value: T } | { kind: 'invalid'; message: string }): T => {
  assert.equal(checked.kind, 'ok', checked.kind === 'invalid' ? checked.message : '')
  return (checked as { value: T }).value
}

describe('record form', () => {
  it('makes recording:start requests the contract accepts', () => {
    const everything = ok(recordingRequest(form(), 'folder'))
    assert.deepEqual(everything, { scope: { kind: 'all' }, file: { kind: 'folder' } })
    const chosen = ok(
      recordingRequest(
        form({
          scope: 'chosen',
          socketIds: ['s1'],
          tapIds: ['tap2'],
          name: ' run 1 ',
          rotateMiB: '1.5',
          rotateMinutes: '0.5',
        }),
        'folder',
      ),
    )
    assert.deepEqual(chosen, {
      scope: { kind: 'chosen', socketIds: ['s1'], tapIds: ['tap2'] },
      file: { kind: 'folder', name: 'run 1' },
      rotation: { maxBytes: 1572864, maxSeconds: 30 },
    })
    assert.deepEqual(ok(recordingRequest(form({ name: 'ignored' }), 'ask')).file, { kind: 'ask' })
    for (const request of [everything, chosen]) assert.ok(parseRequest(Channel.recordingStart, request).ok)
  })

  it('says what is wrong before asking the engine', () => {
    const problem = (f: RecordForm) => {
      const checked = recordingRequest(f, 'folder')
      return checked.kind === 'invalid' ? checked.message : null
    }
    assert.equal(problem(form({ scope: 'chosen' })), 'choose at least one socket or tap to record')
    assert.match(problem(form({ rotateMiB: 'lots' }))!, /MiB: type a number above 0/)
    assert.match(problem(form({ rotateMinutes: '-1' }))!, /minutes: type a number above 0/)
    assert.equal(problem(form({ rotateMiB: '0.5' })), 'files rotate at 1 MiB or more')
  })
})

describe('replay form', () => {
  it('takes a timing the contract accepts, or says why not', () => {
    assert.deepEqual(ok(replayTiming({ timing: 'original', factor: 'x' })), { kind: 'original' })
    assert.deepEqual(ok(replayTiming({ timing: 'speed', factor: ' 2.5 ' })), { kind: 'speed', factor: 2.5 })
    assert.deepEqual(ok(replayTiming({ timing: 'fast', factor: '' })), { kind: 'fast' })
    for (const factor of ['', '0', '5000', 'fast'])
      assert.equal(replayTiming({ timing: 'speed', factor }).kind, 'invalid', factor)
    const request = { sourceId: 'src1', socketId: 's1', timing: ok(replayTiming({ timing: 'speed', factor: '3' })) }
    assert.ok(parseRequest(Channel.replayStart, request).ok)
  })

  it('offers only open sockets that can send on their own and are no tap side', () => {
    const socket = (id: string, patch: Partial<SocketSummary>) =>
      ({ id, type: 'push', canSend: true, state: { kind: 'open' }, ...patch }) as SocketSummary
    const offered = replaySockets([
      socket('s1', {}),
      socket('s2', { canSend: false, type: 'pull' }),
      socket('s3', { state: { kind: 'closed' } }),
      socket('s4', { tap: { tapId: 'tap1', side: 'downstream' } }),
      socket('s5', { type: 'req' }),
      socket('s6', { type: 'dealer' }),
    ])
    assert.deepEqual(
      offered.map((s) => s.id),
      ['s1', 's6'],
    )
  })
})

describe('recording filter', () => {
  const fields = { text: '', mode: 'text' as const, socketId: '', dir: 'any' as const, minSize: 0 }

  it("sends the filter bar's fields as a RecordingFilter the contract accepts; none when nothing is set", () => {
    assert.deepEqual(engineFilterOf(fields), { kind: 'none' })
    const all = engineFilterOf({ text: 'order 1', mode: 'regex', socketId: 's2', dir: 'in', minSize: 10.7 })
    assert.deepEqual(all, {
      kind: 'filter',
      filter: { socketId: 's2', dir: 'in', minSize: 10, text: { mode: 'regex', pattern: 'order 1' } },
    })
    assert.ok(all.kind === 'filter')
    assert.ok(parseRequest(Channel.recordingPage, { sourceId: 'src1', from: 0, limit: 10, filter: all.filter }).ok)
    assert.equal(
      describeFilter(all.filter, (id) => `name of ${id}`),
      '/order 1/ · name of s2 · ← in · ≥ 10 B',
    )
  })

  it('refuses a bad regular expression with its reason, and tells equal filters apart from changed ones', () => {
    const bad = engineFilterOf({ ...fields, text: '(', mode: 'regex' })
    assert.equal(bad.kind, 'invalid')
    assert.ok(sameFilter(engineFilterOf({ ...fields, text: 'a' }), engineFilterOf({ ...fields, text: 'a' })))
    assert.ok(!sameFilter(engineFilterOf({ ...fields, text: 'a' }), engineFilterOf({ ...fields, text: 'ab' })))
  })
})

describe('jump to time', () => {
  const start = new Date(2026, 2, 14, 9, 26, 1, 120).getTime()
  const end = start + 5 * 60_000

  it('reads a time of day as the rows show it, or an offset from the start', () => {
    assert.deepEqual(parseJumpTime('09:27:30.5', start, end), {
      kind: 'ok',
      wall: new Date(2026, 2, 14, 9, 27, 30, 500).getTime(),
    })
    assert.deepEqual(parseJumpTime('9:28', start, end), { kind: 'ok', wall: new Date(2026, 2, 14, 9, 28).getTime() })
    assert.deepEqual(parseJumpTime(' +90s ', start, end), { kind: 'ok', wall: start + 90_000 })
    assert.deepEqual(parseJumpTime('+2.5 min', start, end), { kind: 'ok', wall: start + 150_000 })
    assert.deepEqual(parseJumpTime('+1500ms', start, end), { kind: 'ok', wall: start + 1500 })
    assert.deepEqual(parseJumpTime('+0', start, end), { kind: 'ok', wall: start })
    // The first row's time as shown (whole milliseconds) names the first row.
    assert.deepEqual(parseJumpTime('09:26:01.120', start + 0.4, end), { kind: 'ok', wall: start + 0.4 })
  })

  it('finds the time of day on the next day of a recording that runs past midnight', () => {
    const late = new Date(2026, 2, 14, 23, 59).getTime()
    assert.deepEqual(parseJumpTime('00:00:30', late, late + 120_000), {
      kind: 'ok',
      wall: new Date(2026, 2, 15, 0, 0, 30).getTime(),
    })
  })

  it('says what is wrong with what was typed', () => {
    const problem = (text: string) => {
      const parsed = parseJumpTime(text, start, end)
      return parsed.kind === 'invalid' ? parsed.message : null
    }
    assert.equal(problem('soon'), 'type a time like 14:03:07.250, or an offset like +90s')
    assert.equal(problem('25:00'), '25:00 is not a time of day')
    assert.match(problem('10:00')!, /^10:00 is outside the recording \(09:26:01\.120 – 09:31:01\.120 \(5 min 00 s\)\)$/)
    assert.match(problem('+6 min')!, /past the end of the recording \(it lasts 5 min 00 s\)/)
  })

  it('maps the timeline between fractions and wall clock, and says durations briefly', () => {
    assert.equal(wallAt(0.5, 1000, 3000), 2000)
    assert.equal(wallAt(2, 1000, 3000), 3000)
    assert.equal(fractionOf(1500, 1000, 3000), 0.25)
    assert.equal(fractionOf(1500, 1000, 1000), 0)
    assert.equal(formatElapsed(65_400), '01:05')
    assert.equal(formatElapsed(3_723_000), '1:02:03')
    assert.equal(formatDuration(350), '350 ms')
    assert.equal(formatDuration(12_400), '12.4 s')
    assert.equal(formatDuration(185_000), '3 min 05 s')
    assert.equal(formatDuration(7_620_000), '2 h 07 min')
  })
})

describe('paging a recording', () => {
  it('asks for the pages in view first, then those around them, within the recording', () => {
    assert.deepEqual(pagesAround(0, 30, 1000, 250, 125), [0])
    assert.deepEqual(pagesAround(240, 260, 1000, 250, 125), [0, 1])
    assert.deepEqual(pagesAround(600, 620, 1000, 250, 125), [2, 1])
    assert.deepEqual(pagesAround(600, 640, 1000, 250, 125), [2, 1, 3])
    assert.deepEqual(pagesAround(990, 1010, 1000, 250, 125), [3])
    assert.deepEqual(pagesAround(0, 10, 0, 250, 125), [])
  })

  it('lets go of the cached pages farthest from the one in view', () => {
    assert.deepEqual(pagesToDrop([0, 1, 2, 3, 9], 5, 2), [])
    assert.deepEqual(pagesToDrop([0, 1, 2, 3, 9, 10], 4, 2).sort(), [10, 9].sort())
  })

  it('maps a list taller than the browser allows onto its scrollbar, end to end', () => {
    const small = scrollGeometry(1000, 22, 400, 8_000_000)
    assert.deepEqual(small, { height: 22_000, ratio: 1 })
    assert.equal(virtualTop(500, small), 500)
    const huge = scrollGeometry(10_000_000, 22, 400, 8_000_000)
    assert.equal(huge.height, 8_000_000)
    // The scrollbar's end shows the last rows; its middle the middle of the recording.
    assert.equal(Math.round(virtualTop(8_000_000 - 400, huge)), 10_000_000 * 22 - 400)
    assert.equal(Math.round(scrollTopFor(virtualTop(1234, huge), huge)), 1234)
  })

  it('draws about a bin per 3 px, never more bins than half the messages, within the contract', () => {
    assert.equal(densityBins(900, 1_000_000), 300)
    assert.equal(densityBins(900, 80), 40)
    assert.equal(densityBins(0, 0), 1)
    assert.equal(densityBins(100_000, 1_000_000), 2000)
    assert.equal(formatStorage(1536), '1.5 KiB')
    assert.equal(formatStorage(3 * 1024 ** 3), '3.0 GiB')
  })

  it('finds a row among matches by id', () => {
    const rows = [3, 7, 20, 21].map((id) => ({ id }) as LogEntryView)
    assert.equal(indexById(rows, 20), 2)
    assert.equal(indexById(rows, 4), -1)
  })
})
