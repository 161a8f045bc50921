// P6 recording. Rate: the C sender pushes N × 100 B (BENCH_P6_MESSAGES, default 10,000,000) into the engine's
// PULL capturing as in P1, (a) without recording and (b) recording everything to an MCAP file as the app does
// (staging, writer thread, zstd chunks); runs are interleaved a, b, a, b, … (BENCH_ROUNDS) and the verdict is
// the median of the rounds' b/a ratios. Exactness: every recorded file is read back with @mcap/core's readers
// (statistics and a full pass that checks each message's sequence number and bytes). Browsing: the last file
// is opened in the built browser host, over the WebSocket contract the UI uses: open + first page, seek to the
// middle + page (medians of a fresh host per round), then ~100 pages at random positions with the host's RSS;
// and in the real UI (Chromium): the first rows after "Open" in the recordings list, a click mid-timeline.
import { mkdtempSync, rmSync } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ChildGroup, nextEndpoint } from './children'
import { browseRound, BrowsingHost, pageAround, PAGE_ROWS, type BrowseRound, type Paging } from './p6-browse'
import { buildRecorderBundles, RECORDER_BUNDLE } from './p6-build'
import { uiRound, type UiRound } from './p6-ui'
import { checkRecording, type RecordingCheck } from './p6-verify'
import { spread, spreadText, verdict, type Spread } from './stats'

const SIZE = 100
const RANDOM_PAGES = 100

interface RecordRun {
  rate: number
  cpuMs: number
  /** The recording's own account: handed to it, written to disk (events included), not taken, file bytes. */
  recorded: { messages: number; written: number; notRecorded: number; bytes: number }
  /** Last message captured -> file closed whole. */
  closedMs: number
  check: RecordingCheck
}

export interface P6Result {
  messages: number
  size: number
  rounds: number
  /** msg/s, capture alone and capture while recording; their per-round ratio. */
  capture: Spread
  recording: Spread
  ratio: Spread
  /** CPU of the receiving process per message, µs (all its threads), capture alone and while recording. */
  cpuUs: { capture: Spread; recording: Spread }
  runs: RecordRun[]
  exact: boolean
  bytesPerMessage: number
  browse: {
    rounds: BrowseRound[]
    firstRowsMs: Spread
    middleMs: Spread
    paging: Paging
    maxRssMB: number
  }
  ui: { kind: 'measured'; firstRowsMs: Spread; middleMs: Spread } | { kind: 'failed'; reason: string }
}

async function receive(mode: 'capture' | 'record', sender: string, n: number, folder: string, name: string) {
  const endpoint = nextEndpoint()
  const group = new ChildGroup()
  try {
    const receiver = group.start(process.execPath, [RECORDER_BUNDLE, mode, endpoint, String(n), folder, name])
    await receiver.waitFor('ready', 30_000)
    const pushing = group.start(sender, ['push', endpoint, String(n), String(SIZE), '1'])
    const [elapsed = 0] = await receiver.waitFor('elapsed', 30_000 + n / 20)
    const [cpuMs = 0] = await receiver.waitFor('cpu', 1000)
    const recorded = mode === 'record' ? await receiver.waitFor('recorded', 120_000) : []
    const [closedMs = 0] = mode === 'record' ? await receiver.waitFor('closed', 1000) : []
    await receiver.closed
    await pushing.closed
    const [messages = 0, written = 0, notRecorded = 0, bytes = 0] = recorded
    return { rate: n / elapsed, cpuMs, recorded: { messages, written, notRecorded, bytes }, closedMs }
  } finally {
    await group.stopAll()
  }
}

function exactRun(run: RecordRun, n: number): boolean {
  const { check, recorded } = run
  return (
    recorded.messages === n &&
    recorded.notRecorded === 0 &&
    recorded.written === n + check.events &&
    check.statisticsTraffic === n &&
    check.statisticsMessages === n + check.events &&
    check.counted === n &&
    check.mismatched === 0
  )
}

/** The same file opened in the real UI, a fresh host and page per round. */
async function measureUi(folder: string, name: string, n: number, rounds: number): Promise<P6Result['ui']> {
  const measured: UiRound[] = []
  try {
    for (let round = 0; round < rounds; round++) measured.push(await uiRound(folder, name, n))
  } catch (error) {
    return { kind: 'failed', reason: `could not be measured: ${(error as Error).message.split('\n')[0]}` }
  }
  return {
    kind: 'measured',
    firstRowsMs: spread(measured.map((r) => r.firstRowsMs)),
    middleMs: spread(measured.map((r) => r.middleMs)),
  }
}

