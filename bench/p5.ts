// P5 tap mode. Forwarding rate: the C sender pushes N × 100 B through a proxy into the C receiver, the proxy being
// (a) libzmq's own zmq_proxy in C, (b) a bare zeromq.js loop (receive, send), (c) a ZeroScope pipeline tap in the
// engine (capturing into the ring as the app does); the receiver times first -> last message and checks every
// sequence number. Added latency: a C REQ client at 1,000 req/s against a C REP echo server, directly and through
// the same three proxies in their ROUTER/DEALER form (the tap is a request/reply tap, correlating as in the app).
// Runs are interleaved (a, b, c, a, b, c, …; direct, a, b, c, direct, …) and every figure is the median of the
// rounds, printed with its range; an added latency is a proxy's round trip minus the same round's direct one.
import type { CProgram } from './build'
import { ChildGroup, nextEndpoint } from './children'
import { spread, spreadText, verdict, type Spread } from './stats'

type Proxy = 'zmqProxy' | 'loop' | 'tap'
type Path = 'direct' | Proxy
const PROXIES: Proxy[] = ['zmqProxy', 'loop', 'tap']
const SIZE = 100
const TAP_BUNDLE = 'out/bench/forwarder-tap.mjs'
const LATENCY_RATE = 1000
/** Unpaced round trips before the measured ones: connection set-up and first (unoptimised) passes don't count. */
const WARMUP = 200

interface Accounting {
  /** Ring entries and ring drops (only the tap runs in its process, so these are the tap's). */
  entries: number
  dropped: number
  /** The tap's own counters: messages forwarded downstream, and its entries the ring evicted. */
  forwarded: number
  captureDrops: number
}

interface Trip {
  /** Microseconds. */
  p50: number
  p99: number
  max: number
  /** Requests the client sent more than 1 ms after their slot (the pace it could not hold). */
  late: number
  /** Through the tap: requests and replies it forwarded (each should be WARMUP + requests). */
  forwarded?: { down: number; up: number }
  /** Through the tap: its own histogram (request forwarded -> reply back), µs; the service-side leg only. */
  tapMeasured?: { count: number; p50: number; p99: number; max: number }
}

export interface P5Result {
  forwarding: {
    messages: number
    size: number
    rounds: number
    /** msg/s */
    zmqProxy: Spread
    loop: Spread
    tap: Spread
    tapLoop: Spread
    tapProxy: Spread
    loopProxy: Spread
    ok: boolean
    /**
     * CPU time of the proxy process per forwarded message, µs (Linux; all its threads), a figure less at the mercy
     * of a busy machine than the rate: what each proxy costs, whoever else runs.
     */
    cpuUs: Record<Proxy, Spread> | null
    /** Messages the C receiver saw out of sequence, per run of every proxy (all 0: nothing lost or reordered). */
    mismatched: number[]
  }
  capture: { runs: Accounting[]; exact: boolean }
  latency: {
    requests: number
    rate: number
    rounds: number
    runs: Record<Path, Trip[]>
    /** Microseconds over the same round's direct run. */
    added: Record<Proxy, { p50: Spread; p99: Spread }>
    okP50: boolean
    okP99: boolean
    /** Every request and reply went through the tap: forwarded down = up = warm-up + requests, each run. */
    tapCountsExact: boolean
  }
}

const ZEROMQJS_FORWARDER = 'bench/forwarder-zeromqjs.mjs'

function proxyCommand(proxy: Proxy, programs: Record<CProgram, string>, front: string, back: string, n: number) {
  if (proxy === 'zmqProxy') return [programs.proxy, front, back]
  if (proxy === 'loop') return [process.execPath, ZEROMQJS_FORWARDER, front, back]
  return [process.execPath, TAP_BUNDLE, 'pipeline', front, back, String(n)]
}

function reqrepCommand(proxy: Proxy, programs: Record<CProgram, string>, front: string, back: string) {
  if (proxy === 'zmqProxy') return [programs.proxy, front, back, 'reqrep']
  if (proxy === 'loop') return [process.execPath, ZEROMQJS_FORWARDER, front, back, 'reqrep']
  return [process.execPath, TAP_BUNDLE, 'reqrep', front, back]
}

