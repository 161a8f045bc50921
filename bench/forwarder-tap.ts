// P5's ZeroScope tap: the engine as the app runs it (capture ring, counters, batching to a sink), with one tap.
//   forwarder-tap pipeline FRONT BACK COUNT   producers' PULL binds FRONT, consumers' PUSH connects to BACK; once
//                                             COUNT messages are forwarded, prints `accounted ENTRIES DROPPED
//                                             FORWARDED CAPTURE_DROPS` (ring entries, ring drops, the tap's
//                                             forwarded count, the tap's own count of its evicted entries)
//   forwarder-tap reqrep CLIENTS SERVICE      clients' ROUTER binds CLIENTS, service's DEALER connects to SERVICE
// Prints `ready` once the tap is open; when its stdin closes it prints `forwarded DOWN UP` (and for reqrep
// `correlation COUNT P50_US P99_US MAX_US`, the tap's own latency histogram) and exits.
// The harness times the C receiver or client, not this process: polling here (every 20 ms) only reads counters.
import { Engine } from '../main/engine/engine'

const [family, upstream, downstream, countText] = process.argv.slice(2)
if ((family !== 'pipeline' && family !== 'reqrep') || !upstream || !downstream) {
  console.error('usage: forwarder-tap pipeline FRONT BACK COUNT | reqrep CLIENTS SERVICE')
  process.exit(2)
}
const engine = new Engine({ emit() {} }, { host: 'browser' })
const tap = await engine.taps.create(
  family === 'reqrep'
    ? {
        family: 'reqrep',
        clients: { mode: 'bind', endpoint: upstream },
        service: { mode: 'connect', endpoint: downstream },
      }
    : {
        family: 'pipeline',
        producers: { mode: 'bind', endpoint: upstream },
        consumers: { mode: 'connect', endpoint: downstream },
      },
)
const summary = () => engine.taps.list().find((each) => each.id === tap.id) ?? tap

let poll: ReturnType<typeof setInterval> | undefined
if (family === 'pipeline') {
  const count = Number(countText)
  let reachedAt = 0
  poll = setInterval(() => {
    const { forwarded, captureDrops } = summary()
    const forwardedDown = forwarded.down.messages
    if (forwardedDown < count) return
    const stats = engine.captureStats()
    // Capture comes after forwarding: give it a moment to account for the last messages before reporting.
    reachedAt ||= performance.now()
    if (stats.entries + stats.dropped < forwardedDown && performance.now() - reachedAt < 2000) return
    clearInterval(poll)
    console.log(`accounted ${stats.entries} ${stats.dropped} ${forwardedDown} ${captureDrops}`)
  }, 20)
}

process.stdin.on('end', () => {
  clearInterval(poll)
  const { forwarded } = summary()
  console.log(`forwarded ${forwarded.down.messages} ${forwarded.up.messages}`)
  // What the tap itself measured, request forwarded -> reply back from the service: the service-side leg only.
  const histogram = engine.taps.stats(tap.id).correlation?.histogram
  if (histogram) console.log(`correlation ${histogram.count} ${histogram.p50Us} ${histogram.p99Us} ${histogram.maxUs}`)
  void engine.shutdown().finally(() => process.exit(0))
})
process.stdin.resume()
console.log('ready')
