// P1 receiver (ZeroScope's engine): a PULL capturing into the ring with counters and batching on, as in the
// app. Prints the seconds from first to last message, how the capture accounts for every message, and RSS.
// Progress is polled every millisecond rather than hooked per message, so the hook costs the engine nothing.
import { Engine } from '../main/engine/engine'

const [endpoint, countText] = process.argv.slice(2)
const count = Number(countText)
const engine = new Engine({ emit: () => {} }, { host: 'browser' })
const pull = engine.create('pull', 'bench')
await engine.bind(pull.id, endpoint!)
const accounted = (): number => {
  const stats = engine.captureStats()
  return stats.entries + stats.dropped
}
console.log('ready')
let start = 0
await new Promise<void>((resolve) => {
  const poll = setInterval(() => {
    const seen = accounted()
    if (seen > 0 && start === 0) start = performance.now()
    if (seen >= count) {
      clearInterval(poll)
      resolve()
    }
  }, 1)
})
const elapsed = (performance.now() - start) / 1000
const stats = engine.captureStats()
console.log(`elapsed ${elapsed}`)
console.log(`accounted ${stats.entries} ${stats.dropped}`)
console.log(`rss ${Math.round(process.memoryUsage().rss / 1048576)}`)
await engine.shutdown()
