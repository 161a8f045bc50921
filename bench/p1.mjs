// P1 capture rate (first part of issue 5's benchmark): the same pyzmq sender into (a) bare zeromq.js,
// (b) pyzmq, (c) ZeroScope's engine. P2-P4 (UI, memory, latency) are still to come.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

const count = Number(process.env.BENCH_COUNT ?? 1_000_000)
const variants = [
  { name: '100 B', size: 100, frames: 1 },
  { name: '3 frames', size: 99, frames: 3 },
  { name: '64 KiB', size: 65536, frames: 1, count: Math.min(count, 20_000) },
]
let port = 45100

async function run(receiver, n, size, frames) {
  const endpoint = `tcp://127.0.0.1:${port++}`
  const child = spawn(receiver[0], [...receiver.slice(1), endpoint, String(n)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout })
  const out = {}
  let sender
  for await (const line of lines) {
    if (line === 'ready')
      sender = spawn('/usr/bin/python3', ['bench/sender.py', endpoint, String(n), String(size), String(frames)], {
        stdio: 'inherit',
      })
    const [key, ...rest] = line.split(' ')
    out[key] = rest
  }
  await new Promise((r) => (sender.exitCode !== null ? r() : sender.on('exit', r)))
  return { rate: n / Number(out.elapsed[0]), extra: out.accounted ? out.accounted.join(' ') : '' }
}

const results = {}
for (const v of variants) {
  const n = v.count ?? count
  const a = await run(['node', 'bench/receiver-zeromqjs.mjs'], n, v.size, v.frames)
  const b = await run(['/usr/bin/python3', 'bench/receiver.py'], n, v.size, v.frames)
  const c = await run(['node', '--import', 'tsx', 'bench/receiver-engine.ts'], n, v.size, v.frames)
  results[v.name] = { messages: n, zeromqjs: a.rate, pyzmq: b.rate, engine: c.rate, engineDetail: c.extra }
  console.log(
    `P1 ${v.name.padEnd(8)} n=${n}: zeromq.js ${Math.round(a.rate)}/s  pyzmq ${Math.round(b.rate)}/s  engine ${Math.round(c.rate)}/s  ` +
      `c/a ${(c.rate / a.rate).toFixed(2)}  c/b ${(c.rate / b.rate).toFixed(2)}  [${c.extra}]`,
  )
}
console.log(JSON.stringify(results))
