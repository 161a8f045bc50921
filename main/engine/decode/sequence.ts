// "Am I losing messages?": follows a sequence number per key (socket + topic) and counts what a lossless, ordered
// feed would not show. `last` is the highest number seen since the baseline, so one late message does not turn
// everything after it into gaps.
//
// - The first message of a key sets its baseline.
// - last+1 is in order. After the u32 (or u64) maximum, 0 is in order too: a counter that wraps loses nothing.
// - Further ahead is a gap: `gaps` counts the jumps, `missing` the numbers jumped over.
// - Behind: a number a recent gap skipped is a late arrival — a reorder that gives one back from `missing` (the
//   gap stays counted: it was seen). A number already received (equal to last, or one we know arrived) is a
//   repeat. Anything else behind is a reorder; below what we remember we cannot tell a late arrival from a copy.
// - 0 or 1 more than RESTART_DISTANCE behind is a publisher that restarted: a new baseline. It is marked and counted
//   as a gap (the feed broke; what the old publisher sent after `last` is unknowable, so `missing` is unchanged)
//   and in `restarts`, which the contract's SequenceCounts does not carry yet.
//
// Memory is bounded: keys beyond maxKeys are not followed (their messages are counted in `untracked`), each key
// remembers its most recent missedRangesPerKey gaps for late arrivals, and the newest maxMarks marks are kept.
import type { SequenceCounts, SequenceMark, SequenceMarkKind } from '../../../contract/decoders'

export interface SequenceKey {
  socketId: string
  topic: string
}

export interface SequenceLimits {
  maxKeys: number
  maxMarks: number
  missedRangesPerKey: number
}

export const DEFAULT_SEQUENCE_LIMITS: SequenceLimits = { maxKeys: 10_000, maxMarks: 10_000, missedRangesPerKey: 32 }

/** SequenceCounts plus publisher restarts (see the top of this file). */
export interface SequenceKeyCounts extends SequenceCounts {
  restarts: number
}

const U32_MAX = 0xffff_ffffn
const U64_MAX = 0xffff_ffff_ffff_ffffn
/** How close to the maximum (and to 0) a number must be for a step across the maximum to count as a wrap. */
const WRAP_WINDOW = 1000n
/** How far behind 0 or 1 must land to be a restart rather than a late message. */
export const RESTART_DISTANCE = 1000n

interface MissedRange {
  from: bigint
  to: bigint
}

interface KeyState {
  counts: Omit<SequenceKeyCounts, 'last'>
  last: bigint
  /** Numbers recent gaps skipped that have not arrived since, ascending. */
  missed: MissedRange[]
  /** From here up to `last`, every number not in `missed` has arrived: below it, we no longer know. */
  knownFrom: bigint
}

export function sequenceKey(key: SequenceKey): string {
  return JSON.stringify([key.socketId, key.topic])
}

export class SequenceTracker {
  private readonly keys = new Map<string, KeyState>()
  private markList: SequenceMark[] = []
  private marksMade = 0
  private untrackedMessages = 0

  constructor(private readonly limits: SequenceLimits = DEFAULT_SEQUENCE_LIMITS) {}

  /** Follows one message; returns its mark when it is out of line. */
  observe(key: SequenceKey, entryId: number, seq: bigint): SequenceMark | undefined {
    const id = sequenceKey(key)
    const state = this.keys.get(id)
    if (state === undefined) {
      if (this.keys.size >= this.limits.maxKeys) this.untrackedMessages++
      else this.keys.set(id, baseline(key, id, seq))
      return undefined
    }
    const counts = state.counts
    counts.received++
    const step = stepFrom(state.last, seq)
    const mark = (kind: SequenceMarkKind): SequenceMark =>
      this.pushMark({ entryId, kind, expected: step.expected.toString(), got: seq.toString() })

    if (step.distance > 0n) {
      const from = state.last + 1n
      state.last = seq
      if (step.wrapped) forgetBelow(state, seq)
      if (step.distance === 1n) return undefined
      counts.gaps++
      counts.missing += Number(step.distance - 1n)
      if (!step.wrapped) this.remember(state, { from, to: seq - 1n })
      return mark('gap')
    }
    if (step.distance === 0n) {
      counts.repeats++
      return mark('repeat')
    }
    if (!step.wrapped && seq <= 1n && state.last - seq > RESTART_DISTANCE) {
      counts.restarts++
      counts.gaps++
      state.last = seq
      forgetBelow(state, seq)
      return mark('gap')
    }
    if (!step.wrapped && this.arrivedLate(state, seq)) {
      counts.reorders++
      counts.missing--
      return mark('reorder')
    }
    if (!step.wrapped && seq >= state.knownFrom) {
      counts.repeats++
      return mark('repeat')
    }
    counts.reorders++
    return mark('reorder')
  }