async function forward(
  proxy: Proxy,
  programs: Record<CProgram, string>,
  n: number,
): Promise<{ rate: number; mismatched: number; cpuUs?: number; accounting?: Accounting }> {
  const group = new ChildGroup()
  try {
    const front = nextEndpoint()
    const back = nextEndpoint()
    const receiver = group.start(programs.receiver, [back, String(n)])
    await receiver.waitFor('ready', 10_000)
    const [command, ...args] = proxyCommand(proxy, programs, front, back, n)
    const forwarder = group.start(command!, args, 'pipe')
    await forwarder.waitFor('ready', 30_000)
    const cpuBefore = forwarder.cpuMs()
    const sender = group.start(programs.sender, ['push', front, String(n), String(SIZE), '1'])
    // Generous: the slowest proxy here forwards well over 20,000 msg/s.
    const [elapsed = 0] = await receiver.waitFor('elapsed', 30_000 + n / 20)
    const cpuAfter = forwarder.cpuMs()
    const cpuUs = cpuBefore !== undefined && cpuAfter !== undefined ? ((cpuAfter - cpuBefore) * 1000) / n : undefined
    const [mismatched = 0] = await receiver.waitFor('mismatched', 1000)
    await sender.closed
    if (proxy !== 'tap') return { rate: n / elapsed, mismatched, cpuUs }
    const [entries = 0, dropped = 0, forwarded = 0, captureDrops = 0] = await forwarder.waitFor('accounted', 10_000)
    return { rate: n / elapsed, mismatched, cpuUs, accounting: { entries, dropped, forwarded, captureDrops } }
  } finally {
    await group.stopAll()
  }
}

async function roundTrips(path: Path, programs: Record<CProgram, string>, requests: number): Promise<Trip> {
  const group = new ChildGroup()
  try {
    const service = nextEndpoint()
    const server = group.start(programs.repserver, [service], 'pipe')
    await server.waitFor('ready', 10_000)
    let target = service
    let proxy
    if (path !== 'direct') {
      target = nextEndpoint()
      const [command, ...args] = reqrepCommand(path, programs, target, service)
      proxy = group.start(command!, args, 'pipe')
      await proxy.waitFor('ready', 30_000)
    }
    const client = group.start(programs.reqclient, [
      target,
      String(requests),
      String(LATENCY_RATE),
      String(SIZE),
      String(WARMUP),
    ])
    const timeout = 30_000 + (requests / LATENCY_RATE) * 1000
    const [p50 = 0] = await client.waitFor('p50', timeout)
    const [p99 = 0] = await client.waitFor('p99', 1000)
    const [max = 0] = await client.waitFor('max', 1000)
    const [late = 0] = await client.waitFor('late', 1000)
    if (path !== 'tap') return { p50, p99, max, late }
    // The tap prints what it forwarded as it stops.
    await proxy!.stop()
    const [down = 0, up = 0] = await proxy!.waitFor('forwarded', 1000)
    const [measured = 0, tapP50 = 0, tapP99 = 0, tapMax = 0] = await proxy!.waitFor('correlation', 1000)
    return {
      p50,
      p99,
      max,
      late,
      forwarded: { down, up },
      tapMeasured: { count: measured, p50: tapP50, p99: tapP99, max: tapMax },
    }
  } finally {
    await group.stopAll()
  }
}