export async function runP6(
  sender: string,
  n: number,
  rounds: number,
  print: (line: string) => void,
): Promise<P6Result> {
  await buildRecorderBundles()
  const folder = mkdtempSync(join(tmpdir(), 'zs-bench-p6-'))
  try {
    const rates = { capture: [] as number[], recording: [] as number[] }
    const cpu = { capture: [] as number[], recording: [] as number[] }
    const runs: RecordRun[] = []
    let last = ''
    for (let round = 0; round < rounds; round++) {
      const alone = await receive('capture', sender, n, folder, 'unused')
      rates.capture.push(alone.rate)
      cpu.capture.push((alone.cpuMs * 1000) / n)
      const name = `p6-round-${round + 1}.mcap`
      const recorded = await receive('record', sender, n, folder, name)
      rates.recording.push(recorded.rate)
      cpu.recording.push((recorded.cpuMs * 1000) / n)
      const check = await checkRecording(join(folder, name))
      runs.push({ ...recorded, check })
      // One file is kept for browsing: the last round's.
      if (last) await unlink(join(folder, last))
      last = name
    }
    const ratio = spread(rates.recording.map((r, i) => r / rates.capture[i]!))
    const exact = runs.every((run) => exactRun(run, n))
    const lastRun = runs[runs.length - 1]!
    const bytesPerMessage = lastRun.check.bytes / n
    const everyRun = rounds === 1 ? 'the run' : `every run of ${rounds}`
    const rate = (s: Spread): string => `${Math.round(s.median)}/s`
    const closed = spread(runs.map((r) => r.closedMs))
    print(
      `P6 record ${n} × ${SIZE} B while capturing: capture alone ${rate(spread(rates.capture))}, recording ` +
        `${rate(spread(rates.recording))} (medians); recording/capture ${spreadText(ratio)} ` +
        `${verdict(ratio.median >= 0.9)} (>= 0.9); CPU per message ${spread(cpu.capture).median.toFixed(2)} µs ` +
        `alone, ${spread(cpu.recording).median.toFixed(2)} µs recording; file closed whole ` +
        `${Math.round(closed.median)} ms after the last message (median)`,
    )
    const c = lastRun.check
    print(
      `P6 recorded = received: ${c.counted} of ${n} read back by @mcap/core in sequence, byte-exact ` +
        `(statistics ${c.statisticsTraffic} + ${c.events} events, ${lastRun.recorded.notRecorded} not recorded) ` +
        `${verdict(exact)}` +
        (exact
          ? ` (${everyRun})`
          : `: ${runs.map((r) => `${r.check.counted} counted, ${r.check.mismatched} wrong, ${r.check.statisticsTraffic} in statistics, ${r.recorded.notRecorded} not recorded`).join('; ')}`) +
        `; on disk ${bytesPerMessage.toFixed(1)} B per message (${(c.bytes / 1048576).toFixed(0)} MiB, ` +
        `${c.chunks} chunks, zstd), full read ${c.readSeconds.toFixed(1)} s`,
    )

    const browseRounds: BrowseRound[] = []
    let paging: Paging | undefined
    for (let round = 0; round < rounds; round++) {
      const host = await BrowsingHost.start(folder)
      try {
        const { sourceId, ...measured } = await browseRound(host, last)
        browseRounds.push(measured)
        if (round === rounds - 1) paging = await pageAround(host, sourceId, measured.messages, RANDOM_PAGES)
      } finally {
        await host.stop()
      }
    }
    const firstRowsMs = spread(browseRounds.map((r) => r.firstRowsMs))
    const middleMs = spread(browseRounds.map((r) => r.middleMs))
    const maxRssMB = Math.max(paging!.peakMB, ...paging!.rssMB)
    const pageMs = spread(paging!.pageMs)
    const rowsOk = browseRounds.every((r) => r.rows[0] === PAGE_ROWS && r.rows[1] === PAGE_ROWS)
    const b = browseRounds[browseRounds.length - 1]!
    print(
      `P6 open the ${n}-message recording (browser host, WebSocket): first rows (open ${Math.round(b.openMs)} ms + ` +
        `first page ${Math.round(b.firstPageMs)} ms) ${spreadText(firstRowsMs, 0, ' ms')} ` +
        `${verdict(firstRowsMs.median <= 1000)} (<= 1000 ms); jump to the middle (seek + page of ${PAGE_ROWS}) ` +
        `${spreadText(middleMs, 0, ' ms')} ${verdict(middleMs.median <= 200)} (<= 200 ms)` +
        (rowsOk ? '' : ` ROWS MISSING: ${browseRounds.map((r) => r.rows.join('/')).join(', ')}`),
    )
    print(
      `P6 browsing ${RANDOM_PAGES} random pages: page ${Math.round(pageMs.median)} ms median, ` +
        `${Math.round(Math.max(...paging!.pageMs))} ms max; host RSS ${Math.max(...paging!.rssMB)} MB max, ` +
        `peak ${paging!.peakMB} MB ${verdict(maxRssMB <= 300)} (<= 300 MB)` +
        (paging!.misplaced === 0 ? '' : `; ${paging!.misplaced} pages did not start where asked MISSED`),
    )
    const ui = await measureUi(folder, last, n, rounds)
    if (ui.kind === 'measured') {
      print(
        `P6 in the UI (Chromium, the recordings list): first rows visible after "Open" ` +
          `${spreadText(ui.firstRowsMs, 0, ' ms')} ${verdict(ui.firstRowsMs.median <= 1000)} (<= 1000 ms); jump to ` +
          `the middle (a click mid-timeline -> rows from 40–60 %) ${spreadText(ui.middleMs, 0, ' ms')} ` +
          `${verdict(ui.middleMs.median <= 200)} (<= 200 ms)`,
      )
    } else print(`P6 in the UI: ${ui.reason} MISSED`)
    return {
      messages: n,
      size: SIZE,
      rounds,
      capture: spread(rates.capture),
      recording: spread(rates.recording),
      ratio,
      cpuUs: { capture: spread(cpu.capture), recording: spread(cpu.recording) },
      runs,
      exact,
      bytesPerMessage,
      browse: { rounds: browseRounds, firstRowsMs, middleMs, paging: paging!, maxRssMB },
      ui,
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