  /** Per key, in the order keys first appeared. */
  counts(): SequenceKeyCounts[] {
    return [...this.keys.values()].map((state) => ({ ...state.counts, last: state.last.toString() }))
  }

  /** The kept marks for entries after `sinceEntryId` (all kept marks without it), oldest first. */
  marks(sinceEntryId?: number): SequenceMark[] {
    const kept = this.markList.slice(-this.limits.maxMarks)
    return sinceEntryId === undefined ? kept : kept.filter((mark) => mark.entryId > sinceEntryId)
  }

  /** Marks let go to keep the newest maxMarks. */
  get droppedMarks(): number {
    return this.marksMade - Math.min(this.markList.length, this.limits.maxMarks)
  }

  /** Messages on keys beyond maxKeys: counted, not followed (a count of keys would need memory of each). */
  get untracked(): number {
    return this.untrackedMessages
  }

  reset(): void {
    this.keys.clear()
    this.markList = []
    this.marksMade = 0
    this.untrackedMessages = 0
  }

  private pushMark(mark: SequenceMark): SequenceMark {
    this.marksMade++
    this.markList.push(mark)
    // Trim in batches: one splice per maxMarks marks instead of a shift per mark.
    if (this.markList.length >= 2 * this.limits.maxMarks) this.markList.splice(0, this.limits.maxMarks)
    return mark
  }

  private remember(state: KeyState, range: MissedRange): void {
    state.missed.push(range)
    this.bound(state)
  }

  /** Takes seq out of the missed ranges; false when no remembered gap skipped it. */
  private arrivedLate(state: KeyState, seq: bigint): boolean {
    const index = state.missed.findIndex((range) => range.from <= seq && seq <= range.to)
    const range = state.missed[index]
    if (range === undefined) return false
    const pieces = [
      { from: range.from, to: seq - 1n },
      { from: seq + 1n, to: range.to },
    ].filter((piece) => piece.from <= piece.to)
    state.missed.splice(index, 1, ...pieces)
    this.bound(state)
    return true
  }

  private bound(state: KeyState): void {
    while (state.missed.length > this.limits.missedRangesPerKey) {
      const oldest = state.missed.shift()!
      state.knownFrom = oldest.to + 1n
    }
  }
}

function baseline(key: SequenceKey, id: string, seq: bigint): KeyState {
  const counts = { key: id, socketId: key.socketId, topic: key.topic, received: 1, gaps: 0, missing: 0 }
  return { counts: { ...counts, repeats: 0, reorders: 0, restarts: 0 }, last: seq, missed: [], knownFrom: seq }
}

/** After a wrap or a restart, earlier numbers live in another cycle: what we knew about them no longer applies. */
function forgetBelow(state: KeyState, seq: bigint): void {
  state.missed = []
  state.knownFrom = seq
}

interface Step {
  /** seq - last, measured across the maximum when the counter wrapped (either way). */
  distance: bigint
  wrapped: boolean
  expected: bigint
}

function stepFrom(last: bigint, seq: bigint): Step {
  // A counter that has never passed the u32 maximum is taken for a u32 (or a decimal that stays that small).
  const max = last <= U32_MAX && seq <= U32_MAX ? U32_MAX : U64_MAX
  const nearMax = (n: bigint): boolean => n <= max && n > max - WRAP_WINDOW
  const nearZero = (n: bigint): boolean => n >= 0n && n < WRAP_WINDOW
  const expected = last === max ? 0n : last + 1n
  if (seq < last && nearMax(last) && nearZero(seq)) return { distance: seq + max + 1n - last, wrapped: true, expected }
  if (seq > last && nearMax(seq) && nearZero(last)) return { distance: seq - max - 1n - last, wrapped: true, expected }
  return { distance: seq - last, wrapped: false, expected }
}
