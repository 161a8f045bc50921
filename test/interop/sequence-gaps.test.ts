// "Am I losing messages?": a pyzmq PUSH deliberately skips, repeats and swaps sequence numbers (and restarts); a
// real zeromq.js PULL receives them, the sequence is read from the frame, and SequenceTracker must count exactly
// the gaps, missing numbers, repeats and reorders the peer made, marking the right entries.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import * as zmq from 'zeromq'
import type { SequenceMark } from '../../contract/decoders'
import { SequenceTracker, type SequenceKeyCounts } from '../../main/engine/decode/sequence'
import { bindAddress, TRANSPORTS, type TestTransport } from '../helpers/addresses'
import { PythonPeer } from '../helpers/python-peer'

type Format = 'u32le' | 'decimal'

/** The sequence as the peer writes it: the last frame as a little-endian uint32, or the frame's leading digits. */
function sequenceIn(frames: Buffer[], format: Format): bigint {
  const last = frames.at(-1)!
  if (format === 'u32le') return BigInt(last.readUInt32LE(0))
  return BigInt(/^\d+/.exec(last.toString('latin1'))![0])
}

const mark = (entryId: number, kind: SequenceMark['kind'], expected: string, got: string): SequenceMark => ({
  entryId,
  kind,
  expected,
  got,
})

function counts(topic: string, c: Omit<SequenceKeyCounts, 'key' | 'socketId' | 'topic'>): SequenceKeyCounts {
  return { key: JSON.stringify(['pull', topic]), socketId: 'pull', topic, ...c }
}

for (const transport of TRANSPORTS.filter((t): t is Exclude<TestTransport, 'inproc'> => t !== 'inproc')) {
  describe(`sequence gaps from a pyzmq PUSH over ${transport}`, () => {
    let pull: zmq.Pull
    let endpoint: string
    let peers: PythonPeer[]
    let tracker: SequenceTracker
    let nextEntryId: number

    beforeEach(async () => {
      pull = new zmq.Pull()
      await pull.bind(bindAddress(transport))
      endpoint = pull.lastEndpoint!
      peers = []
      tracker = new SequenceTracker()
      nextEntryId = 1
    })

    afterEach(async () => {
      await Promise.all(peers.map((peer) => peer.stop()))
      pull.close()
    })

    /** Runs one peer to the end and feeds every message it sent to the tracker, as the engine would. */
    async function receiveRun(format: Format, args: string[], topicOf: (frames: Buffer[]) => string): Promise<void> {
      const peer = new PythonPeer('sequence_push.py', ['--endpoint', endpoint, '--format', format, ...args])
      peers.push(peer)
      const sent = Number((await peer.line(/^sent (\d+)$/))[1])
      for (let i = 0; i < sent; i++) {
        const frames = await pull.receive()
        tracker.observe({ socketId: 'pull', topic: topicOf(frames) }, nextEntryId++, sequenceIn(frames, format))
      }
    }

    it('u32le in the last frame: skips, a repeat and a swap across the u32 wrap, beside a clean topic', async () => {
      // Sends 4294967290..4294967295, 0..13 without 4294967293, 2, 3 and 9; 5 twice; 12 before 11. After each
      // message, one on "heartbeat" numbered 0, 1, 2, ... so "ticks" message k is entry 2k+1.
      const skipsAndSwaps = ['--skip', '4294967293,2,3,9', '--repeat', '5', '--swap', '11']
      await receiveRun(
        'u32le',
        ['--topic', 'ticks', '--clean-topic', 'heartbeat', '--start', '4294967290', '--count', '20', ...skipsAndSwaps],
        (frames) => frames[0]!.toString(),
      )
      // Received: 4294967290 91 92 94 95 0 1 4 5 5 6 7 8 10 12 11 13.
      assert.deepEqual(tracker.counts(), [
        counts('ticks', { received: 17, gaps: 4, missing: 4, repeats: 1, reorders: 1, restarts: 0, last: '13' }),
        counts('heartbeat', { received: 17, gaps: 0, missing: 0, repeats: 0, reorders: 0, restarts: 0, last: '16' }),
      ])
      assert.deepEqual(tracker.marks(), [
        mark(7, 'gap', '4294967293', '4294967294'),
        mark(15, 'gap', '2', '4'),
        mark(19, 'repeat', '6', '5'),
        mark(27, 'gap', '9', '10'),
        mark(29, 'gap', '11', '12'),
        mark(31, 'reorder', '13', '11'),
      ])
      assert.deepEqual(
        tracker.marks(27).map((m) => m.entryId),
        [29, 31],
      )
    })

    it('decimal prefix text: skips, a repeat, a swap, then the publisher restarts from 0', async () => {
      const skipsAndSwaps = ['--skip', '2045,2046,2047,2060', '--repeat', '2050', '--swap', '2065']
      await receiveRun('decimal', ['--start', '2041', '--count', '30', ...skipsAndSwaps], () => '')
      // Received: 2041 42 43 44 48 49 50 50 51 … 59 61 62 63 64 66 65 67 68 69 70 (entries 1..27).
      assert.deepEqual(tracker.counts(), [
        counts('', { received: 27, gaps: 3, missing: 4, repeats: 1, reorders: 1, restarts: 0, last: '2070' }),
      ])
      assert.deepEqual(tracker.marks(), [
        mark(5, 'gap', '2045', '2048'),
        mark(8, 'repeat', '2051', '2050'),
        mark(18, 'gap', '2060', '2061'),
        mark(22, 'gap', '2065', '2066'),
        mark(23, 'reorder', '2067', '2065'),
      ])

      // A new publisher process starts counting from 0 again: a new baseline, not 2070 reorders.
      await receiveRun('decimal', ['--start', '0', '--count', '5'], () => '')
      assert.deepEqual(tracker.counts(), [
        counts('', { received: 32, gaps: 4, missing: 4, repeats: 1, reorders: 1, restarts: 1, last: '4' }),
      ])
      assert.deepEqual(tracker.marks(23), [mark(28, 'gap', '2071', '0')])
    })
  })
}

