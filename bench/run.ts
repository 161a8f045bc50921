// `npm run bench`: issues 5's and 13's benchmark. P1 capture rate (engine vs bare zeromq.js vs pyzmq), P2 the UI
// at 50,000 msg/s, P3 memory after 1,000,000 messages, P4 engine-to-DOM latency at 1,000 msg/s, P5 tap mode
// (forwarding rate against a bare zeromq.js loop and libzmq's zmq_proxy, capture exactness, added REQ/REP
// latency), P6 recording (rate beside capture alone, every message read back from the file, browsing the file
// through the host). One line per figure with whether its target holds, and every number in
// out/bench/results.json. Not part of `npm test`: tests never assert timings. `npm run bench -- p2 p4` runs some
// parts only; BENCH_COUNT scales P1, P3 and P5 down, BENCH_P6_MESSAGES P6 (default 10,000,000); BENCH_ROUNDS
// (default 3) is how many interleaved rounds the medians of P1, P5 and P6 take.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpus } from 'node:os'
import { mkdirSync, writeFileSync } from 'node:fs'
import { version as zmqVersion } from 'zeromq'
import { buildEngineBundles, buildPrograms } from './build'
import { runP1 } from './p1'
import { runP5 } from './p5'
import { runP6 } from './p6'
import { runP2, runP3, runP4 } from './ui'

const PARTS = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']
const USAGE =
  `usage: [BENCH_COUNT=N] [BENCH_P6_MESSAGES=M] [BENCH_ROUNDS=R] npm run bench [-- ${PARTS.join(' ')}]   ` +
  '(default: all parts, N = 1000000, M = 10000000, R = 3)'
const requested = process.argv.slice(2)
const unknown = requested.filter((part) => !PARTS.includes(part))
if (unknown.length > 0) fail(`unknown part ${unknown.join(', ')}`)
const count = Number(process.env.BENCH_COUNT ?? 1_000_000)
if (!Number.isInteger(count) || count < 1000)
  fail(`BENCH_COUNT must be an integer >= 1000, got ${process.env.BENCH_COUNT}`)
const p6Messages = Number(process.env.BENCH_P6_MESSAGES ?? 10_000_000)
if (!Number.isInteger(p6Messages) || p6Messages < 1000)
  fail(`BENCH_P6_MESSAGES must be an integer >= 1000, got ${process.env.BENCH_P6_MESSAGES}`)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
if (!Number.isInteger(rounds) || rounds < 1)
  fail(`BENCH_ROUNDS must be an integer >= 1, got ${process.env.BENCH_ROUNDS}`)
const parts = new Set(requested.length > 0 ? requested : PARTS)

function fail(reason: string): never {
  console.error(`${reason}\n${USAGE}`)
  process.exit(2)
}

const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED')
const ms = (value: number): string => `${value.toFixed(1)} ms`

// Chromium, pyzmq, a C compiler and libzmq's headers: installed as root, named exactly otherwise.
const provisioned = spawnSync(process.execPath, ['scripts/provision.mjs', '--bench'], { stdio: 'inherit' })
if (provisioned.status !== 0) process.exit(1)
execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { stdio: 'ignore' })
const programs = buildPrograms()
const sender = programs.sender
await buildEngineBundles()
console.log(
  `ZeroScope benchmark: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.versions.node}, ` +
    `libzmq via zeromq.js ${zmqVersion}; the C sender feeds every receiver`,
)

const results: Record<string, unknown> = { date: new Date().toISOString(), cpus: cpus().length }
mkdirSync('out/bench', { recursive: true })

if (parts.has('p1')) results.p1 = await runP1(sender, count, rounds, console.log)

if (parts.has('p2')) {
  const p2 = await runP2(sender)
  results.p2 = p2
  const longest = Math.max(0, ...p2.longTasks)
  console.log(
    `P2 UI at ${p2.rate} msg/s (${p2.received} received in 10 s): frame interval p50 ${ms(p2.p50)}, ` +
      `p95 ${ms(p2.p95)} ${verdict(p2.p95 <= 33)} (<= 33 ms), max ${ms(p2.max)}; ${p2.longTasks.length} long ` +
      `tasks, longest ${longest} ms ${verdict(longest <= 200)} (<= 200 ms)`,
  )
  console.log(`P2 close under load: click to socket closed ${ms(p2.closeMs)} ${verdict(p2.closeMs < 100)} (< 100 ms)`)
  // The same load as protobuf, with a decoder rule and a plot of one of its fields on the streamed socket.
  const decoded = await runP2(sender, 50_000, 10, 'decoded')
  results.p2Decoded = decoded
  console.log(
    `P2 with a protobuf rule and a plot (${decoded.received} received in 10 s): frame interval p50 ` +
      `${ms(decoded.p50)}, p95 ${ms(decoded.p95)} ${verdict(decoded.p95 <= 33)} (<= 33 ms), max ${ms(decoded.max)}`,
  )
}

if (parts.has('p3')) {
  const p3 = await runP3(sender, count)
  results.p3 = p3
  console.log(
    `P3 memory after ${p3.messages} msgs of 100 B (${p3.captured} in the ring + ${p3.dropped} dropped): host ` +
      `RSS ${p3.mainRssMB} MB ${verdict(p3.mainRssMB <= 300)} (<= 300 MB; peak ${p3.mainPeakRssMB} MB), ` +
      `renderer JS heap ${p3.heapMB} MB ${verdict(p3.heapMB <= 200)} (<= 200 MB; ${p3.heapBeforeGcMB} MB before ` +
      'a forced GC)',
  )
}

if (parts.has('p4')) {
  const p4 = await runP4(sender)
  results.p4 = p4
  console.log(
    `P4 latency at ${p4.rate} msg/s, engine receive to row in DOM (${p4.rows} rows): p50 ${ms(p4.p50)}, ` +
      `p95 ${ms(p4.p95)} ${verdict(p4.p95 <= 50)} (<= 50 ms), max ${ms(p4.max)}`,
  )
}

if (parts.has('p5')) results.p5 = await runP5(programs, count, rounds, console.log)

if (parts.has('p6')) results.p6 = await runP6(sender, p6Messages, rounds, console.log)

writeFileSync('out/bench/results.json', `${JSON.stringify(results, null, 2)}\n`)
console.log('results: out/bench/results.json (P2 screenshot: out/bench/p2-under-load.png)')
