// Taps as the engine reports them (the 'taps' event and tap:list), their message rates each way, the open
// details' statistics (polled while open), the request/reply partner of the selected log entry, and what the user
// does to taps. Actions never touch the list themselves: the engine answers with a 'taps' event.
import { Channel } from '../../contract/channels'
import type { TapCreateRequest } from '../../contract/schemas'
import type { TapPair, TapStats, TapSummary, TapWay } from '../../contract/taps'
import type { ErrorCode, LogEntryView } from '../../contract/views'
import { requireApi } from '../lib/api'

export type TapRates = Record<TapWay, number>

export type TapOutcome = { kind: 'done'; tap: TapSummary } | { kind: 'failed'; code: ErrorCode; message: string }
export type TapActionOutcome = { kind: 'done' } | { kind: 'failed'; message: string }

/** The details of one tap: statistics polled while they are open; the last good ones stay while a poll fails. */
export type TapDetailsView =
  | { kind: 'closed' }
  | { kind: 'loading'; tapId: string }
  | { kind: 'loaded'; tapId: string; stats: TapStats; problem: string | null }
  | { kind: 'failed'; tapId: string; message: string }

/** The selected log entry's partner in a request/reply tap (its reply, or its request). */
export type PairView =
  | { kind: 'none' }
  | { kind: 'loading'; entryId: number }
  | { kind: 'paired'; entryId: number; pair: TapPair }
  | { kind: 'unpaired'; entryId: number; message: string }

/** Often enough for a histogram to look live, rarely enough to cost nothing next to the traffic it shows. */
const STATS_EVERY_MS = 500
/** A request still waiting for its reply is asked about again, so the reply shows up once it came. */
const PAIR_AGAIN_MS = 1000

class TapsState {
  list = $state.raw<TapSummary[]>([])
  /** Messages per second each way over the last second, from the forwarded counters' deltas. */
  rates = $state.raw<Record<string, TapRates>>({})
  /** When the list last arrived: a blocked side's wait grows between events, counted on from here. */
  receivedAt = $state(0)
  details = $state.raw<TapDetailsView>({ kind: 'closed' })
  pair = $state.raw<PairView>({ kind: 'none' })
  private previous: Record<string, TapRates> = {}
  private statsTimer: ReturnType<typeof setInterval> | undefined
  private polling = false
  private pairTimer: ReturnType<typeof setTimeout> | undefined

  replace(list: TapSummary[]): void {
    this.list = list
    this.receivedAt = Date.now()
    const open = this.details
    if (open.kind !== 'closed' && !list.some((t) => t.id === open.tapId)) this.closeDetails()
  }

  /** Called once a second, like the sockets' rates. */
  sampleRates(): void {
    const now: Record<string, TapRates> = {}
    const rates: Record<string, TapRates> = {}
    for (const tap of this.list) {
      now[tap.id] = { down: tap.forwarded.down.messages, up: tap.forwarded.up.messages }
      const before = this.previous[tap.id] ?? now[tap.id]!
      rates[tap.id] = { down: now[tap.id]!.down - before.down, up: now[tap.id]!.up - before.up }
    }
    this.previous = now
    this.rates = rates
  }

  /** After an outage the counters jumped: the next sample is a new baseline. */
  restartRates(): void {
    this.previous = {}
  }

  /** Another engine (the host restarted): its tap ids name other taps. */
  forget(): void {
    this.previous = {}
    this.rates = {}
    this.closeDetails()
    this.pair = { kind: 'none' }
  }

  /** The tap commands without a tap name use: the one whose details are open, else the only one. */
  get current(): string | null {
    if (this.details.kind !== 'closed') return this.details.tapId
    return this.list.length === 1 ? this.list[0]!.id : null
  }

  openDetails(tapId: string): void {
    this.closeDetails()
    this.details = { kind: 'loading', tapId }
    void this.poll(tapId)
    this.statsTimer = setInterval(() => void this.poll(tapId), STATS_EVERY_MS)
  }

  closeDetails(): void {
    clearInterval(this.statsTimer)
    this.statsTimer = undefined
    this.details = { kind: 'closed' }
  }

  private async poll(tapId: string): Promise<void> {
    // A slow answer is not asked for again on top of itself.
    if (this.polling) return
    this.polling = true
    try {
      const result = await requireApi().call(Channel.tapStats, { tapId })
      const open = this.details
      if (open.kind === 'closed' || open.tapId !== tapId) return
      if (result.ok) this.details = { kind: 'loaded', tapId, stats: result.value, problem: null }
      else if (open.kind === 'loaded') this.details = { ...open, problem: result.error.message }
      else this.details = { kind: 'failed', tapId, message: result.error.message }
    } finally {
      this.polling = false
    }
  }

  /** Looks up the partner of an entry of a request/reply tap; `null` (another entry, or none) clears it. */
  lookupPair(entry: LogEntryView | null): void {
    clearTimeout(this.pairTimer)
    if (!entry) {
      this.pair = { kind: 'none' }
      return
    }
    if (this.pair.kind === 'none' || this.pair.entryId !== entry.id) this.pair = { kind: 'loading', entryId: entry.id }
    void this.askPair(entry.id)
  }

  private async askPair(entryId: number): Promise<void> {
    const result = await requireApi().call(Channel.tapPair, { entryId })
    if (this.pair.kind === 'none' || this.pair.entryId !== entryId) return
    if (!result.ok) {
      this.pair = { kind: 'unpaired', entryId, message: result.error.message }
      return
    }
    this.pair = { kind: 'paired', entryId, pair: result.value }
    if (result.value.replyId === null) this.pairTimer = setTimeout(() => void this.askPair(entryId), PAIR_AGAIN_MS)
  }
}

export const taps = new TapsState()

function done(result: { ok: true } | { ok: false; error: { message: string } }): TapActionOutcome {
  return result.ok ? { kind: 'done' } : { kind: 'failed', message: result.error.message }
}

export async function createTap(request: TapCreateRequest): Promise<TapOutcome> {
  const result = await requireApi().call(Channel.tapCreate, request)
  return result.ok
    ? { kind: 'done', tap: result.value }
    : { kind: 'failed', code: result.error.code, message: result.error.message }
}

export async function closeTap(tapId: string): Promise<TapActionOutcome> {
  return done(await requireApi().call(Channel.tapClose, { tapId }))
}

export type FlowAction = 'pause' | 'resume' | 'step'
const FLOW_CHANNELS = { pause: Channel.tapPause, resume: Channel.tapResume, step: Channel.tapStep } as const

export async function tapFlow(tapId: string, action: FlowAction): Promise<TapActionOutcome> {
  return done(await requireApi().call(FLOW_CHANNELS[action], { tapId }))
}
