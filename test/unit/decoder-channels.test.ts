// Decoder rules through the contract, on real sockets: a rule decodes the selected message's frame (and says why
// a frame is not what it says), a protobuf rule needs its .proto, the field filter selects exactly the matching
// entries, a sequence rule counts what a sender skipped, and a plot sends the points of its field per topic.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import type { DecoderRule, EntryDecode, MatchResult, PlotSummary, ProtoSchema } from '../../contract/decoders'
import type { EngineEvent } from '../../contract/views'
import type { Services } from '../../main/host/services'
import { bindAddress } from '../helpers/addresses'
import { newServices, type Probe } from '../helpers/probe'
import { failed, ok } from '../helpers/recording-files'

let services: Services
let probe: Probe
let pull: string
let push: string

beforeEach(async () => {
  ;({ services, probe } = newServices())
  const engine = services.engine
  pull = engine.create('pull', 'readings').id
  push = engine.create('push', 'sender').id
  await engine.connect(push, (await engine.bind(pull, bindAddress('tcp'))).endpoints[0]!.address)
})
afterEach(() => services.shutdown())

/** Sends `messages` from the PUSH and waits until the PULL captured them all; their entry ids, in order. */
async function exchange(messages: Buffer[][]): Promise<number[]> {
  const before = probe.received(pull).length
  for (const frames of messages) await services.engine.sendBytes(push, frames)
  const got = await probe.receivedAtLeast(pull, before + messages.length)
  return got.slice(before).map((e) => e.id)
}

const addRule = (rule: object) => ok<DecoderRule>(services, Channel.decoderAdd, rule)
const onPull = (frame: number, decoder: object, topicPrefix = '') =>
  addRule({ scope: { kind: 'socket', socketId: pull }, topicPrefix, frame, decoder })
const lastEvent = <T extends EngineEvent['type']>(type: T) =>
  probe.events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type).at(-1)

