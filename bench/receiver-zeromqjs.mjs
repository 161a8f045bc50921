// P1 receiver (bare zeromq.js): PULL binds argv[2], receives argv[3] messages, prints seconds first -> last.
import * as zmq from 'zeromq'

const [endpoint, countText] = process.argv.slice(2)
const count = Number(countText)
const pull = new zmq.Pull()
await pull.bind(endpoint)
console.log('ready')
await pull.receive()
const start = performance.now()
for (let i = 1; i < count; i++) await pull.receive()
console.log(`elapsed ${(performance.now() - start) / 1000}`)
pull.close()
