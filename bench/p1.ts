// P1 capture rate: the same C sender pushes N messages over tcp loopback into (a) a bare zeromq.js receive
// loop, (b) a Debian pyzmq receive loop, (c) ZeroScope's engine capturing with counters and batching on.
// Runs are interleaved a, b, c, a, b, c, … (BENCH_ROUNDS rounds) and each ratio is the median of the rounds'
// ratios, printed with its range: one noisy run on a 2-core machine does not flip a verdict.
import { ChildGroup, nextEndpoint } from './children'
import { spread, spreadText, verdict, type Spread } from './stats'

interface Variant {
  name: string
  size: number
  frames: number
  maxCount?: number
}

type Receiver = 'zeromqjs' | 'pyzmq' | 'engine'

export interface P1Result {
  variant: string
  messages: number
  rounds: number
  /** Medians of the rounds, msg/s. */
  zeromqjs: number
  pyzmq: number
  engine: number
  /** Medians of the per-round ratios, with their ranges in `spreads`. */
  ca: number
  cb: number
  spreads: { zeromqjs: Spread; pyzmq: Spread; engine: Spread; ca: Spread; cb: Spread }
  /** The engine's accounting in each round: ring entries and ring drops. */
  accounting: { captured: number; dropped: number }[]
  /** Of the last round, as printed. */
  captured: number
  dropped: number
  /** captured + dropped = messages in every round. */
  exact: boolean
  engineRssMB: number
}

const VARIANTS: Variant[] = [
  { name: '100 B', size: 100, frames: 1 },
  { name: '3 frames', size: 100, frames: 3 },
  { name: '64 KiB', size: 65536, frames: 1, maxCount: 100_000 },
]
const RECEIVERS: Record<Receiver, string[]> = {
  zeromqjs: ['node', 'bench/receiver-zeromqjs.mjs'],
  pyzmq: ['/usr/bin/python3', 'bench/receiver.py'],
  // Bundled like the app's main process (no TypeScript loader in the measured process).
  engine: ['node', 'out/bench/receiver-engine.mjs'],
}

/** One receiver process: it binds and prints `ready`, the sender connects, the receiver prints `key value…` lines. */
async function receive(
  sender: string,
  kind: Receiver,
  n: number,
  size: number,
  frames: number,
): Promise<{ rate: number; accounted: number[]; rss: number[] }> {
  const endpoint = nextEndpoint()
  const group = new ChildGroup()
  const command = RECEIVERS[kind]
  try {
    const receiver = group.start(command[0]!, [...command.slice(1), endpoint, String(n)])
    await receiver.waitFor('ready', 30_000)
    const pushing = group.start(sender, ['push', endpoint, String(n), String(size), String(frames)])
    // Generous: the slowest receiver here manages well over 20,000 msg/s.
    const [elapsed = 0] = await receiver.waitFor('elapsed', 30_000 + n / 20)
    await receiver.closed
    await pushing.closed
    const accounted = kind === 'engine' ? await receiver.waitFor('accounted', 1000) : [0, 0]
    const rss = kind === 'engine' ? await receiver.waitFor('rss', 1000) : [0]
    return { rate: n / elapsed, accounted, rss }
  } finally {
    await group.stopAll()
  }
}

export async function runP1(
  sender: string,
  count: number,
  rounds: number,
  print: (line: string) => void,
): Promise<P1Result[]> {
  const results: P1Result[] = []
  for (const variant of VARIANTS) {
    const n = Math.min(count, variant.maxCount ?? count)
    const rates: Record<Receiver, number[]> = { zeromqjs: [], pyzmq: [], engine: [] }
    const accounting: { captured: number; dropped: number }[] = []
    let engineRssMB = 0
    for (let round = 0; round < rounds; round++) {
      for (const receiver of ['zeromqjs', 'pyzmq', 'engine'] as const) {
        const run = await receive(sender, receiver, n, variant.size, variant.frames)
        rates[receiver].push(run.rate)
        if (receiver === 'engine') {
          const [captured = 0, dropped = 0] = run.accounted
          accounting.push({ captured, dropped })
          engineRssMB = run.rss[0] ?? 0
        }
      }
    }
    const ca = spread(rates.engine.map((c, i) => c / rates.zeromqjs[i]!))
    const cb = spread(rates.engine.map((c, i) => c / rates.pyzmq[i]!))
    const spreads = {
      zeromqjs: spread(rates.zeromqjs),
      pyzmq: spread(rates.pyzmq),
      engine: spread(rates.engine),
      ca,
      cb,
    }
    const last = accounting[accounting.length - 1]!
    const result: P1Result = {
      variant: variant.name,
      messages: n,
      rounds,
      zeromqjs: Math.round(spreads.zeromqjs.median),
      pyzmq: Math.round(spreads.pyzmq.median),
      engine: Math.round(spreads.engine.median),
      ca: ca.median,
      cb: cb.median,
      spreads,
      accounting,
      captured: last.captured,
      dropped: last.dropped,
      exact: accounting.every((run) => run.captured + run.dropped === n),
      engineRssMB,
    }
    results.push(result)
    const runs = rounds === 1 ? 'the run' : `every run of ${rounds}`
    print(
      `P1 ${variant.name.padEnd(8)} ${n} msgs: zeromq.js ${result.zeromqjs}/s, pyzmq ${result.pyzmq}/s, ` +
        `engine ${result.engine}/s (medians); c/a ${spreadText(ca)} ${verdict(ca.median >= 0.9)} (>= 0.9), ` +
        `c/b ${spreadText(cb)} ${verdict(cb.median >= 1)} (>= 1.0); ` +
        `${last.captured} captured + ${last.dropped} dropped by the ring` +
        (result.exact ? ` = all (${runs})` : ` != ${n} LOST (${accounting.map((r) => r.captured + r.dropped)})`),
    )
  }
  return results
}
