// P2-P4: the real UI (built renderer, browser host, Debian Chromium) under load. Each part gets a fresh host
// process, so its RSS is the host's own. The C sender publishes or pushes; the UI creates the receiving
// socket through its form like a user would.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import type { Browser, Page } from '@playwright/test'
import { fillSocketForm, submitSocketForm } from '../test/e2e/ui'
import { inPage } from './in-page'
import { HostLink, openPage, startServe, stopServe } from './serve-host'
import { Channel } from '../contract/channels'

export interface UiResults {
  p2: {
    rate: number
    received: number
    frames: number
    p50: number
    p95: number
    max: number
    longTasks: number[]
    closeMs: number
  }
  p3: {
    messages: number
    captured: number
    dropped: number
    mainRssMB: number
    mainPeakRssMB: number
    heapMB: number
    heapBeforeGcMB: number
  }
  p4: { rate: number; rows: number; p50: number; p95: number; max: number }
}

interface Host {
  url: string
  child: ChildProcess
  page: Page
  browser: Browser
}

let port = 46100 + Math.floor(Math.random() * 1000)

async function openHost(): Promise<Host> {
  const { child, url } = await startServe()
  const { browser, page } = await openPage(url)
  return { url, child, page, browser }
}

async function closeHost(host: Host): Promise<void> {
  await host.browser.close()
  await stopServe(host.child)
}

function startSender(sender: string, args: string[]): ChildProcess {
  return spawn(sender, args, { stdio: 'ignore' })
}

async function stopSender(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
}

/** The form, as a user fills it: a socket that receives everything, named "bench". */
async function createReceiver(page: Page, type: 'sub' | 'pull', mode: 'bind' | 'connect', endpoint: string) {
  await fillSocketForm(page, { type, mode, endpoint, name: 'bench' })
  await (await submitSocketForm(page, 'bench')).waitFor()
}

function rssMB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) }
}

interface Spread {
  p50: number
  p95: number
  max: number
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (p: number): number =>
    sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
  return { p50: at(50), p95: at(95), max: sorted[sorted.length - 1] ?? NaN }
}

/** A sender publishing `rate` msg/s of 100 B for longer than any part needs, and the UI's SUB on it. */
async function subscribeToPublisher(
  host: Host,
  sender: string,
  rate: number,
  encoding: 'raw' | 'protobuf' = 'raw',
): Promise<ChildProcess> {
  const endpoint = `tcp://127.0.0.1:${port++}`
  const pub = startSender(sender, ['pub', endpoint, String(rate * 60), '100', '1', String(rate), encoding])
  await createReceiver(host.page, 'sub', 'connect', endpoint)
  return pub
}

/** The .proto of the sender's protobuf frames (bench/sender.c). */
const BENCH_PROTO = 'syntax = "proto3"; package bench; message Tick { string seq = 1; int32 value = 2; bytes pad = 3; }'

/**
 * P2's decoded variant: a protobuf rule on the streamed socket and a plot of one of its fields, set up as a page
 * would, through the host's contract; the page shows the plot while the log follows.
 */
async function decodeAndPlot(host: Host): Promise<void> {
  const link = await HostLink.connect(host.url)
  try {
    const sockets = await link.call<{ id: string; name: string }[]>(Channel.socketList, {})
    const socketId = sockets.find((s) => s.name === 'bench')!.id
    const schema = await link.call<{ schemaId: string }>(Channel.protoLoad, { name: 'bench.proto', text: BENCH_PROTO })
    const rule = await link.call<{ ruleId: string }>(Channel.decoderAdd, {
      scope: { kind: 'socket', socketId },
      topicPrefix: '',
      frame: 0,
      decoder: { kind: 'protobuf', schemaId: schema.schemaId, messageType: 'bench.Tick' },
    })
    await link.call(Channel.plotAdd, { ruleId: rule.ruleId, path: ['value'] })
  } finally {
    link.close()
  }
}

/**
 * P2: a SUB fed 50,000 msg/s, the log following the tail; frame intervals and long tasks for 10 s, then close.
 * `decoded`: the frames are protobuf, with a rule and a plot active on the socket.
 */
export async function runP2(
  sender: string,
  rate = 50_000,
  seconds = 10,
  mode: 'plain' | 'decoded' = 'plain',
): Promise<UiResults['p2']> {
  const host = await openHost()
  const pub = await subscribeToPublisher(host, sender, rate, mode === 'decoded' ? 'protobuf' : 'raw')
  try {
    if (mode === 'decoded') {
      await decodeAndPlot(host)
      await host.page.getByRole('figure', { name: /^Plot of value/ }).waitFor()
    }
    await inPage.untilRows(host.page, 1000)
    const before = await inPage.received(host.page)
    const watched = await inPage.watchFrames(host.page, seconds * 1000)
    const received = (await inPage.received(host.page)) - before
    await host.page.screenshot({ path: `out/bench/p2-${mode === 'decoded' ? 'decoded' : 'under-load'}.png` })
    const closeMs = await inPage.closeLatency(host.page, 'Socket bench', 'Close socket bench')
    return {
      rate,
      received,
      frames: watched.intervals.length,
      ...spread(watched.intervals),
      longTasks: watched.longTasks,
      closeMs,
    }
  } finally {
    await stopSender(pub)
    await closeHost(host)
  }
}

/** P3: 1,000,000 messages of 100 B captured by a PULL the UI shows; host RSS and the page's JS heap after. */
export async function runP3(sender: string, messages = 1_000_000): Promise<UiResults['p3']> {
  const host = await openHost()
  const endpoint = `tcp://127.0.0.1:${port++}`
  try {
    await createReceiver(host.page, 'pull', 'bind', endpoint)
    const push = startSender(sender, ['push', endpoint, String(messages), '100', '1'])
    await once(push, 'exit')
    const capture = await inPage.untilReceived(host.page, messages)
    const memory = rssMB(host.child.pid!)
    const cdp = await host.page.context().newCDPSession(host.page)
    const live = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }
    await cdp.send('HeapProfiler.collectGarbage')
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }
    return {
      messages,
      captured: capture.entries,
      dropped: capture.dropped,
      mainRssMB: memory.rss,
      mainPeakRssMB: memory.peak,
      heapMB: Math.round(heap.usedSize / 1048576),
      heapBeforeGcMB: Math.round(live.usedSize / 1048576),
    }
  } finally {
    await closeHost(host)
  }
}

/** P4: at 1,000 msg/s, time from the engine's receive timestamp to the row being in the DOM. */
export async function runP4(sender: string, rate = 1000, seconds = 6): Promise<UiResults['p4']> {
  const host = await openHost()
  const pub = await subscribeToPublisher(host, sender, rate)
  try {
    await inPage.untilRows(host.page, 10)
    const seen = await inPage.rowArrivals(host.page, seconds * 1000)
    const walls = await inPage.entryWalls(host.page)
    const latencies = seen
      .map(({ sequence, at }) => at - (walls.get(sequence) ?? NaN))
      .filter((latency) => Number.isFinite(latency))
    return { rate, rows: latencies.length, ...spread(latencies) }
  } finally {
    await stopSender(pub)
    await closeHost(host)
  }
}
