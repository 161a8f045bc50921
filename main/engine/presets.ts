// Presets: the classic topologies from the ZeroMQ guide, run inside the app so every view has data at once.
// They drive the engine through its public API like any caller: a timer's lifetime is tied to its socket
// (engine.onClose), and a reaction watches a socket's received messages (engine.onReceive), which only the
// watched sockets pay for.
import type { PresetName, SocketSummary } from '../../contract/views'
import type { Engine } from './engine'
import { EngineError } from './errors'

/** The guide binds fixed ports; if one is taken (the user's own server), any free port will do. */
async function bindPreferred(engine: Engine, socketId: string, port: number): Promise<string> {
  try {
    return (await engine.bind(socketId, `tcp://127.0.0.1:${port}`)).endpoints[0]!.address
  } catch (error) {
    if (!(error instanceof EngineError) || error.zmqCode !== 'EADDRINUSE') throw error
    return (await engine.bind(socketId, 'tcp://127.0.0.1:*')).endpoints[0]!.address
  }
}

function every(engine: Engine, socketId: string, ms: number, tick: () => Promise<unknown>): void {
  // A tick still waiting (a PUSH with no worker left blocks until its send timeout) is not stacked upon.
  let busy = false
  const run = (): void => {
    if (busy) return
    busy = true
    void tick()
      .catch(() => {})
      .finally(() => (busy = false))
  }
  const timer = setInterval(run, ms)
  run()
  timer.unref()
  engine.onClose(socketId, () => clearInterval(timer))
}

const text = (value: string): Buffer[] => [Buffer.from(value)]
const pick =
  (...ids: string[]) =>
  (s: SocketSummary) =>
    ids.includes(s.id)

/** Zip codes the demo favours so the "10001" subscriber sees traffic; the rest are uniform in 1-99999. */
const DEMO_ZIPS = [10001, 10001, 10002, 94105, 60601]

function weatherUpdate(): string {
  const zip =
    Math.random() < 0.3
      ? DEMO_ZIPS[Math.floor(Math.random() * DEMO_ZIPS.length)]
      : 1 + Math.floor(Math.random() * 99999)
  const temperature = Math.floor(Math.random() * 215) - 80
  const humidity = 10 + Math.floor(Math.random() * 50)
  return `${zip} ${temperature} ${humidity}`
}

async function weather(engine: Engine): Promise<SocketSummary[]> {
  const server = engine.create('pub', 'weather server')
  const address = await bindPreferred(engine, server.id, 5556)
  const client = engine.create('sub', 'weather client (10001)')
  // Subscribe before connecting: the subscription travels with the handshake, so nothing is filtered late.
  engine.subscribe(client.id, { enc: 'text', data: '10001' })
  await engine.connect(client.id, address)
  every(engine, server.id, 50, () => engine.sendBytes(server.id, text(weatherUpdate())))
  return engine.list().filter(pick(server.id, client.id))
}

async function hello(engine: Engine): Promise<SocketSummary[]> {
  const server = engine.create('rep', 'hello server')
  const address = await bindPreferred(engine, server.id, 5555)
  engine.onReceive(server.id, () => void engine.sendBytes(server.id, text('World')).catch(() => {}))
  const client = engine.create('req', 'hello client')
  await engine.connect(client.id, address)
  // One request a second, and only when REQ's lockstep allows (its reply has come back).
  every(engine, client.id, 1000, async () => {
    if (engine.describe(client.id).turn === 'send') await engine.sendBytes(client.id, text('Hello'))
  })
  return engine.list().filter(pick(server.id, client.id))
}

async function pipeline(engine: Engine): Promise<SocketSummary[]> {
  const sink = engine.create('pull', 'sink')
  const sinkAddress = await bindPreferred(engine, sink.id, 5558)
  const ventilator = engine.create('push', 'ventilator')
  const ventAddress = await bindPreferred(engine, ventilator.id, 5557)
  const ids = [sink.id, ventilator.id]
  for (const name of ['worker 1', 'worker 2']) {
    const tasks = engine.create('pull', `${name} tasks`)
    const results = engine.create('push', `${name} results`)
    await engine.connect(tasks.id, ventAddress)
    await engine.connect(results.id, sinkAddress)
    engine.onReceive(
      tasks.id,
      ([task]) => void engine.sendBytes(results.id, text(`${name} done ${task ?? ''}`)).catch(() => {}),
    )
    ids.push(tasks.id, results.id)
  }
  let task = 0
  every(engine, ventilator.id, 100, () =>
    engine.sendBytes(ventilator.id, text(`task ${++task} ${1 + Math.floor(Math.random() * 100)}ms`)),
  )
  return engine.list().filter(pick(...ids))
}

/**
 * Hello world with a tap between client and server: the REP binds where the tap's service side connects, the
 * REQ connects to where the tap listens for clients. Every request and reply shows up twice, once per side.
 */
async function tappedHello(engine: Engine): Promise<SocketSummary[]> {
  const server = engine.create('rep', 'hello server (behind the tap)')
  const serverAddress = await bindPreferred(engine, server.id, 6555)
  engine.onReceive(server.id, () => void engine.sendBytes(server.id, text('World')).catch(() => {}))
  let tap
  try {
    tap = await engine.taps.create({
      family: 'reqrep',
      name: 'hello tap',
      clients: { mode: 'bind', endpoint: 'tcp://127.0.0.1:5555' },
      service: { mode: 'connect', endpoint: serverAddress },
    })
  } catch (error) {
    if (!(error instanceof EngineError) || error.zmqCode !== 'EADDRINUSE') throw error
    tap = await engine.taps.create({
      family: 'reqrep',
      name: 'hello tap',
      clients: { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' },
      service: { mode: 'connect', endpoint: serverAddress },
    })
  }
  const client = engine.create('req', 'hello client (through the tap)')
  await engine.connect(client.id, tap.upstream.address)
  every(engine, client.id, 1000, async () => {
    if (engine.describe(client.id).turn === 'send') await engine.sendBytes(client.id, text('Hello'))
  })
  return engine.list().filter(pick(server.id, client.id, tap.upstream.socketId, tap.downstream.socketId))
}

export function startPreset(engine: Engine, preset: PresetName): Promise<SocketSummary[]> {
  switch (preset) {
    case 'hello':
      return hello(engine)
    case 'weather':
      return weather(engine)
    case 'pipeline':
      return pipeline(engine)
    case 'tapped-hello':
      return tappedHello(engine)
  }
}
