// Wire fuzzing of the browser host as a real process: 10,000 random and mutated WebSocket frames and HTTP
// requests (seeded) from authenticated clients. The host must stay up, answer what it can, close only the
// connections that broke the protocol, and afterwards carry a normal capture round trip.
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { WebSocket } from 'ws'
import * as zmq from 'zeromq'
import { Channel, CHANNEL_NAMES, WS_PATH } from '../../contract/channels'
import type { LogEntryView, SocketSummary } from '../../contract/views'
import { RawWebSocket } from '../helpers/raw-ws'
import { seededRng } from '../helpers/rng'
import { HostClient, mustStart, type ServeProcess } from '../helpers/serve-process'

const SEED = Number(process.env.ZEROSCOPE_FUZZ_SEED ?? 20261202)
const rng = seededRng(SEED)
const ROUNDS = 10_000

let host: ServeProcess
before(async () => (host = await mustStart({}, ['--no-shell'])))
after(() => host.stop())

/** Valid requests to start from: mutations of these reach the parser, the schema and the engine. */
function sampleRequest(): string {
  const channel = rng.next() < 0.9 ? rng.pick(CHANNEL_NAMES) : rng.pick(['', 'x', '__proto__', 'socket:'])
  const payloads: unknown[] = [
    {},
    { type: rng.pick(['pair', 'pub', 'sub', 'pull', 'nope']) },
    { socketId: `s${rng.int(20)}`, endpoint: rng.pick(['tcp://127.0.0.1:*', 'inproc://f', 'ipc://', 'x']) },
    { socketId: `s${rng.int(20)}`, frames: [{ enc: rng.pick(['text', 'hex', 'base64', 'json']), data: 'ab' }] },
    { limit: rng.pick([1, 10, 5000, 0, -1]) },
    { entryId: rng.int(100) },
    null,
    [],
    { __proto__: { polluted: true } },
  ]
  const id = rng.pick<unknown>([rng.int(1e6), 'str', null, {}, -1, 1.5])
  return JSON.stringify({ id, channel, payload: rng.pick(payloads) })
}

function mutate(text: string): Buffer {
  const bytes = Buffer.from(text)
  switch (rng.int(5)) {
    case 0: // flip bytes (often invalid UTF-8, or broken JSON)
      for (let n = 1 + rng.int(4); n > 0; n--) bytes[rng.int(bytes.length)] = rng.int(256)
      return bytes
    case 1: // truncate
      return bytes.subarray(0, rng.int(bytes.length))
    case 2: // splice in random bytes
      return Buffer.concat([bytes.subarray(0, rng.int(bytes.length)), rng.bytes(1 + rng.int(16)), bytes])
    case 3: // deep nesting
      return Buffer.from(`${'['.repeat(1 + rng.int(5000))}${text}`)
    default:
      return bytes
  }
}

function randomPath(): string {
  const pieces = ['/', '/index.html', '/assets/', '%', '%c0', '%2e%2e/', '..', '%00', '?token=', '#', '\u00e9', '//']
  let path = ''
  for (let n = 1 + rng.int(5); n > 0; n--) path += rng.pick(pieces)
  return path.startsWith('/') ? path : `/${path}`
}

function httpRequest(token: string): Promise<void> {
  return new Promise((resolve) => {
    const withToken = rng.next() < 0.7
    const path = randomPath()
    const query = withToken ? `${path.includes('?') ? '&' : '?'}token=${token}` : ''
    const headers: Record<string, string> = {}
    if (rng.next() < 0.3) headers.origin = rng.pick(['http://evil.example', host.origin, 'null'])
    if (rng.next() < 0.3) headers.cookie = rng.pick([`zeroscope_token_${host.port}=`, 'a=b; c', ';;;='])
    const req = request(
      `${host.origin}${encodeURI(path).replaceAll('%25', '%')}${query}`,
      { method: rng.pick(['GET', 'HEAD', 'POST', 'OPTIONS', 'DELETE']), headers },
      (res) => {
        res.resume()
        res.on('end', resolve)
        res.on('error', () => resolve())
      },
    )
    req.on('error', () => resolve())
    req.end()
  })
}

async function rawFrame(): Promise<void> {
  const raw = await RawWebSocket.open(host.port, `${WS_PATH}?token=${host.token}`, host.origin)
  const payload = rng.bytes(rng.int(200))
  raw.send({
    opcode: rng.int(16),
    payload,
    fin: rng.next() < 0.8,
    rsv: rng.int(8),
    masked: rng.next() < 0.8,
    ...(rng.next() < 0.1 ? { announcedLength: rng.pick([126, 65536, 2 ** 31, 2 ** 40]) } : {}),
  })
  raw.destroy()
}

describe(`browser host wire fuzzing (seed ${SEED})`, () => {
  it(`${ROUNDS.toLocaleString('en')} random and mutated frames and requests leave the host serving`, async () => {
    let client = await HostClient.open(host.origin, host.token)
    const tally = { frames: 0, raw: 0, http: 0, reconnects: 0 }
    for (let round = 0; round < ROUNDS; round++) {
      const kind = rng.next()
      if (client.ws.readyState !== WebSocket.OPEN) {
        client.close()
        client = await HostClient.open(host.origin, host.token)
        tally.reconnects++
      }
      if (kind < 0.7) {
        const base = sampleRequest()
        const data = rng.next() < 0.5 ? mutate(base) : Buffer.from(base)
        client.ws.send(data, { binary: rng.next() < 0.05 })
        tally.frames++
      } else if (kind < 0.85) {
        await rawFrame()
        tally.raw++
      } else {
        await httpRequest(host.token)
        tally.http++
      }
      // A sync point now and then: everything sent so far has been handled, and the host is still there.
      if (round % 250 === 249) {
        if (client.ws.readyState === WebSocket.OPEN) await client.call(Channel.socketList, {})
        assert.ok(host.alive(), `the host died in round ${round}: ${host.stderr().slice(-2000)}`)
      }
    }
    client.close()
    assert.ok(host.alive(), host.stderr().slice(-2000))
    assert.ok(tally.frames > 5000 && tally.raw > 1000 && tally.http > 1000, JSON.stringify(tally))
    assert.ok(tally.reconnects > 0, 'some mutations broke the protocol and cost their connection')
  })

  it('afterwards a socket created over the WebSocket captures a message from a real peer', async () => {
    const client = await HostClient.open(host.origin, host.token)
    const push = new zmq.Push({ linger: 0 })
    try {
      const pull = (await client.call(Channel.socketCreate, { type: 'pull', name: 'after fuzz' }))
        .value as SocketSummary
      // Listening before the message is sent, so its batch cannot arrive unseen.
      const received = new Promise<LogEntryView[]>((resolve) => {
        client.ws.on('message', (data: Buffer) => {
          const frame = JSON.parse(data.toString()) as { event?: { type: string; batch?: { entries: LogEntryView[] } } }
          const mine = frame.event?.batch?.entries.filter((e) => e.socketId === pull.id) ?? []
          if (mine.length > 0) resolve(mine)
        })
      })
      const bound = await client.call(Channel.socketBind, { socketId: pull.id, endpoint: 'tcp://127.0.0.1:*' })
      push.connect((bound.value as SocketSummary).endpoints[0]!.address)
      await push.send('still here')
      const rows = await received
      assert.equal(Buffer.from(rows[0]!.frames[0]!.b64, 'base64').toString(), 'still here')
    } finally {
      push.close()
      client.close()
    }
  })
})
