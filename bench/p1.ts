// P1 capture rate: the same C sender pushes N messages over tcp loopback into (a) a bare zeromq.js receive
// loop, (b) a Debian pyzmq receive loop, (c) ZeroScope's engine capturing with counters and batching on.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'

interface Variant {
  name: string
  size: number
  frames: number
  maxCount?: number
}

export interface P1Result {
  variant: string
  messages: number
  zeromqjs: number
  pyzmq: number
  engine: number
  ca: number
  cb: number
  captured: number
  dropped: number
  exact: boolean
  engineRssMB: number
}

const VARIANTS: Variant[] = [
  { name: '100 B', size: 100, frames: 1 },
  { name: '3 frames', size: 100, frames: 3 },
  { name: '64 KiB', size: 65536, frames: 1, maxCount: 100_000 },
]
const RECEIVERS: Record<'zeromqjs' | 'pyzmq' | 'engine', string[]> = {
  zeromqjs: ['node', 'bench/receiver-zeromqjs.mjs'],
  pyzmq: ['/usr/bin/python3', 'bench/receiver.py'],
  // Bundled like the app's main process (no TypeScript loader in the measured process).
  engine: ['node', 'out/bench/receiver-engine.mjs'],
}
let port = 45100 + Math.floor(Math.random() * 1000)

/** One receiver process: it binds and prints `ready`, the sender connects, the receiver prints `key value…` lines. */
async function receive(
  sender: string,
  command: string[],
  n: number,
  size: number,
  frames: number,
): Promise<{ rate: number; accounted: number[]; rss: number[] }> {
  const endpoint = `tcp://127.0.0.1:${port++}`
  const child = spawn(command[0]!, [...command.slice(1), endpoint, String(n)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const out: Record<string, number[]> = {}
  let pushing: ChildProcess | undefined
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'ready')
      pushing = spawn(sender, ['push', endpoint, String(n), String(size), String(frames)], { stdio: 'ignore' })
    const [key, ...values] = line.split(' ')
    out[key!] = values.map(Number)
  }
  if (pushing && pushing.exitCode === null) await once(pushing, 'exit')
  if (!out.elapsed) throw new Error(`${command.join(' ')} printed no result`)
  return { rate: n / out.elapsed[0]!, accounted: out.accounted ?? [0, 0], rss: out.rss ?? [0] }
}

export async function runP1(sender: string, count: number, print: (line: string) => void): Promise<P1Result[]> {
  const results: P1Result[] = []
  for (const variant of VARIANTS) {
    const n = Math.min(count, variant.maxCount ?? count)
    const a = await receive(sender, RECEIVERS.zeromqjs, n, variant.size, variant.frames)
    const b = await receive(sender, RECEIVERS.pyzmq, n, variant.size, variant.frames)
    const c = await receive(sender, RECEIVERS.engine, n, variant.size, variant.frames)
    const [captured = 0, dropped = 0] = c.accounted
    const result: P1Result = {
      variant: variant.name,
      messages: n,
      zeromqjs: Math.round(a.rate),
      pyzmq: Math.round(b.rate),
      engine: Math.round(c.rate),
      ca: c.rate / a.rate,
      cb: c.rate / b.rate,
      captured,
      dropped,
      exact: captured + dropped === n,
      engineRssMB: c.rss[0] ?? 0,
    }
    results.push(result)
    print(
      `P1 ${variant.name.padEnd(8)} ${n} msgs: zeromq.js ${result.zeromqjs}/s, pyzmq ${result.pyzmq}/s, ` +
        `engine ${result.engine}/s; c/a ${result.ca.toFixed(2)} ${result.ca >= 0.9 ? 'ok' : 'MISSED'} (>= 0.9), ` +
        `c/b ${result.cb.toFixed(2)} ${result.cb >= 1 ? 'ok' : 'MISSED'} (>= 1.0); ` +
        `${captured} captured + ${dropped} dropped by the ring${result.exact ? ' = all' : ` != ${n} LOST`}`,
    )
  }
  return results
}
