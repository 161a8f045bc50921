// Protobuf from someone else's toolchain: a .proto compiled by Debian's protoc, messages built by Debian's
// python3-protobuf and published by a pyzmq peer, decoded field-exact with the same .proto loaded into
// ProtoSchemas, and walked without a schema to the same field numbers.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { after, afterEach, before, describe, it } from 'node:test'
import * as zmq from 'zeromq'
import type { DecodedEntry, DecodedValue } from '../../contract/decoders'
import { decodeProtobufRaw } from '../../main/engine/decode/protobuf-raw'
import { ProtoSchemas } from '../../main/engine/decode/protobuf-schemas'
import { bindAddress } from '../helpers/addresses'
import { PythonPeer } from '../helpers/python-peer'

const WEATHER_PROTO = `syntax = "proto3";
package weather;

message Reading {
  string station = 1;
  int32 temp = 2;
  double humidity = 3;
  int64 seq = 4;
  repeated float samples = 5;
  Nested nested = 6;
  optional bytes raw = 7;
  enum Kind { KIND_UNSPECIFIED = 0; SUN = 1; RAIN = 2; }
  Kind kind = 8;
  uint64 counter = 9;
  message Nested { string label = 1; sint32 level = 2; }
}
`

// protobuf's JSON mapping, as python's json_format.ParseDict reads it: 64-bit integers as text, bytes as base64.
const READINGS = [
  {
    station: 'Zürich ☀',
    temp: -40,
    humidity: 0.55,
    seq: '9007199254740993',
    samples: [1.5, -0.25, 0.1],
    nested: { label: 'roof', level: -3 },
    raw: '',
    kind: 'RAIN',
    counter: '18446744073709551615',
  },
  { station: '10001', temp: 2147483647, seq: '-1', raw: 'AP8=', kind: 'SUN' },
  { temp: -2147483648, humidity: -1e-300, seq: '9223372036854775807' },
]

const entry = (key: string, value: DecodedValue, note: string): DecodedEntry => ({ key, value, note })
const num = (v: number): DecodedValue => ({ t: 'num', v })
const int = (v: string): DecodedValue => ({ t: 'int', v })
const str = (v: string): DecodedValue => ({ t: 'str', v })
const bytes = (hex: string): DecodedValue => {
  const b = Buffer.from(hex, 'hex')
  return { t: 'bytes', b64: b.toString('base64'), length: b.length }
}

const EXPECTED: DecodedValue[] = [
  {
    t: 'map',
    entries: [
      entry('station', str('Zürich ☀'), '1 string'),
      entry('temp', num(-40), '2 int32'),
      entry('humidity', num(0.55), '3 double'),
      entry('seq', int('9007199254740993'), '4 int64'),
      entry('samples', { t: 'list', items: [num(1.5), num(-0.25), num(Math.fround(0.1))] }, '5 repeated float'),
      entry(
        'nested',
        { t: 'map', entries: [entry('label', str('roof'), '1 string'), entry('level', num(-3), '2 sint32')] },
        '6 Nested',
      ),
      entry('raw', bytes(''), '7 bytes'),
      entry('kind', str('RAIN'), '8 Kind'),
      entry('counter', int('18446744073709551615'), '9 uint64'),
    ],
  },
  {
    t: 'map',
    entries: [
      entry('station', str('10001'), '1 string'),
      entry('temp', num(2147483647), '2 int32'),
      entry('seq', num(-1), '4 int64'),
      entry('raw', bytes('00ff'), '7 bytes'),
      entry('kind', str('SUN'), '8 Kind'),
    ],
  },
  {
    t: 'map',
    entries: [
      entry('temp', num(-2147483648), '2 int32'),
      entry('humidity', num(-1e-300), '3 double'),
      entry('seq', int('9223372036854775807'), '4 int64'),
    ],
  },
]

let dir: string
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zs-protobuf-'))
  await writeFile(join(dir, 'weather.proto'), WEATHER_PROTO)
  await promisify(execFile)('protoc', [`--proto_path=${dir}`, `--python_out=${dir}`, join(dir, 'weather.proto')])
})
after(async () => {
  await rm(dir, { recursive: true, force: true })
})

for (const transport of ['tcp', 'ipc'] as const) {
  describe(`protobuf from python3-protobuf over pyzmq (${transport})`, () => {
    let peer: PythonPeer | undefined
    let sub: zmq.Subscriber | undefined
    afterEach(async () => {
      sub?.close()
      await peer?.stop()
    })

    it('decodes every Reading field-exact with the loaded .proto, and shows its field numbers without it', async () => {
      peer = new PythonPeer('protobuf_pub.py', [dir, bindAddress(transport), JSON.stringify(READINGS)])
      const endpoint = (await peer.line(/^endpoint (\S+)$/))[1]!
      sub = new zmq.Subscriber({ receiveTimeout: 20_000 })
      sub.subscribe('weather')
      sub.connect(endpoint)
      const payloads: Buffer[] = []
      for (let i = 0; i < READINGS.length; i++) {
        const frames: Buffer[] = await sub.receive()
        const [topic, payload, ...rest] = frames
        assert.equal(topic?.toString(), 'weather')
        assert.equal(rest.length, 0)
        payloads.push(payload!)
      }
      await peer.line(/^sent 3$/)

      const schemas = new ProtoSchemas()
      const schema = schemas.load('weather.proto', WEATHER_PROTO)
      assert.deepEqual(schema.messageTypes, ['weather.Reading', 'weather.Reading.Nested'])
      const decoded = payloads.map((p) => schemas.decode(schema.schemaId, 'weather.Reading', p))
      assert.deepEqual(decoded, EXPECTED)

      // Python serializes in field-number order; the walk keeps wire order and says each field's wire type.
      const raw = decodeProtobufRaw(payloads[0]!)
      assert.equal(raw.t, 'map')
      const fields = raw.t === 'map' ? raw.entries : []
      assert.deepEqual(
        fields.map((f) => [f.key, f.note]),
        [
          ['1', 'len'],
          ['2', 'varint; as int64 -40'],
          ['3', 'fixed64; as double 0.55'],
          ['4', 'varint'],
          ['5', 'len'],
          ['6', 'len'],
          ['7', 'len'],
          ['8', 'varint'],
          ['9', 'varint; as int64 -1'],
        ],
      )
      assert.deepEqual(fields[0]!.value, str('Zürich ☀'))
      assert.deepEqual(fields[1]!.value, int('18446744073709551576'))
      assert.deepEqual(fields[3]!.value, int('9007199254740993'))
      // Packed floats: 1.5, -0.25 and 0.1 as float32, little-endian.
      assert.deepEqual(fields[4]!.value, bytes('0000c03f000080becdcccc3d'))
      assert.deepEqual(fields[5]!.value, {
        t: 'map',
        entries: [entry('1', str('roof'), 'len'), entry('2', num(5), 'varint')],
      })
      assert.deepEqual(fields[6]!.value, str(''))
      assert.deepEqual(fields[7]!.value, num(2))
      assert.deepEqual(fields[8]!.value, int('18446744073709551615'))
    })
  })
}
