// Contract fuzzing: 10,000+ random and malformed calls over every channel against a real engine. Nothing may
// throw, reject unhandled or crash; every refusal is a structured error; the engine still works afterwards.
import assert from 'node:assert/strict'
import { sep } from 'node:path'
import { after, describe, it } from 'node:test'
import { dispatch } from '../../main/host/dispatch'
import { Channel, CHANNEL_NAMES } from '../../contract/channels'
import {
  ERROR_CODES,
  SOCKET_TYPES,
  type CaptureExport,
  type ErrorCode,
  type Result,
  type SocketSummary,
} from '../../contract/views'
import type { TapSummary } from '../../contract/taps'
import { newServices, testExportsDir, text } from '../helpers/probe'
import { seededRng } from '../helpers/rng'

/** Every code but INTERNAL: an internal error is a bug the fuzz must surface. */
const CODES: readonly ErrorCode[] = ERROR_CODES.filter((code) => code !== 'INTERNAL')

// Deterministic (the shared mulberry32) so a failure reproduces with the printed seed.
const SEED = Number(process.env.ZEROSCOPE_FUZZ_SEED ?? 20261123)
const { next: random, pick } = seededRng(SEED)
const HUGE = 'x'.repeat(2 * 1024 * 1024)
const FRAME_64MB = Buffer.alloc(64 * 1024 * 1024, 0xab).toString('base64')
const INVALID_UTF8 = Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]).toString('base64')

function value(depth = 0): unknown {
  const generators: (() => unknown)[] = [
    () => null,
    () => undefined,
    () => pick([true, false]),
    () => pick([0, -1, 1.5, Number.NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 31), 1e308]),
    () => pick(['', 's1', 's999999999', 't1', 'tcp://127.0.0.1:*', 'inproc://fuzz', '\ud800', 'ü', HUGE]),
    () => pick(['__proto__', 'constructor', 'prototype']),
    () => (depth > 3 ? [] : Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1))),
    () => (depth > 3 ? {} : object(depth + 1)),
    () => JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'),
  ]
  return pick(generators)()
}

function object(depth: number): Record<string, unknown> {
  const keys = [
    'socketId',
    'type',
    'endpoint',
    'frames',
    'prefix',
    'options',
    'limit',
    'beforeId',
    'entryId',
    'name',
    'preset',
    'maxBytes',
    'cols',
    'rows',
    'data',
    'terminalId',
    '__proto__',
  ]
  const out: Record<string, unknown> = {}
  for (let i = Math.floor(random() * 4); i > 0; i--)
    Object.defineProperty(out, pick(keys), {
      value: value(depth),
      enumerable: true,
      configurable: true,
      writable: true,
    })
  return out
}

const frame = (): unknown =>
  pick([
    { enc: 'text', data: pick(['Hello', '', '\ud800\udfff\ud800', HUGE]) },
    { enc: 'hex', data: pick(['00ff', 'zz', 'abc', '']) },
    { enc: 'base64', data: pick([INVALID_UTF8, '***', '']) },
    { enc: 'json', data: pick(['{"a":1}', '{nope', '[]']) },
    { enc: 'utf16', data: 'x' },
    value(),
  ])

/** A tap's side as a user might write it: right shape, random mode and endpoint, sometimes options. */
function tapSide(endpoint: () => string): unknown {
  return {
    mode: pick(['bind', 'connect', 'both']),
    endpoint: endpoint(),
    ...(random() < 0.2 ? { options: object(2) } : {}),
  }
}

/** Plausible payloads: right shape, wrong or hostile contents, so calls get past the schema sometimes. */
function plausible(channel: string, sockets: string[], taps: string[]): unknown {
  const socketId = pick([...sockets, 's999', 'x', ''])
  const endpoint = pick([
    'tcp://127.0.0.1:*',
    'inproc://fuzz-' + Math.floor(random() * 50),
    'tcp://127.0.0.1:1',
    'ipc:///nonexistent/dir/x',
    'tcp://*:0',
    'bogus',
  ])
  switch (channel) {
    case Channel.socketCreate:
      return {
        type: pick([...SOCKET_TYPES, 'nope']),
        ...(random() < 0.3 ? { options: object(2) } : {}),
      }
    case Channel.socketBind:
    case Channel.socketConnect:
    case Channel.socketUnbind:
    case Channel.socketDisconnect:
      return { socketId, endpoint }
    case Channel.socketSend:
      return { socketId, frames: Array.from({ length: Math.floor(random() * 4) }, frame) }
    case Channel.socketSubscribe:
    case Channel.socketUnsubscribe:
      return { socketId, prefix: frame() }
    case Channel.socketClose:
      return { socketId }
    case Channel.logQuery:
      return { limit: pick([1, 100, 5000, 5001, -1]), beforeId: pick([undefined, 0, 10, -5]) }
    case Channel.logFrames:
      return { entryId: pick([0, 1, 2, 1e9, -1]) }
    case Channel.terminalOpen:
      return { cols: 80, rows: 24 }
    case Channel.tapCreate: {
      const sides = pick([
        ['reqrep', 'clients', 'service'],
        ['pubsub', 'publishers', 'subscribers'],
        ['pipeline', 'producers', 'consumers'],
        ['reqrep', 'publishers', 'service'],
      ] as const)
      const side = () =>
        tapSide(() =>
          pick(['tcp://127.0.0.1:*', 'inproc://fuzz-tap-' + Math.floor(random() * 20), 'tcp://127.0.0.1:1', 'bogus']),
        )
      return { family: sides[0], [sides[1]]: side(), [sides[2]]: side() }
    }
    case Channel.tapClose:
    case Channel.tapPause:
    case Channel.tapResume:
    case Channel.tapStep:
    case Channel.tapStats:
      return { tapId: pick([...taps, 'tap999', 'x']) }
    case Channel.tapPair:
      return { entryId: pick([0, 1, 2, 1e9, -1]) }
    default:
      return object(1)
  }
}

