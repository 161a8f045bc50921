// P5's bare zeromq.js forwarding loop, what a JS proxy without capture costs. Binds argv[2] (where the sender or
// client connects), connects to argv[3] (where the receiver or server binds); prints `ready` and forwards until
// its stdin closes.
//   forwarder-zeromqjs FRONT BACK          PULL -> PUSH
//   forwarder-zeromqjs FRONT BACK reqrep   ROUTER <-> DEALER, one such loop each way
import * as zmq from 'zeromq'

const [front, back, family] = process.argv.slice(2)
const reqrep = family === 'reqrep'
const from = reqrep ? new zmq.Router() : new zmq.Pull()
const to = reqrep ? new zmq.Dealer() : new zmq.Push()
await from.bind(front)
to.connect(back)
// Stopped by the harness closing stdin, so it also ends if the harness dies.
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
console.log('ready')

async function pump(receiver, sender) {
  for (;;) {
    const message = await receiver.receive()
    await sender.send(message)
  }
}
if (reqrep) void pump(to, from)
await pump(from, to)
