// Attacks on the browser host as a real process: malformed WebSocket frames, the largest requests, weak
// tokens, bad paths, a lock-out attempt. Each must cost at most the attacker's own connection or request.
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { connect } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { Channel, WS_PATH } from '../../contract/channels'
import { MAX_WS_PAYLOAD_BYTES } from '../../contract/limits'
import { RawWebSocket, type RawFrame } from '../helpers/raw-ws'
import { HostClient, mustStart, startServe, type ServeProcess } from '../helpers/serve-process'

let host: ServeProcess
let keeper: HostClient

/** A fresh host per group, so that one group's finding cannot hide or cause another's. */
function withHost(): void {
  before(async () => {
    host = await mustStart()
    keeper = await HostClient.open(host.origin, host.token)
  })
  after(async () => {
    keeper.close()
    await host.stop()
  })
}

/** The host is still up and a connection opened before the attack still gets answers. */
async function assertServing(): Promise<void> {
  assert.ok(host.alive(), `the host died: ${host.stderr()}`)
  const info = await keeper.call(Channel.engineInfo, {})
  assert.equal(info.ok, true)
}

function status(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${host.origin}${path}`, { headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

const MALFORMED: { name: string; frame: RawFrame; code: number }[] = [
  {
    name: 'a text frame with invalid UTF-8',
    frame: { opcode: 0x1, payload: Buffer.from([0x7b, 0xff, 0xfe]) },
    code: 1007,
  },
  { name: 'an unmasked frame', frame: { opcode: 0x1, payload: Buffer.from('{}'), masked: false }, code: 1002 },
  { name: 'a reserved opcode', frame: { opcode: 0x3, payload: Buffer.from('x') }, code: 1002 },
  { name: 'RSV1 without an extension', frame: { opcode: 0x1, payload: Buffer.from('{}'), rsv: 0b100 }, code: 1002 },
  { name: 'a ping over 125 bytes', frame: { opcode: 0x9, payload: Buffer.alloc(126, 0x61) }, code: 1002 },
  { name: 'a fragmented ping', frame: { opcode: 0x9, payload: Buffer.from('p'), fin: false }, code: 1002 },
  { name: 'a continuation with nothing to continue', frame: { opcode: 0x0, payload: Buffer.from('x') }, code: 1002 },
  {
    name: 'a frame over the payload limit',
    frame: { opcode: 0x1, payload: Buffer.alloc(0), announcedLength: MAX_WS_PAYLOAD_BYTES + 1 },
    code: 1009,
  },
]

describe('malformed WebSocket frames', () => {
  withHost()

  for (const { name, frame, code } of MALFORMED) {
    it(`${name} closes that connection with ${code}; the host and other connections go on`, async () => {
      const raw = await RawWebSocket.open(host.port, `${WS_PATH}?token=${host.token}`, host.origin)
      raw.send(frame)
      assert.deepEqual(await raw.outcome(), { kind: 'closed', code })
      raw.destroy()
      await assertServing()
    })
  }

  it('a client that resets its TCP connection mid-frame costs nothing', async () => {
    const raw = await RawWebSocket.open(host.port, `${WS_PATH}?token=${host.token}`, host.origin)
    raw.write(Buffer.from([0x81, 0xfe, 0x10]))
    raw.reset()
    await assertServing()
  })
})

describe('the largest requests', () => {
  withHost()

  it('a message at the contract limit fits through the WebSocket; a larger one is refused with a sentence', async () => {
    const client = await HostClient.open(host.origin, host.token)
    try {
      const pub = await client.call(Channel.socketCreate, { type: 'pub', name: 'big' })
      const socketId = (pub.value as { id: string }).id
      // 72 MiB of binary is 96 MiB of base64: the most one message may carry.
      const atLimit = Buffer.alloc(72 * 1024 * 1024, 0xab).toString('base64')
      const sent = await client.call(Channel.socketSend, { socketId, frames: [{ enc: 'base64', data: atLimit }] })
      assert.equal(sent.ok, true, JSON.stringify(sent.error))
      const half = atLimit.slice(0, 52 * 1024 * 1024)
      const twice = await client.call(Channel.socketSend, {
        socketId,
        frames: [
          { enc: 'base64', data: half },
          { enc: 'base64', data: half },
        ],
      })
      assert.equal(twice.error?.code, 'INVALID_REQUEST')
      assert.match(twice.error?.message ?? '', /frames together take more than 96 MiB.*send it in parts/)
    } finally {
      client.close()
    }
    await assertServing()
  })
})

describe('tokens', () => {
  withHost()

  for (const [label, token] of [
    ['an empty', ''],
    ['a one-character', 'a'],
    ['a short', 'abcdef0123456789'],
    ['a long but repetitive', 'ab'.repeat(40)],
  ] as const) {
    it(`${label} ZEROSCOPE_TOKEN is refused at start, in one line`, async () => {
      const started = await startServe({ ZEROSCOPE_TOKEN: token })
      if (!('kind' in started)) {
        await started.stop()
        assert.fail(`the host started with ${label} token`)
      }
      assert.equal(started.code, 2)
      const lines = started.stderr.trim().split('\n')
      assert.equal(lines.length, 1, started.stderr)
      assert.match(lines[0]!, /^ZEROSCOPE_TOKEN: refusing to start: .*(bits|empty|repeats).*openssl rand/)
    })
  }

  it('an empty cookie or empty token parameter never matches', async () => {
    const cookie = `zeroscope_token_${host.port}`
    assert.equal(await status('/', { cookie: `${cookie}=` }), 401)
    assert.equal(await status('/?token=', { cookie: `${cookie}=` }), 401)
    assert.equal(await status('/?token=', {}), 401)
  })

  it('a page of many wrong tokens cannot lock the right token out', async () => {
    for (let i = 0; i < 25; i++) await status(`/favicon.ico?token=guess-${i}`)
    assert.equal(await status(`/?token=guess-again`), 429)
    assert.equal(await status(`/?token=${host.token}`), 200)
    const client = await HostClient.open(host.origin, host.token)
    client.close()
  })
})

describe('malformed HTTP', () => {
  withHost()

  for (const path of ['/%c0', '/%', '/%E0%A4%A', '/a%00b', '/..%2f..%2fetc%2fpasswd']) {
    it(`${path} with the token is answered, and the host goes on`, async () => {
      const code = await status(`${path}?token=${host.token}`)
      assert.ok(code === 400 || code === 404, `status ${code}`)
      await assertServing()
    })
  }

  it('a garbage request line is answered 400 and the host goes on', async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(host.port, '127.0.0.1', () => socket.write('\x00\x01 NOT HTTP\r\n\r\n'))
      let data = ''
      socket.on('data', (chunk: Buffer) => (data += chunk.toString()))
      socket.on('close', () => resolve(data))
      socket.on('error', () => resolve(data))
    })
    assert.match(reply, /^HTTP\/1\.1 400/)
    await assertServing()
  })
})