describe('SequenceTracker rules', () => {
  const key = { socketId: 's', topic: 't' }
  const feed = (tracker: SequenceTracker, numbers: (number | bigint)[], firstEntry = 1): void =>
    numbers.forEach((n, i) => tracker.observe(key, firstEntry + i, BigInt(n)))
  const only = (tracker: SequenceTracker): SequenceKeyCounts => tracker.counts()[0]!

  it('an old number already received is a repeat; one from before the baseline is a reorder', () => {
    const tracker = new SequenceTracker()
    feed(tracker, [10, 11, 12, 13, 11, 9])
    assert.deepEqual(
      tracker.marks().map((m) => m.kind),
      ['repeat', 'reorder'],
    )
    assert.equal(only(tracker).last, '13')
  })

  it('wraps at the u32 and u64 maximum without gaps; a late message from before the wrap is a reorder', () => {
    const tracker = new SequenceTracker()
    feed(tracker, [4294967294, 4294967295, 0, 1, 4294967295])
    assert.deepEqual(
      tracker.marks().map((m) => [m.kind, m.expected, m.got]),
      [['reorder', '2', '4294967295']],
    )
    const u64 = new SequenceTracker()
    feed(u64, [0xffff_ffff_ffff_fffen, 0xffff_ffff_ffff_ffffn, 0n, 2n])
    assert.deepEqual(
      u64.marks().map((m) => [m.kind, m.expected, m.got]),
      [['gap', '1', '2']],
    )
    assert.equal(only(u64).missing, 1)
  })

  it('a restart needs 0 or 1 far behind; near behind is a reorder', () => {
    const near = new SequenceTracker()
    feed(near, [500, 501, 1])
    assert.deepEqual([only(near).restarts, only(near).reorders], [0, 1])
    const far = new SequenceTracker()
    feed(far, [1500, 1501, 1, 2])
    assert.deepEqual([only(far).restarts, only(far).gaps, only(far).reorders, only(far).last], [1, 1, 0, '2'])
  })

  it('late arrivals are recognised for the most recent gaps only', () => {
    const tracker = new SequenceTracker({ maxKeys: 10, maxMarks: 100, missedRangesPerKey: 2 })
    feed(tracker, [0, 2, 4, 6, 3, 1, 5])
    // Gaps skipped 1, 3, 5; only {3} and {5} are remembered: 3 and 5 come back, 1 is below what we know.
    assert.deepEqual(
      tracker.marks().map((m) => m.kind),
      ['gap', 'gap', 'gap', 'reorder', 'reorder', 'reorder'],
    )
    assert.deepEqual([only(tracker).missing, only(tracker).reorders], [1, 3])
  })

  it('bounds keys and marks, counting what it lets go; reset forgets everything', () => {
    const tracker = new SequenceTracker({ maxKeys: 2, maxMarks: 3, missedRangesPerKey: 4 })
    for (const topic of ['a', 'b', 'c', 'c']) tracker.observe({ socketId: 's', topic }, 1, 1n)
    assert.deepEqual(
      tracker.counts().map((c) => c.topic),
      ['a', 'b'],
    )
    assert.equal(tracker.untracked, 2)
    for (let i = 0; i < 10; i++) tracker.observe({ socketId: 's', topic: 'a' }, 10 + i, 1n)
    assert.deepEqual(
      tracker.marks().map((m) => m.entryId),
      [17, 18, 19],
    )
    assert.equal(tracker.droppedMarks, 7)
    assert.deepEqual(
      tracker.marks(17).map((m) => m.entryId),
      [18, 19],
    )
    tracker.reset()
    assert.deepEqual([tracker.counts(), tracker.marks(), tracker.droppedMarks, tracker.untracked], [[], [], 0, 0])
  })
})
