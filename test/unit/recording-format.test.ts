// The recording format, checked from outside: a capture made on real sockets is read back with @mcap/core's own
// McapIndexedReader and decoded by the README's layout (not by the engine's reader), byte for byte; channels,
// events, log times, topology metadata, no secrets in the file, the 'chosen' scope and rotation.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { McapStreamReader } from '@mcap/core'
import { loadDecompressHandlers } from '@mcap/support'
import {
  EVENTS_TOPIC,
  MULTIPART_ENCODING,
  RECORDING_PROFILE,
  TOPOLOGY_METADATA,
  type RecordedSocket,
} from '../../contract/recordings'
import type { Engine } from '../../main/engine/engine'
import type { Services } from '../../main/host/services'
import { bindAddress } from '../helpers/addresses'
import { newServices, type Probe } from '../helpers/probe'
import {
  decodeLayout,
  hex,
  readBack,
  recordingNow,
  startRecording,
  stopRecording,
  tempFolder,
  type ReadBack,
} from '../helpers/recording-files'

let services: Services
let engine: Engine
let probe: Probe
let folder: ReturnType<typeof tempFolder>

beforeEach(() => {
  folder = tempFolder('zs-recording-format-')
  ;({ services, engine, probe } = newServices({ recordingsDir: folder.path, recordingMinFreeBytes: 0 }))
})
afterEach(async () => {
  await services.shutdown()
  folder.remove()
})

const b = (s: string): Buffer => Buffer.from(s)
const bound = async (socketId: string): Promise<string> =>
  (await engine.bind(socketId, bindAddress('tcp'))).endpoints[0]!.address

/** Messages of one channel (by topic), in the order they were written. */
function onChannel(file: ReadBack, topic: string) {
  const channel = file.channels.find((c) => c.topic === topic)
  assert.ok(channel, `a channel ${topic} among ${file.channels.map((c) => c.topic).join(', ')}`)
  return file.messages.filter((m) => m.channelId === channel.id).sort((x, y) => x.sequence - y.sequence)
}

const framesOn = (file: ReadBack, topic: string): string[][] =>
  onChannel(file, topic).map((m) => hex(decodeLayout(m.data).frames))

function eventsOf(file: ReadBack): { socketId: string; kind: string }[] {
  return onChannel(file, EVENTS_TOPIC).map((m) => JSON.parse(Buffer.from(m.data).toString('utf8')))
}

/** Every byte the file holds once decompressed: records as JSON, byte arrays spelled as latin1 text. */
async function decompressedText(path: string): Promise<string> {
  const reader = new McapStreamReader({ decompressHandlers: await loadDecompressHandlers() })
  reader.append(readFileSync(path))
  const parts: string[] = []
  for (let record; (record = reader.nextRecord());) {
    parts.push(
      JSON.stringify(record, (_, v: unknown) =>
        typeof v === 'bigint'
          ? String(v)
          : v instanceof Uint8Array
            ? Buffer.from(v).toString('latin1')
            : v instanceof Map
              ? Object.fromEntries(v)
              : v,
      ),
    )
  }
  return parts.join('\n')
}

