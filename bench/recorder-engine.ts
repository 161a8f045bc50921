// P6's receiver: P1's engine receiver (a PULL capturing into the ring, counters and batching on) that, with
// `record`, also records everything to FOLDER/NAME.mcap as the app does (writer thread, zstd chunks).
//   recorder-engine capture|record ENDPOINT COUNT FOLDER NAME
// Prints `ready` once bound (and recording), then `elapsed SECONDS` from the first to the last message captured,
// `accounted ENTRIES DROPPED` (the ring), `cpu MS` (this process, all threads, during the capture), and for
// `record`: `recorded MESSAGES WRITTEN NOT_RECORDED BYTES` once the file is closed whole and `closed MS` (last
// message captured -> file closed: the writer's lag), then `rss MB`. Progress is polled every millisecond, as
// in P1, so the poll costs the engine nothing per message.
import { cpuUsage } from 'node:process'
import { Engine } from '../main/engine/engine'

const [mode, endpoint, countText, folder, name] = process.argv.slice(2)
if ((mode !== 'capture' && mode !== 'record') || !endpoint || !folder || !name) {
  console.error('usage: recorder-engine capture|record ENDPOINT COUNT FOLDER NAME')
  process.exit(2)
}
const count = Number(countText)
const engine = new Engine({ emit: () => {} }, { host: 'browser', recordingsDir: folder, recordingMinFreeBytes: 0 })
const pull = engine.create('pull', 'bench')
await engine.bind(pull.id, endpoint)
const recording =
  mode === 'record' ? await engine.recordings.start({ kind: 'all' }, { kind: 'folder', name }) : undefined
const accounted = (): number => {
  const stats = engine.captureStats()
  return stats.entries + stats.dropped
}
console.log('ready')
let start = 0
let cpuStart = cpuUsage()
await new Promise<void>((resolve) => {
  const poll = setInterval(() => {
    const seen = accounted()
    if (seen > 0 && start === 0) {
      start = performance.now()
      cpuStart = cpuUsage()
    }
    if (seen >= count) {
      clearInterval(poll)
      resolve()
    }
  }, 1)
})
const end = performance.now()
const cpu = cpuUsage(cpuStart)
const stats = engine.captureStats()
console.log(`elapsed ${(end - start) / 1000}`)
console.log(`accounted ${stats.entries} ${stats.dropped}`)
console.log(`cpu ${(cpu.user + cpu.system) / 1000}`)
if (recording !== undefined) {
  const summary = await engine.recordings.stop(recording.id)
  console.log(`recorded ${summary.messages} ${summary.written} ${summary.notRecorded} ${summary.bytes}`)
  console.log(`closed ${performance.now() - end}`)
}
console.log(`rss ${Math.round(process.memoryUsage().rss / 1048576)}`)
await engine.shutdown()
