// Presets: the classic topologies from the ZeroMQ guide, run inside the app so every view has data at once.
import type { SocketSummary } from '../../preload/views'
import type { Engine } from './engine'
import { EngineError } from './errors'

export type PresetName = 'weather'

/** The guide's weather server binds 5556; if that is taken (the user's own server), any free port will do. */
async function bindPreferred(engine: Engine, socketId: string, preferred: string, fallback: string): Promise<string> {
  try {
    return (await engine.bind(socketId, preferred)).endpoints[0]?.address ?? preferred
  } catch (error) {
    if (!(error instanceof EngineError) || error.zmqCode !== 'EADDRINUSE') throw error
    return (await engine.bind(socketId, fallback)).endpoints[0]?.address ?? fallback
  }
}

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

async function startWeather(engine: Engine, ratePerSecond = 20): Promise<SocketSummary[]> {
  const server = engine.create('pub', 'weather server')
  const address = await bindPreferred(engine, server.id, 'tcp://127.0.0.1:5556', 'tcp://127.0.0.1:*')
  const client = engine.create('sub', 'weather client (10001)')
  // Subscribe before connecting: the subscription travels with the handshake, so nothing is filtered late.
  engine.subscribe(client.id, { enc: 'text', data: '10001' })
  await engine.connect(client.id, address)
  const timer = setInterval(() => {
    engine.sendBytes(server.id, [Buffer.from(weatherUpdate())]).catch(() => clearInterval(timer))
  }, 1000 / ratePerSecond)
  timer.unref()
  engine.attachDriver(server.id, () => clearInterval(timer))
  return engine.list().filter((s) => s.id === server.id || s.id === client.id)
}

export function startPreset(engine: Engine, preset: PresetName): Promise<SocketSummary[]> {
  switch (preset) {
    case 'weather':
      return startWeather(engine)
  }
}