export async function runP5(
  programs: Record<CProgram, string>,
  count: number,
  rounds: number,
  print: (line: string) => void,
): Promise<P5Result> {
  const rates: Record<Proxy, number[]> = { zmqProxy: [], loop: [], tap: [] }
  const cpu: Record<Proxy, number[]> = { zmqProxy: [], loop: [], tap: [] }
  const mismatched: number[] = []
  const accounting: Accounting[] = []
  for (let round = 0; round < rounds; round++) {
    for (const proxy of PROXIES) {
      const run = await forward(proxy, programs, count)
      rates[proxy].push(run.rate)
      if (run.cpuUs !== undefined) cpu[proxy].push(run.cpuUs)
      mismatched.push(run.mismatched)
      if (run.accounting) accounting.push(run.accounting)
    }
  }
  const ratio = (a: Proxy, b: Proxy): Spread => spread(rates[a].map((value, i) => value / rates[b][i]!))
  const forwarding: P5Result['forwarding'] = {
    messages: count,
    size: SIZE,
    rounds,
    zmqProxy: spread(rates.zmqProxy),
    loop: spread(rates.loop),
    tap: spread(rates.tap),
    tapLoop: ratio('tap', 'loop'),
    tapProxy: ratio('tap', 'zmqProxy'),
    loopProxy: ratio('loop', 'zmqProxy'),
    ok: false,
    cpuUs:
      cpu.tap.length === rounds
        ? { zmqProxy: spread(cpu.zmqProxy), loop: spread(cpu.loop), tap: spread(cpu.tap) }
        : null,
    mismatched,
  }
  forwarding.ok = forwarding.tapLoop.median >= 0.9
  const rate = (s: Spread): string => `${Math.round(s.median)}/s`
  const ordered = mismatched.every((m) => m === 0)
  const everyRun = rounds === 1 ? 'the run' : `every run of ${rounds}`
  print(
    `P5 forward ${SIZE} B, ${count} msgs PUSH -> proxy -> PULL: zmq_proxy ${rate(forwarding.zmqProxy)}, ` +
      `zeromq.js loop ${rate(forwarding.loop)}, tap ${rate(forwarding.tap)} (medians); ` +
      `tap/loop ${spreadText(forwarding.tapLoop)} ${verdict(forwarding.ok)} (>= 0.9), ` +
      `tap/zmq_proxy ${spreadText(forwarding.tapProxy)}, loop/zmq_proxy ${spreadText(forwarding.loopProxy)}; ` +
      (forwarding.cpuUs
        ? `CPU per message zmq_proxy ${forwarding.cpuUs.zmqProxy.median.toFixed(2)} µs, loop ` +
          `${forwarding.cpuUs.loop.median.toFixed(2)} µs, tap ${forwarding.cpuUs.tap.median.toFixed(2)} µs; `
        : '') +
      (ordered
        ? `all ${count} in sequence at the receiver (${everyRun})`
        : `OUT OF SEQUENCE at the receiver: ${mismatched.join(', ')}`),
  )

  // Capture exact: every forwarded message is in the ring or counted as dropped from it.
  const exact = accounting.every(
    (run) => run.forwarded === count && run.entries + run.dropped === run.forwarded && run.captureDrops === run.dropped,
  )
  const last = accounting[accounting.length - 1]!
  print(
    `P5 capture exact: ${last.forwarded} forwarded = ${last.entries} captured + ${last.dropped} dropped by the ring ` +
      `(the tap counts ${last.captureDrops} capture drops) ${verdict(exact)}` +
      (exact
        ? ` (${everyRun})`
        : `: ${accounting.map((r) => `${r.forwarded} fwd, ${r.entries} + ${r.dropped}, ${r.captureDrops}`).join('; ')}`),
  )

  const requests = Math.min(5000, Math.max(1000, Math.round(count / 200)))
  const runs: Record<Path, Trip[]> = { direct: [], zmqProxy: [], loop: [], tap: [] }
  for (let round = 0; round < rounds; round++) {
    for (const path of ['direct', ...PROXIES] as const) runs[path].push(await roundTrips(path, programs, requests))
  }
  const added = (proxy: Proxy, key: 'p50' | 'p99'): Spread =>
    spread(runs[proxy].map((run, i) => run[key] - runs.direct[i]![key]))
  const latency: P5Result['latency'] = {
    requests,
    rate: LATENCY_RATE,
    rounds,
    runs,
    added: {
      zmqProxy: { p50: added('zmqProxy', 'p50'), p99: added('zmqProxy', 'p99') },
      loop: { p50: added('loop', 'p50'), p99: added('loop', 'p99') },
      tap: { p50: added('tap', 'p50'), p99: added('tap', 'p99') },
    },
    okP50: false,
    okP99: false,
    tapCountsExact: runs.tap.every(
      (run) => run.forwarded?.down === WARMUP + requests && run.forwarded.up === WARMUP + requests,
    ),
  }
  latency.okP50 = latency.added.tap.p50.median <= 100
  latency.okP99 = latency.added.tap.p99.median <= 1000
  const us = (value: number): string => `${Math.round(value)} µs`
  const direct = (key: 'p50' | 'p99'): string => us(spread(runs.direct.map((run) => run[key])).median)
  const others = (key: 'p50' | 'p99'): string =>
    `zeromq.js loop ${us(latency.added.loop[key].median)}, zmq_proxy ${us(latency.added.zmqProxy[key].median)}`
  const measured = (key: 'p50' | 'p99'): string => us(spread(runs.tap.map((run) => run.tapMeasured?.[key] ?? 0)).median)
  print(
    `P5 latency REQ/REP round trip at ${LATENCY_RATE} req/s, ${requests} requests (+${WARMUP} warm-up) ` +
      `direct p50 ${direct('p50')}, p99 ${direct('p99')} (medians); added p50: tap ` +
      `${spreadText(latency.added.tap.p50, 0, ' µs')} ${verdict(latency.okP50)} (<= 100 µs), ${others('p50')}; ` +
      (latency.tapCountsExact
        ? `the tap forwarded all ${WARMUP + requests} requests and replies (${everyRun})`
        : `the tap forwarded ${runs.tap.map((run) => `${run.forwarded?.down}/${run.forwarded?.up}`).join(', ')} ` +
          `requests/replies, not ${WARMUP + requests} MISSED`),
  )
  print(
    `P5 latency REQ/REP added p99: tap ${spreadText(latency.added.tap.p99, 0, ' µs')} ${verdict(latency.okP99)} ` +
      `(<= 1000 µs), ${others('p99')}; the tap's own histogram of its service leg: p50 ${measured('p50')}, ` +
      `p99 ${measured('p99')}`,
  )
  return { forwarding, capture: { runs: accounting, exact }, latency }
}
