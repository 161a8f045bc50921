// Benchmark receiver (ZeroScope's engine): a PULL capturing into the ring with counters and batching on;
// prints seconds first->last and what the capture accounted for.
import { Engine } from '../main/engine/engine'

const [endpoint, countText] = process.argv.slice(2)
const count = Number(countText)
let batches = 0
const engine = new Engine({ emit: (e) => void (e.type === 'batch' && batches++) }, { host: 'browser' })
const pull = engine.create('pull', 'bench', { receiveHighWaterMark: 0 })
await engine.bind(pull.id, endpoint!)
console.log('ready')
const counters = () => engine.list()[0]!.counters
let start = 0
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const received = counters().msgsIn
    if (received > 0 && start === 0) start = performance.now()
    if (received >= count) {
      clearInterval(timer)
      resolve()
    }
  }, 1)
})
const stats = engine.captureStats()
console.log(`elapsed ${(performance.now() - start) / 1000}`)
console.log(
  `accounted ${stats.entries + stats.dropped} batches ${batches} rss ${Math.round(process.memoryUsage().rss / 1048576)}`,
)
await engine.shutdown()