describe('contract fuzzing', () => {
  // Through the helper, so the fuzz's log:export calls write into a temp folder (never the user's home); at the
  // engine's own delivery cadence, as the hosts run it.
  const { services, probe } = newServices(
    { sendTimeoutMs: 0, ringBytes: 256 * 1024 * 1024, batchIntervalMs: 33 },
    { kind: 'disabled', reason: 'no shells while fuzzing' },
  )
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  after(async () => {
    process.off('unhandledRejection', onUnhandled)
    await services.shutdown()
  })

  it(`10,000 random and malformed calls (seed ${SEED}) leave no crash and only structured errors`, async () => {
    const sockets: string[] = []
    const taps: string[] = []
    const tally = { ok: 0, refused: 0 }
    const exported: string[] = []
    const check = (channel: string, result: Result<unknown>): void => {
      if (result.ok) {
        tally.ok++
        if (channel === Channel.socketCreate) sockets.push((result.value as SocketSummary).id)
        if (channel === Channel.tapCreate) taps.push((result.value as TapSummary).id)
        if (channel === Channel.logExport) exported.push((result.value as CaptureExport).path)
        return
      }
      tally.refused++
      assert.ok(
        CODES.includes(result.error.code),
        `${channel}: unexpected code ${result.error.code}: ${result.error.message}`,
      )
      assert.equal(typeof result.error.message, 'string')
      assert.ok(
        result.error.message.length > 0 && result.error.message.length < 2000,
        `${channel}: message of ${result.error.message.length} chars`,
      )
    }
    for (let i = 0; i < 10_000; i++) {
      const channel =
        random() < 0.05 ? pick(['', 'socket:', 'log:clear ', '__proto__', 'constructor']) : pick(CHANNEL_NAMES)
      const payload = random() < 0.5 ? value() : plausible(channel, sockets, taps)
      if (process.env.ZEROSCOPE_FUZZ_TRACE) console.error(i, channel, JSON.stringify(payload)?.slice(0, 200))
      check(channel, await dispatch(services, channel, payload))
    }
    assert.ok(taps.length > 0, 'some fuzzed taps were made, so tap channels reached a live tap')
    // The heavy cases, each at least once: 64 MiB frames, empty frame lists, invalid UTF-8 as text.
    const pair = await dispatch(services, Channel.socketCreate, { type: 'pair' })
    assert.ok(pair.ok)
    const pairId = (pair.value as SocketSummary).id
    check(
      Channel.socketSend,
      await dispatch(services, Channel.socketSend, { socketId: pairId, frames: [{ enc: 'base64', data: FRAME_64MB }] }),
    )
    check(Channel.socketSend, await dispatch(services, Channel.socketSend, { socketId: pairId, frames: [] }))
    check(
      Channel.socketSend,
      await dispatch(services, Channel.socketSend, { socketId: pairId, frames: [{ enc: 'text', data: '\udc00' }] }),
    )
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution')
    assert.deepEqual(unhandled, [])
    assert.ok(tally.ok > 100 && tally.refused > 5000, JSON.stringify(tally))
    assert.ok(exported.length > 0, 'the fuzz exported the capture at least once')
    const outside = exported.filter((path) => !path.startsWith(`${testExportsDir()}${sep}`))
    assert.deepEqual(outside, [], 'every export went to the temp folder')
  })

  it('afterwards the engine still serves a normal REQ/REP round trip', async () => {
    const call = async <T>(channel: string, payload: unknown): Promise<T> => {
      const result = await dispatch(services, channel, payload)
      assert.ok(result.ok, JSON.stringify(result))
      return result.value as T
    }
    const rep = await call<SocketSummary>(Channel.socketCreate, { type: 'rep', name: 'after-fuzz rep' })
    const bound = await call<SocketSummary>(Channel.socketBind, { socketId: rep.id, endpoint: 'tcp://127.0.0.1:*' })
    const req = await call<SocketSummary>(Channel.socketCreate, { type: 'req', options: { sendTimeout: 2000 } })
    await call(Channel.socketConnect, { socketId: req.id, endpoint: bound.endpoints[0]!.address })
    await call(Channel.socketSend, { socketId: req.id, frames: [{ enc: 'text', data: 'Hello' }] })
    await probe.until(() => probe.received(rep.id).length === 1)
    await call(Channel.socketSend, { socketId: rep.id, frames: [{ enc: 'text', data: 'World' }] })
    await probe.until(() => probe.received(req.id).length === 1)
    assert.equal(text(probe.received(req.id)[0]!), 'World')
  })
})