describe('recording format', () => {
  it('a mixed capture reads back byte-exact with @mcap/core, with channels, events, times and topology', async () => {
    const pull = engine.create('pull', 'inbox').id
    const push = engine.create('push', 'sender').id
    const router = engine.create('router', 'service').id
    const dealerA = engine.create('dealer', 'client a', { routingId: 'dealer-a' }).id
    const dealerB = engine.create('dealer', 'client b', { routingId: 'dealer-b' }).id
    const serverKeys = engine.curveKeypair()
    const clientKeys = engine.curveKeypair()
    const curveServer = engine.create('pull', 'curve server', { curve: { role: 'server', ...serverKeys } }).id
    const curveClient = engine.create('push', 'curve client', {
      curve: { role: 'client', serverKey: serverKeys.publicKey, ...clientKeys },
    }).id
    const password = `pw-${randomBytes(12).toString('hex')}`
    const plainServer = engine.create('pull', 'plain server', {
      plain: { role: 'server', users: [{ username: 'alice', password }] },
    }).id
    const plainClient = engine.create('push', 'plain client', {
      plain: { role: 'client', username: 'alice', password },
    }).id
    const [pullAt, routerAt, curveAt, plainAt] = await Promise.all([pull, router, curveServer, plainServer].map(bound))

    const before = Date.now()
    const recording = await startRecording(services, { kind: 'all' }, 'mixed')
    await engine.connect(push, pullAt!)
    await engine.connect(dealerA, routerAt!)
    await engine.connect(dealerB, routerAt!)
    await engine.connect(curveClient, curveAt!)
    await engine.connect(plainClient, plainAt!)

    const all256 = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const notUtf8 = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xed, 0xa0, 0x80])
    const sent: Buffer[][] = [
      [b('hello'), b(''), b('world')],
      [all256],
      [notUtf8, all256, b('')],
      [b('')],
      [b(''), b('')],
      [randomBytes(70_000)],
    ]
    for (const frames of sent) await engine.sendBytes(push, frames)
    await engine.sendBytes(dealerA, [b('from a'), notUtf8])
    await probe.receivedAtLeast(router, 1)
    await engine.sendBytes(dealerB, [b('from b')])
    await probe.receivedAtLeast(router, 2)
    await engine.sendBytes(router, [b('dealer-a'), b('reply a')])
    await engine.sendBytes(router, [b('dealer-b'), b(''), all256])
    await engine.sendBytes(curveClient, [b('over curve')])
    await engine.sendBytes(plainClient, [b('over plain')])
    await Promise.all([
      probe.receivedAtLeast(pull, sent.length),
      probe.receivedAtLeast(dealerA, 1),
      probe.receivedAtLeast(dealerB, 1),
      probe.receivedAtLeast(curveServer, 1),
      probe.receivedAtLeast(plainServer, 1),
      probe.timelineAtLeast(push, 'connect'),
      probe.timelineAtLeast(pull, 'accept'),
    ])
    await engine.close(dealerB)
    await probe.timelineAtLeast(router, 'disconnect')
    const stopped = await stopRecording(services, recording.id)
    const after = Date.now()
    assert.deepEqual(stopped.state, { kind: 'stopped', reason: 'user' })
    assert.equal(stopped.notRecorded, 0)

    const file = await readBack(stopped.path)
    assert.equal(file.header.profile, RECORDING_PROFILE)
    assert.match(file.header.library, /^ZeroScope /)
    assert.equal(file.messages.length, stopped.messages + stopped.events, 'every message and event in the file')
    assert.equal(Number(file.statistics?.messageCount), file.messages.length)

    // Byte-exact, per socket and direction; the sender's order is kept on its channels.
    assert.deepEqual(framesOn(file, `${push}/out`), sent.map(hex))
    assert.deepEqual(framesOn(file, `${pull}/in`), sent.map(hex))
    assert.deepEqual(framesOn(file, `${dealerA}/out`), [hex([b('from a'), notUtf8])])
    assert.deepEqual(framesOn(file, `${router}/in`), [
      hex([b('dealer-a'), b('from a'), notUtf8]),
      hex([b('dealer-b'), b('from b')]),
    ])
    assert.deepEqual(framesOn(file, `${router}/out`), [
      hex([b('dealer-a'), b('reply a')]),
      hex([b('dealer-b'), b(''), all256]),
    ])
    assert.deepEqual(framesOn(file, `${dealerB}/in`), [hex([b(''), all256])])
    assert.deepEqual(framesOn(file, `${curveServer}/in`), [hex([b('over curve')])])
    assert.deepEqual(framesOn(file, `${plainServer}/in`), [hex([b('over plain')])])

    // The ROUTER's messages say their first frame is the peer's routing id (marker 1); nobody else has a peer.
    for (const channel of file.channels) {
      if (channel.topic === EVENTS_TOPIC) continue
      const markers = new Set(onChannel(file, channel.topic).map((m) => decodeLayout(m.data).marker))
      assert.deepEqual([...markers], [channel.topic.startsWith(`${router}/`) ? 1 : 0], channel.topic)
    }
    const peers = onChannel(file, `${router}/in`).map((m) => decodeLayout(m.data).peer?.toString())
    assert.deepEqual(peers, ['dealer-a', 'dealer-b'])

    // Channels: one per socket and direction that had traffic, each saying whose it is.
    const names = new Map(engine.list().map((s) => [s.id, s]))
    names.set(dealerB, { id: dealerB, name: 'client b', type: 'dealer' } as never)
    for (const channel of file.channels) {
      if (channel.topic === EVENTS_TOPIC) {
        assert.equal(channel.messageEncoding, 'json')
        continue
      }
      const [socketId, dir] = channel.topic.split('/')
      assert.equal(channel.messageEncoding, MULTIPART_ENCODING)
      assert.equal(channel.metadata.get('socketId'), socketId)
      assert.equal(channel.metadata.get('dir'), dir)
      assert.equal(channel.metadata.get('name'), names.get(socketId!)?.name, channel.topic)
      assert.equal(channel.metadata.get('type'), names.get(socketId!)?.type, channel.topic)
    }
    assert.equal(file.channels.filter((c) => c.topic !== EVENTS_TOPIC).length, 12)

    // Events: JSON on their own channel, the monitor's connect, accept and disconnect among them.
    const events = eventsOf(file)
    for (const [socketId, kind] of [
      [push, 'connect'],
      [pull, 'accept'],
      [router, 'accept'],
      [router, 'disconnect'],
    ] as const) {
      assert.ok(
        events.some((e) => e.socketId === socketId && e.kind === kind),
        `${kind} of ${socketId} in ${JSON.stringify(events)}`,
      )
    }
    assert.equal(events.length, stopped.events)

    // Log times: epoch nanoseconds of the receive, increasing in the order written, within the test's span.
    const bySequence = [...file.messages].sort((x, y) => x.sequence - y.sequence)
    for (let i = 1; i < bySequence.length; i++) {
      assert.ok(bySequence[i]!.logTime >= bySequence[i - 1]!.logTime, `log time of message ${i} goes back`)
    }
    const slackNs = 2_000_000_000n
    for (const m of file.messages) {
      assert.equal(typeof m.logTime, 'bigint')
      assert.ok(m.logTime >= BigInt(before) * 1_000_000n - slackNs, `log time ${m.logTime} before the test`)
      assert.ok(m.logTime <= BigInt(after) * 1_000_000n + slackNs, `log time ${m.logTime} after the test`)
    }
    assert.ok(
      file.messages.some((m) => m.logTime % 1_000_000n !== 0n),
      'sub-millisecond precision: times are nanoseconds, not milliseconds scaled',
    )

    // Topology: every socket, its endpoints and options, without secrets.
    const topology = file.metadata.find((m) => m.name === TOPOLOGY_METADATA)
    assert.ok(topology, 'topology metadata')
    assert.equal(topology.metadata.get('formatVersion'), '1')
    const sockets = JSON.parse(topology.metadata.get('sockets')!) as RecordedSocket[]
    assert.deepEqual(sockets.map((s) => s.id).sort(), [...names.keys()].sort())
    const recordedRouter = sockets.find((s) => s.id === router)!
    assert.equal(recordedRouter.type, 'router')
    assert.equal(recordedRouter.endpoints[0]?.address, routerAt)
    assert.deepEqual(sockets.find((s) => s.id === dealerA)!.options, { routingId: 'dealer-a' })
    assert.deepEqual(sockets.find((s) => s.id === curveServer)!.options.curve, {
      role: 'server',
      publicKey: serverKeys.publicKey,
    })
    assert.deepEqual(sockets.find((s) => s.id === plainServer)!.options.plain, {
      role: 'server',
      usernames: ['alice'],
    })
    const raw = readFileSync(stopped.path).toString('latin1')
    const unpacked = await decompressedText(stopped.path)
    assert.ok(unpacked.includes(serverKeys.publicKey), 'the decompressed text does hold what the file says')
    for (const secret of [serverKeys.secretKey, clientKeys.secretKey, password]) {
      assert.ok(!raw.includes(secret), `a secret in the raw bytes of ${basename(stopped.path)}`)
      assert.ok(!unpacked.includes(secret), `a secret in the decompressed records of ${basename(stopped.path)}`)
    }
  })

  it("scope 'chosen' keeps only the chosen sockets; a tap id keeps both of the tap's sides", async () => {
    const pull = engine.create('pull', 'chosen').id
    const push = engine.create('push', 'not chosen').id
    const otherPull = engine.create('pull', 'other').id
    const otherPush = engine.create('push').id
    await engine.connect(push, await bound(pull))
    await engine.connect(otherPush, await bound(otherPull))
    const service = engine.create('router', 'service').id
    engine.onReceive(service, (frames) => void engine.sendBytes(service, [...frames.slice(0, -1), b('re')]))
    const tap = await engine.taps.create({
      family: 'reqrep',
      clients: { mode: 'bind', endpoint: bindAddress('tcp') },
      service: { mode: 'connect', endpoint: await bound(service) },
    })
    const client = engine.create('dealer', 'client', { routingId: 'c1' }).id
    await engine.connect(client, tap.upstream.address)

    const chosen = await startRecording(services, { kind: 'chosen', socketIds: [pull], tapIds: [] }, 'chosen')
    await engine.sendBytes(push, [b('kept')])
    await engine.sendBytes(otherPush, [b('left out')])
    await Promise.all([probe.receivedAtLeast(pull, 1), probe.receivedAtLeast(otherPull, 1)])
    const first = await readBack((await stopRecording(services, chosen.id)).path)
    assert.deepEqual(
      first.channels.map((c) => c.topic).filter((t) => t !== EVENTS_TOPIC),
      [`${pull}/in`],
    )
    assert.deepEqual(framesOn(first, `${pull}/in`), [hex([b('kept')])])
    assert.ok(eventsOf(first).every((e) => e.socketId === pull))

    const tapped = await startRecording(services, { kind: 'chosen', socketIds: [], tapIds: [tap.id] }, 'tap')
    await engine.sendBytes(client, [b('ask')])
    await engine.sendBytes(push, [b('not this time')])
    await Promise.all([probe.receivedAtLeast(client, 1), probe.receivedAtLeast(pull, 2)])
    const second = await readBack((await stopRecording(services, tapped.id)).path)
    const sides = [tap.upstream.socketId, tap.downstream.socketId]
    assert.deepEqual(
      second.channels
        .map((c) => c.topic)
        .filter((t) => t !== EVENTS_TOPIC)
        .sort(),
      sides.map((s) => `${s}/in`).sort(),
    )
    assert.deepEqual(framesOn(second, `${tap.upstream.socketId}/in`), [hex([b('c1'), b('ask')])])
    assert.equal(framesOn(second, `${tap.downstream.socketId}/in`)[0]!.at(-1), b('re').toString('hex'))
    for (const channel of second.channels.filter((c) => c.topic !== EVENTS_TOPIC)) {
      assert.equal(channel.metadata.get('tapId'), tap.id)
      assert.equal(
        channel.metadata.get('tapSide'),
        channel.metadata.get('socketId') === tap.upstream.socketId ? 'upstream' : 'downstream',
      )
    }
  })

  /** Reads every file of a finished recording: each whole and indexed; numbered payloads, each exactly once. */
  async function assertRotated(files: string[], recorded: number, sentCount: number): Promise<void> {
    assert.deepEqual(
      files.map((f) => basename(f)),
      files.map((_, i) => (i === 0 ? 'rot.mcap' : `rot-${String(i + 1).padStart(3, '0')}.mcap`)),
    )
    const seen: number[] = []
    for (const path of files) {
      const file = await readBack(path)
      assert.equal(file.header.profile, RECORDING_PROFILE, basename(path))
      assert.ok(
        file.metadata.some((m) => m.name === TOPOLOGY_METADATA),
        `${basename(path)} has the topology`,
      )
      for (const m of file.messages) {
        const channel = file.channels.find((c) => c.id === m.channelId)!
        if (channel.topic === EVENTS_TOPIC) continue
        seen.push(decodeLayout(m.data).frames[0]!.readUInt32BE(0))
      }
    }
    assert.equal(seen.length, recorded, 'messages across the files = messages recorded')
    assert.equal(new Set(seen).size, seen.length, 'no message twice')
    assert.deepEqual(
      [...seen].sort((x, y) => x - y),
      Array.from({ length: sentCount }, (_, i) => i),
    )
  }

  const numbered = (i: number, size: number): Buffer => {
    const frame = randomBytes(size)
    frame.writeUInt32BE(i, 0)
    return frame
  }

  it('rotates by size: each file whole and indexed, every message once', async () => {
    const pull = engine.create('pull').id
    const push = engine.create('push').id
    await engine.connect(push, await bound(pull))
    const recording = await startRecording(services, { kind: 'chosen', socketIds: [pull], tapIds: [] }, 'rot', {
      maxBytes: 1024 * 1024,
    })
    // Random bytes do not compress: 17 × 64 KiB fill a 1 MiB chunk, and the file that holds it moves on.
    let count = 0
    for (let files = 2; files <= 4; files++) {
      for (let i = 0; i < 17; i++) await engine.sendBytes(push, [numbered(count++, 64 * 1024)])
      await probe.receivedAtLeast(pull, count)
      await probe.until(() => (recordingNow(probe, recording.id)?.files.length ?? 0) >= files)
    }
    const stopped = await stopRecording(services, recording.id)
    assert.equal(stopped.messages, count)
    assert.equal(stopped.files.length, 4)
    await assertRotated(stopped.files, stopped.messages, count)
  })

  it(
    'rotates by size under a burst: no file grows far past the limit',
    { todo: 'writer side: the size limit is checked on the engine thread after the backlog was handed over' },
    async () => {
      const pull = engine.create('pull').id
      const push = engine.create('push').id
      await engine.connect(push, await bound(pull))
      const limit = 1024 * 1024
      const recording = await startRecording(services, { kind: 'chosen', socketIds: [pull], tapIds: [] }, 'rot', {
        maxBytes: limit,
      })
      const count = 56
      for (let i = 0; i < count; i++) await engine.sendBytes(push, [numbered(i, 64 * 1024)])
      await probe.receivedAtLeast(pull, count)
      const stopped = await stopRecording(services, recording.id)
      await assertRotated(stopped.files, stopped.messages, count)
      // A file ends at the first chunk past the limit: at most the limit plus one chunk (and its summary).
      for (const path of stopped.files) {
        const size = statSync(path).size
        assert.ok(size <= 2 * limit + 128 * 1024, `${basename(path)} holds ${size} bytes with a 1 MiB limit`)
      }
    },
  )

  it('rotates by time: a new file each second, each whole, every message once', async () => {
    const pull = engine.create('pull').id
    const push = engine.create('push').id
    await engine.connect(push, await bound(pull))
    const recording = await startRecording(services, { kind: 'chosen', socketIds: [pull], tapIds: [] }, 'rot', {
      maxSeconds: 1,
    })
    // A message at every recordings event (about one a second while recording) until the third file starts.
    let sentCount = 0
    while ((recordingNow(probe, recording.id)?.files.length ?? 1) < 3) {
      await engine.sendBytes(push, [numbered(sentCount++, 16)])
      await probe.receivedAtLeast(pull, sentCount)
      const seen = probe.events.length
      await probe.until(() => probe.events.slice(seen).some((e) => e.type === 'recordings'))
    }
    await engine.sendBytes(push, [numbered(sentCount++, 16)])
    await probe.receivedAtLeast(pull, sentCount)
    const stopped = await stopRecording(services, recording.id)
    assert.equal(stopped.messages, sentCount)
    assert.ok(stopped.files.length >= 3)
    await assertRotated(stopped.files, stopped.messages, sentCount)
  })
})