describe('decoder rules over the contract', () => {
  it('decodes the frame a rule names, per topic prefix, and says why a frame is not what the rule says', async () => {
    const json = await onPull(1, { kind: 'json' }, 'json.')
    const fields = await onPull(-1, { kind: 'fields', names: ['zip', 'temp', 'humidity'] }, 'weather')
    const [a, b, c] = await exchange([
      [Buffer.from('json.a'), Buffer.from('{"temp": 31, "tags": ["x"]}')],
      [Buffer.from('weather'), Buffer.from('10001 -4 55')],
      [Buffer.from('json.b'), Buffer.from([0xff, 0x00])],
    ])
    const first = await ok<EntryDecode>(services, Channel.decodeEntry, { entryId: a })
    assert.deepEqual(first.frames, [
      {
        kind: 'decoded',
        ruleId: json.ruleId,
        frame: 1,
        decoder: 'json',
        value: {
          t: 'map',
          entries: [
            { key: 'temp', value: { t: 'num', v: 31 } },
            { key: 'tags', value: { t: 'list', items: [{ t: 'str', v: 'x' }] } },
          ],
        },
      },
    ])
    const second = await ok<EntryDecode>(services, Channel.decodeEntry, { entryId: b })
    assert.equal(second.frames.length, 1)
    assert.equal(second.frames[0]!.ruleId, fields.ruleId)
    assert.deepEqual(second.frames[0]!.kind === 'decoded' && second.frames[0]!.value, {
      t: 'map',
      entries: [
        { key: 'zip', value: { t: 'num', v: 10001 } },
        { key: 'temp', value: { t: 'num', v: -4 } },
        { key: 'humidity', value: { t: 'num', v: 55 } },
      ],
    })
    const third = await ok<EntryDecode>(services, Channel.decodeEntry, { entryId: c })
    assert.equal(third.frames[0]!.kind, 'failed')
    assert.match(third.frames[0]!.kind === 'failed' ? third.frames[0]!.error : '', /JSON|UTF-8/)
    assert.deepEqual(lastEvent('decoders')?.decoders.rules, [json, fields])
  })

  it('refuses a protobuf rule before its .proto is loaded, and one naming a type the file lacks', async () => {
    const missing = await failed(services, Channel.decoderAdd, {
      scope: { kind: 'any' },
      topicPrefix: '',
      frame: 0,
      decoder: { kind: 'protobuf', schemaId: 'proto-9', messageType: 'x.Y' },
    })
    assert.match(missing.message, /no \.proto is loaded as proto-9/)
    const bad = await failed(services, Channel.protoLoad, { name: 'bad.proto', text: 'mesage A { int32 x = 1; }' })
    assert.equal(bad.code, 'INVALID_REQUEST')
    assert.match(bad.message, /bad\.proto/)
    const schema = await ok<ProtoSchema>(services, Channel.protoLoad, {
      name: 'demo.proto',
      text: 'syntax = "proto3"; package demo; message Reading { int32 temp = 1; }',
    })
    assert.deepEqual(schema.messageTypes, ['demo.Reading'])
    const wrongType = await failed(services, Channel.decoderAdd, {
      scope: { kind: 'any' },
      topicPrefix: '',
      frame: 0,
      decoder: { kind: 'protobuf', schemaId: schema.schemaId, messageType: 'demo.Readings' },
    })
    assert.match(wrongType.message, /demo\.proto has no message type demo\.Readings; did you mean demo\.Reading/)
    const rule = await onPull(0, { kind: 'protobuf', schemaId: schema.schemaId, messageType: 'demo.Reading' })
    const [id] = await exchange([[Buffer.from([0x08, 0x96, 0x01])]])
    const decoded = await ok<EntryDecode>(services, Channel.decodeEntry, { entryId: id })
    assert.equal(decoded.frames[0]!.kind === 'decoded' && decoded.frames[0]!.ruleId, rule.ruleId)
    const removed = await failed(services, Channel.protoRemove, { schemaId: schema.schemaId })
    assert.match(removed.message, new RegExp(`rules ${rule.ruleId} decode with this \\.proto`))
  })

  it('the field filter selects exactly the entries whose decoded fields match; a bad expression says where', async () => {
    await onPull(0, { kind: 'fields', names: ['zip', 'temp'] })
    const temps = [12, 31, -40, 30, 99, 31]
    const ids = await exchange(temps.map((t, i) => [Buffer.from(`${10000 + i} ${t}`)]))
    const match = (expression: string) =>
      ok<MatchResult>(services, Channel.logMatch, { expression, ids: [...ids, 999_999] })
    const hot = await match('temp > 30')
    assert.deepEqual(
      hot.ids,
      ids.filter((_, i) => temps[i]! > 30),
    )
    assert.deepEqual(hot.gone, [999_999])
    assert.deepEqual(
      (await match('temp == 31 && zip == 10005')).ids,
      ids.filter((_, i) => i === 5),
    )
    const error = await failed(services, Channel.logMatch, { expression: 'temp >', ids })
    assert.equal(error.code, 'INVALID_REQUEST')
    assert.match(error.message, /the filter expression: at \d+/)
  })

  it('a sequence rule counts gaps, repeats and reorders per topic; reset starts again', async () => {
    const rule = await onPull(-1, { kind: 'sequence', format: 'u32le' })
    const seq = (n: number) => {
      const b = Buffer.alloc(4)
      b.writeUInt32LE(n)
      return b
    }
    // Topic a: 1 2 5 (gap of 2) 5 (repeat) 4 (reorder); topic b: 7 8 in order.
    await exchange(
      [
        ['a', 1],
        ['a', 2],
        ['b', 7],
        ['a', 5],
        ['a', 5],
        ['b', 8],
        ['a', 4],
      ].map(([t, n]) => [Buffer.from(t as string), seq(n as number)]),
    )
    await probe.until(() => lastEvent('sequences') !== undefined)
    const stats = lastEvent('sequences')!.stats
    const counts = stats.rules.find((r) => r.ruleId === rule.ruleId)!.counts
    const a = counts.find((c) => c.topic === 'a')!
    const b = counts.find((c) => c.topic === 'b')!
    assert.deepEqual([a.received, a.gaps, a.repeats, a.reorders], [5, 1, 1, 1])
    assert.deepEqual([b.received, b.gaps, b.repeats, b.reorders], [2, 0, 0, 0])
    assert.deepEqual(
      stats.marks.map((m) => m.kind),
      ['gap', 'repeat', 'reorder'],
    )
    // The socket's timeline says so too, beside its connects.
    await probe.until(() => probe.timeline.filter((t) => t.kind.startsWith('sequence:')).length === 3)
    assert.deepEqual(
      probe.timeline.filter((t) => t.kind.startsWith('sequence:')).map((t) => [t.socketId, t.kind]),
      [
        [pull, 'sequence:gap'],
        [pull, 'sequence:repeat'],
        [pull, 'sequence:reorder'],
      ],
    )
    assert.match(probe.timeline.find((t) => t.kind === 'sequence:gap')!.error!, /on a: expected 3, got 5/)
    await ok<null>(services, Channel.sequenceReset, {})
    const reset = await ok<{ rules: { counts: unknown[] }[] }>(services, Channel.sequenceStats, {})
    assert.deepEqual(reset.rules[0]!.counts, [])
  })

  it('a plot sends its field per series as messages arrive, and stops when removed', async () => {
    const rule = await onPull(0, { kind: 'fields', names: ['zip', 'temp'] })
    const plot = await ok<PlotSummary>(services, Channel.plotAdd, {
      ruleId: rule.ruleId,
      path: ['temp'],
      seriesBy: ['zip'],
    })
    await exchange([[Buffer.from('10001 20')], [Buffer.from('10002 -3')], [Buffer.from('10001 21')]])
    const points = () =>
      probe.events.flatMap((e) => (e.type === 'plot-points' ? e.points.filter((p) => p.plotId === plot.plotId) : []))
    await probe.until(() => points().reduce((n, p) => n + p.v.length, 0) === 3)
    const byKey = new Map<string, number[]>()
    for (const p of points()) byKey.set(p.key, [...(byKey.get(p.key) ?? []), ...p.v])
    assert.deepEqual(Object.fromEntries(byKey), { '10001': [20, 21], '10002': [-3] })
    await ok<null>(services, Channel.plotRemove, { plotId: plot.plotId })
    assert.deepEqual(await ok<PlotSummary[]>(services, Channel.plotList, {}), [])
    assert.equal(services.engine.decoders.active, false)
  })
})
