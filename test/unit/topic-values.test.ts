// The last-value-per-topic table: topics from multipart and one-frame messages, counts, rates over whole
// seconds, the bound on rows (least recently seen go, counted) and the order rows are shown in.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { LogEntryView } from '../../contract/views'
import {
  addEntries,
  createTopicTable,
  engineNow,
  formatRate,
  rateOf,
  rowValue,
  socketsOf,
  sortedRows,
  topicOf,
} from '../../renderer/lib/topic-values'

const frame = (data: string | Buffer, truncated = false) => {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  return { size: bytes.length, b64: bytes.toString('base64'), truncated }
}
let nextId = 1
const entry = (frames: (string | Buffer)[], wall = 0, socketId = 's1'): LogEntryView => ({
  id: nextId++,
  socketId,
  dir: 'in',
  mono: 0,
  wall,
  size: 0,
  frames: frames.map((f) => frame(f)),
})
const row = (table: ReturnType<typeof createTopicTable>, topic: string, socketId = 's1') =>
  table.rows.get(`${socketId}\u0000${topic}`)

describe('topic of a message', () => {
  it('is the first word of a one-frame text, the rest its value', () => {
    assert.deepEqual(topicOf(entry(['10001 23 45'])), { topic: '10001', value: '23 45' })
    assert.deepEqual(topicOf(entry(['  status   ok  '])), { topic: 'status', value: 'ok' })
    assert.deepEqual(topicOf(entry(['heartbeat'])), { topic: 'heartbeat', value: '' })
    assert.deepEqual(topicOf(entry([''])), { topic: '', value: '' })
    assert.deepEqual(topicOf(entry([])), { topic: '', value: '' })
  })

  it('is frame 0 of a multipart message, the other frames its value', () => {
    assert.deepEqual(topicOf(entry(['prices.eu', '{"dax": 1}'])), { topic: 'prices.eu', value: '{"dax": 1}' })
    assert.deepEqual(topicOf(entry(['t', '', 'b c'])), { topic: 't', value: '∅ | b c' })
    // A multipart topic with spaces stays whole.
    assert.equal(topicOf(entry(['a b', 'x'])).topic, 'a b')
  })

  it('shows binary frames as hex', () => {
    const seq = Buffer.from([0x01, 0x00, 0x00, 0x00])
    assert.deepEqual(topicOf(entry(['hashblock', seq])), { topic: 'hashblock', value: '0x01000000' })
    assert.deepEqual(topicOf(entry([Buffer.from([0xff, 0x00, 0x10])])), { topic: '(binary)', value: '0xff0010' })
    assert.equal(topicOf(entry([Buffer.from([0xfe, 0xed]), 'x'])).topic, '0xfeed')
    // Text that merely starts with 0x is text.
    assert.deepEqual(topicOf(entry(['0xdead beef'])), { topic: '0xdead', value: 'beef' })
  })

  it('reads a first word longer than the first bytes read', () => {
    const word = 'w'.repeat(90)
    assert.deepEqual(topicOf(entry([`${word} 1 2`])), { topic: word, value: '1 2' })
    assert.equal(topicOf(entry([`${'é'.repeat(30)} x`])).topic, 'é'.repeat(30))
  })

  it('marks values cut short', () => {
    const long = `k ${'v'.repeat(500)}`
    const { value } = topicOf(entry([long]))
    assert.ok(value.endsWith('…'))
    assert.ok(value.length <= 201)
    const truncated: LogEntryView = { ...entry([]), frames: [frame('t'), frame('partial', true)] }
    assert.equal(topicOf(truncated).value, 'partial…')
  })
})

describe('topic table', () => {
  it('keeps one row per socket and topic with the last value and a count', () => {
    const table = createTopicTable()
    addEntries(table, [entry(['10001 23 45'], 1000), entry(['10002 1 2'], 1100), entry(['10001 24 46'], 1200, 's1')], 0)
    addEntries(table, [entry(['10001 9 9'], 1300, 's2')], 0)
    assert.equal(table.rows.size, 3)
    assert.equal(rowValue(row(table, '10001')!), '24 46')
    assert.equal(row(table, '10001')!.count, 2)
    assert.equal(row(table, '10001')!.lastWall, 1200)
    assert.equal(row(table, '10001', 's2')!.count, 1)
    assert.deepEqual(socketsOf(table), [
      { socketId: 's1', topics: 2 },
      { socketId: 's2', topics: 1 },
    ])
  })

  it('counts an entry once when a batch overlaps what was already taken', () => {
    const table = createTopicTable()
    const a = entry(['x 1'])
    const b = entry(['x 2'])
    assert.equal(addEntries(table, [a, b], 0), true)
    assert.equal(addEntries(table, [a, b], 0), false)
    assert.equal(row(table, 'x')!.count, 2)
  })

  it('lets the least recently seen topic go past the bound, and counts it', () => {
    const table = createTopicTable(3)
    addEntries(table, [entry(['a 1']), entry(['b 1']), entry(['c 1'])], 0)
    const version = table.keysVersion
    // Seeing "a" again makes "b" the least recently seen.
    addEntries(table, [entry(['a 2'])], 0)
    assert.equal(table.keysVersion, version, 'an update is not a new row')
    addEntries(table, [entry(['d 1'])], 0)
    assert.deepEqual(
      sortedRows(table, '').map((r) => r.topic),
      ['a', 'c', 'd'],
    )
    assert.equal(table.evicted, 1)
    addEntries(table, [entry(['e 1']), entry(['f 1'])], 0)
    assert.equal(table.evicted, 3)
    assert.deepEqual(
      sortedRows(table, '').map((r) => r.topic),
      ['d', 'e', 'f'],
    )
  })

  it('past a large bound, lets the least recently seen tenth go at once, never more rows than the bound', () => {
    const table = createTopicTable(100)
    addEntries(
      table,
      Array.from({ length: 100 }, (_, i) => entry([`t${i} v`])),
      0,
    )
    // t0 is seen again: t1..t11 are now the oldest, and 101 rows go down to 90.
    addEntries(table, [entry(['t0 again'])], 0)
    addEntries(table, [entry(['new v'])], 0)
    assert.equal(table.rows.size, 90)
    assert.equal(table.evicted, 11)
    assert.ok(row(table, 't0') && row(table, 'new') && row(table, 't12'))
    assert.equal(row(table, 't1'), undefined)
    assert.equal(row(table, 't11'), undefined)
    for (let i = 0; i < 500; i++) {
      addEntries(table, [entry([`more${i} v`])], 0)
      assert.ok(table.rows.size <= 100)
    }
  })

  it('sorts by topic, whole numbers as numbers, and filters by socket', () => {
    const table = createTopicTable()
    addEntries(
      table,
      [entry(['10001 x']), entry(['beta x']), entry(['9 x']), entry(['alpha x']), entry(['500 x'], 0, 's2')],
      0,
    )
    assert.deepEqual(
      sortedRows(table, '').map((r) => r.topic),
      ['9', '500', '10001', 'alpha', 'beta'],
    )
    assert.deepEqual(
      sortedRows(table, 's2').map((r) => r.topic),
      ['500'],
    )
  })
})

describe('topic rate', () => {
  it('is messages a second over the last five whole seconds', () => {
    const table = createTopicTable()
    // 10 a second from t = 0 to 7.9 s.
    addEntries(
      table,
      Array.from({ length: 80 }, (_, i) => entry(['t v'], i * 100)),
      0,
    )
    const r = row(table, 't')!
    assert.equal(rateOf(r, 8000), 10)
    assert.equal(rateOf(r, 8999), 10)
    // Quiet from 8 s on: of the whole seconds 5 to 9, only 5, 6 and 7 hold messages (10 each).
    assert.equal(rateOf(r, 10_000), 6)
    assert.equal(rateOf(r, 14_000), 0)
    assert.equal(formatRate(rateOf(r, 8000)), '10')
    assert.equal(formatRate(2.44), '2.4')
  })

  it('counts a topic first seen recently over the seconds since, and has none in its first second', () => {
    const table = createTopicTable()
    addEntries(
      table,
      Array.from({ length: 6 }, (_, i) => entry(['t v'], 10_000 + i * 250)),
      0,
    )
    const r = row(table, 't')!
    assert.equal(rateOf(r, 10_500), undefined)
    assert.equal(formatRate(undefined), '–')
    // Seconds 10 (4 messages) and 11 (2 messages), first seen in second 10.
    assert.equal(rateOf(r, 12_000), 3)
  })

  it("reads the engine's clock from the newest entry, whatever the page's clock says", () => {
    const table = createTopicTable()
    assert.equal(engineNow(table, 123), 123)
    addEntries(table, [entry(['t v'], 5000)], 1_000_000)
    assert.equal(engineNow(table, 1_002_000), 7000)
  })
})
