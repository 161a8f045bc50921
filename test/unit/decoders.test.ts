// The engine's frame decoders: plain values as DecodedValue trees, every DecoderSpec kind on good and bad bytes,
// CBOR/msgpack round trips, schemaless protobuf on handcrafted wire bytes, and loaded .proto schemas.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encode as encodeMsgpack } from '@msgpack/msgpack'
import { encode as encodeCbor } from 'cborg'
import protobuf from 'protobufjs'
import type { DecodedValue, DecoderSpec } from '../../contract/decoders'
import { decodeFrame, sequenceOf } from '../../main/engine/decode/decode-frame'
import { decodeProtobufRaw } from '../../main/engine/decode/protobuf-raw'
import { MAX_PROTO_SCHEMAS, ProtoSchemas } from '../../main/engine/decode/protobuf-schemas'
import { CborTag, scalarOf, toDecoded, valueAt } from '../../main/engine/decode/value'

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'))
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const num = (v: number): DecodedValue => ({ t: 'num', v })
const int = (v: string): DecodedValue => ({ t: 'int', v })
const str = (v: string): DecodedValue => ({ t: 'str', v })
const list = (...items: DecodedValue[]): DecodedValue => ({ t: 'list', items })
// Object.entries puts integer-like keys first: expectations with such keys spell out their entries.
const map = (entries: Record<string, DecodedValue>): DecodedValue => ({
  t: 'map',
  entries: Object.entries(entries).map(([key, value]) => ({ key, value })),
})
const decodeAs = (bytes: Uint8Array, spec: DecoderSpec): DecodedValue => decodeFrame(bytes, spec, new ProtoSchemas())
const failure = (bytes: Uint8Array, spec: DecoderSpec): string => {
  try {
    decodeAs(bytes, spec)
  } catch (error) {
    return (error as Error).message
  }
  assert.fail(`${spec.kind} decoded ${Buffer.from(bytes).toString('hex')}`)
}

describe('plain values as decoded trees', () => {
  it('converts scalars, bytes, lists, maps, dates, CBOR tags and protobufjs Longs', () => {
    const value = toDecoded({
      nothing: null,
      missing: undefined,
      yes: true,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      safe: 2n ** 53n - 1n,
      huge: -(2n ** 63n),
      text: 'héllo',
      bytes: new Uint8Array([0xde, 0xad]),
      buffer: Buffer.from('hi'),
      list: [1, [2]],
      keyed: new Map<unknown, unknown>([
        [7, 'seven'],
        ['k', 'kay'],
      ]),
      when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      tagged: new CborTag(99, 'x'),
      long: { low: -1, high: -1, unsigned: true },
      negativeLong: { low: -5, high: -1, unsigned: false },
    })
    assert.deepEqual(
      value,
      map({
        nothing: { t: 'null' },
        missing: { t: 'null' },
        yes: { t: 'bool', v: true },
        nan: num(Number.NaN),
        inf: num(Number.POSITIVE_INFINITY),
        safe: num(Number.MAX_SAFE_INTEGER),
        huge: int('-9223372036854775808'),
        text: str('héllo'),
        bytes: { t: 'bytes', b64: '3q0=', length: 2 },
        buffer: { t: 'bytes', b64: 'aGk=', length: 2 },
        list: list(num(1), list(num(2))),
        keyed: map({ '7': str('seven'), k: str('kay') }),
        when: str('2024-01-02T03:04:05.000Z'),
        tagged: map({ tag: num(99), value: str('x') }),
        long: int('18446744073709551615'),
        negativeLong: num(-5),
      }),
    )
  })

  it('shows at most 4096 bytes of a long bytes value and says its whole length', () => {
    const bytes = new Uint8Array(5000).fill(7)
    assert.deepEqual(toDecoded(bytes), {
      t: 'bytes',
      b64: Buffer.from(bytes.subarray(0, 4096)).toString('base64'),
      length: 5000,
    })
  })

  it('answers deep nesting, cycles and huge values with an error, not a stack overflow', () => {
    let deep: unknown = 1
    for (let i = 0; i < 100; i++) deep = [deep]
    assert.throws(() => toDecoded(deep), { message: 'the value is nested deeper than 64 levels' })
    const cycle: unknown[] = []
    cycle.push(cycle)
    assert.throws(() => toDecoded(cycle), { message: 'the value is nested deeper than 64 levels' })
    assert.throws(() => toDecoded(new Array(200_000).fill(0)), {
      message: 'the value has more than 100000 parts: too large to show',
    })
  })

  it('walks map keys and list indices; reads leaves as scalars', () => {
    const value = map({
      header: map({ msg_type: str('execute_reply') }),
      temps: list(num(21), int('9007199254740993')),
    })
    assert.deepEqual(valueAt(value, ['header', 'msg_type']), str('execute_reply'))
    assert.deepEqual(valueAt(value, ['temps', '1']), int('9007199254740993'))
    assert.deepEqual(valueAt(value, []), value)
    assert.equal(valueAt(value, ['temps', '2']), undefined)
    assert.equal(valueAt(value, ['temps', 'x']), undefined)
    assert.equal(valueAt(value, ['header', 'msg_type', 'deeper']), undefined)
    assert.equal(scalarOf(num(21)), 21)
    assert.equal(scalarOf(int('9007199254740993')), 9007199254740992)
    assert.equal(scalarOf(str('a')), 'a')
    assert.equal(scalarOf({ t: 'bool', v: false }), false)
    assert.equal(scalarOf({ t: 'null' }), null)
    assert.equal(scalarOf(value), undefined)
    assert.equal(scalarOf({ t: 'bytes', b64: '', length: 0 }), undefined)
  })
})

describe('JSON, msgpack and CBOR frames', () => {
  it('decodes JSON in key order and names what is wrong', () => {
    assert.deepEqual(
      decodeAs(utf8('{"z": [1, 2.5, null, true, "x"], "a": {}}'), { kind: 'json' }),
      map({ z: list(num(1), num(2.5), { t: 'null' }, { t: 'bool', v: true }, str('x')), a: map({}) }),
    )
    assert.match(failure(utf8('{"a": }'), { kind: 'json' }), /^not JSON: Unexpected token/)
    assert.equal(failure(hex('7b 22 ff'), { kind: 'json' }), 'not JSON: the byte at 2 is not valid UTF-8')
    assert.equal(failure(hex('c3 a9 ed'), { kind: 'json' }), 'not JSON: the byte at 2 is not valid UTF-8')
    assert.equal(failure(hex('e2 82'), { kind: 'json' }), 'not JSON: the byte at 0 is not valid UTF-8')
    assert.equal(failure(utf8(' '), { kind: 'json' }), 'not JSON: the frame is empty')
  })

  const jsonKeepsSource = JSON.parse(
    '1',
    ((_k: string, _v: unknown, c?: { source?: string }) => c?.source === '1') as Parameters<typeof JSON.parse>[1],
  ) as unknown
  it(
    'keeps JSON integers beyond 2^53 exact where the runtime shows the reviver the source',
    {
      skip: jsonKeepsSource === true ? false : 'this Node has no JSON.parse source access',
    },
    () => {
      assert.deepEqual(
        decodeAs(utf8('[9007199254740993, 1.5]'), { kind: 'json' }),
        list(int('9007199254740993'), num(1.5)),
      )
    },
  )

  it('round-trips msgpack: nested maps, bytes, 64-bit integers, floats, empty containers', () => {
    const packed = encodeMsgpack(
      {
        name: 'é',
        nested: { deep: { x: [1, -2, 3.25] } },
        bytes: new Uint8Array([9, 8]),
        big: 2n ** 64n - 1n,
        neg: -(2n ** 63n),
        small: 5n,
        f: 0.1,
        empty: [],
        emptyMap: {},
        nil: null,
      },
      { useBigInt64: true },
    )
    assert.deepEqual(
      decodeAs(packed, { kind: 'msgpack' }),
      map({
        name: str('é'),
        nested: map({ deep: map({ x: list(num(1), num(-2), num(3.25)) }) }),
        bytes: { t: 'bytes', b64: 'CQg=', length: 2 },
        big: int('18446744073709551615'),
        neg: int('-9223372036854775808'),
        small: num(5),
        f: num(0.1),
        empty: list(),
        emptyMap: map({}),
        nil: { t: 'null' },
      }),
    )
    // Keys keep the wire's order, integer-like text and integer keys too (a JS object would sort them first).
    assert.deepEqual(decodeAs(hex('83 a1 7a 01 a1 35 02 03 c0'), { kind: 'msgpack' }), {
      t: 'map',
      entries: [
        { key: 'z', value: num(1) },
        { key: '5', value: num(2) },
        { key: '3', value: { t: 'null' } },
      ],
    })
    // The timestamp extension (type -1) is a date.
    assert.deepEqual(
      decodeAs(hex('81 a3 657874 d6 ff 65920080'), { kind: 'msgpack' }),
      map({ ext: str('2024-01-01T00:00:00.000Z') }),
    )
    assert.equal(
      failure(hex('81 91 01 02'), { kind: 'msgpack' }),
      'not msgpack: a map key is object; only text and number keys are shown',
    )
    assert.equal(failure(hex('82 a1 61'), { kind: 'msgpack' }), 'not msgpack: unexpected end of input at byte 3')
    assert.equal(
      failure(hex('01 02'), { kind: 'msgpack' }),
      'not msgpack: the item ends at byte 1 but the frame has 2 bytes (a frame holds one item)',
    )
    assert.equal(failure(hex('c1'), { kind: 'msgpack' }), 'not msgpack: Unrecognized type byte: 0xc1')
    assert.equal(failure(new Uint8Array(), { kind: 'msgpack' }), 'not msgpack: the frame is empty')
  })

  it('round-trips CBOR: non-string map keys in order, bytes, bignums, floats, dates, tags', () => {
    // Written by cborg in wire order (no canonical key sort), then a date (tag 1) and an unknown tag by hand.
    const body = encodeCbor(
      new Map<unknown, unknown>(
        Object.entries({
          keyed: new Map<unknown, unknown>([
            ['b', 'bee'],
            [2, 'two'],
            [-1, 'minus one'],
          ]),
          nested: { deep: { list: [1.5, 0.1, -7] } },
          bytes: new Uint8Array([0, 1, 255]),
          big: 2n ** 64n - 1n,
          neg: -(2n ** 64n),
          safe: 2n ** 40n,
          empty: [],
          nil: null,
        }),
      ),
      { mapSorter: () => 0 },
    )
    // The map grows by two entries: "when" = 1(1704164645), "tagged" = 99("x").
    const encoded = Buffer.concat([
      Buffer.from([body[0]! + 2]),
      Buffer.from(body.subarray(1)),
      hex('64 7768656e c1 1a 65937d25'),
      hex('66 746167676564 d8 63 61 78'),
    ])
    assert.deepEqual(
      decodeAs(encoded, { kind: 'cbor' }),
      map({
        keyed: {
          t: 'map',
          entries: [
            { key: 'b', value: str('bee') },
            { key: '2', value: str('two') },
            { key: '-1', value: str('minus one') },
          ],
        },
        nested: map({ deep: map({ list: list(num(1.5), num(0.1), num(-7)) }) }),
        bytes: { t: 'bytes', b64: 'AAH/', length: 3 },
        big: int('18446744073709551615'),
        neg: int('-18446744073709551616'),
        safe: num(2 ** 40),
        empty: list(),
        nil: { t: 'null' },
        when: str('2024-01-02T03:04:05.000Z'),
        tagged: map({ tag: num(99), value: str('x') }),
      }),
    )
    // {"z": 1, "5": 2} keeps the wire's key order; a JS object would put "5" first.
    assert.deepEqual(decodeAs(hex('a2 61 7a 01 61 35 02'), { kind: 'cbor' }), {
      t: 'map',
      entries: [
        { key: 'z', value: num(1) },
        { key: '5', value: num(2) },
      ],
    })
    // A byte string (major type 2) reads as bytes.
    assert.deepEqual(decodeAs(hex('a1 61 62 43 00 01 ff'), { kind: 'cbor' }), map({ b: toDecoded(hex('0001ff')) }))
  })

  it('says why bytes are not CBOR', () => {
    assert.equal(
      failure(hex('a2 61 61 01'), { kind: 'cbor' }),
      'not CBOR: found map but not enough entries (got 1 [no key], expected 2)',
    )
    assert.equal(
      failure(hex('82 01 02 03 04'), { kind: 'cbor' }),
      'not CBOR: the item ends at byte 3 but the frame has 5 bytes (a frame holds one item)',
    )
    assert.equal(failure(hex('1c'), { kind: 'cbor' }), 'not CBOR: encountered invalid minor (28) for major 0')
    assert.equal(failure(new Uint8Array(), { kind: 'cbor' }), 'not CBOR: the frame is empty')
  })
})

describe('schemaless protobuf', () => {
  const field = (key: string, value: DecodedValue, note: string) => ({ key, value, note })

  it('walks varints, strings, nested messages, packed repeated, bytes and fixed widths in wire order', () => {
    const bytes = hex(
      '08 96 01' + // 1: varint 150
        '12 07 74 65 73 74 69 6e 67' + // 2: "testing"
        '1a 03 08 96 01' + // 3: nested message {1: 150}
        '22 06 03 8e 02 9e a7 05' + // 4: packed varints 3, 270, 86942 (not a message: field 0)
        '2a 02 ff 00' + // 5: bytes
        '35 00 00 c0 3f' + // 6: fixed32, float 1.5
        '39 00 00 00 00 00 00 d0 3f' + // 7: fixed64, double 0.25
        '40 ff ff ff ff ff ff ff ff ff 01' + // 8: int32 -1 as a ten-byte varint
        '08 01', // 1 again: a repeated field stays a second entry
    )
    assert.deepEqual(decodeProtobufRaw(bytes), {
      t: 'map',
      entries: [
        field('1', num(150), 'varint'),
        field('2', str('testing'), 'len'),
        field('3', { t: 'map', entries: [field('1', num(150), 'varint')] }, 'len'),
        field('4', { t: 'bytes', b64: Buffer.from(hex('038e029ea705')).toString('base64'), length: 6 }, 'len'),
        field('5', { t: 'bytes', b64: '/wA=', length: 2 }, 'len'),
        field('6', num(0x3fc00000), 'fixed32; as float 1.5'),
        field('7', int('4598175219545276416'), 'fixed64; as double 0.25'),
        field('8', int('18446744073709551615'), 'varint; as int64 -1'),
        field('1', num(1), 'varint'),
      ],
    })
    assert.deepEqual(decodeProtobufRaw(new Uint8Array()), { t: 'map', entries: [] })
    assert.deepEqual(decodeProtobufRaw(hex('0a 00')), { t: 'map', entries: [field('1', str(''), 'len')] })
    assert.deepEqual(decodeProtobufRaw(hex('0d cd cc cc 3d')), {
      t: 'map',
      entries: [field('1', num(0x3dcccccd), 'fixed32; as float 0.1')],
    })
  })

  it('names the byte where truncated or invalid input goes wrong', () => {
    const wrong = (bytes: string): string => failure(hex(bytes), { kind: 'protobuf-raw' })
    assert.equal(wrong('08 96 01 10 96'), 'not protobuf: the varint at byte 4 runs past the end')
    assert.equal(wrong('08 01 12 05 61'), 'not protobuf: the field 2 at byte 2 declares 5 bytes but only 1 remain')
    assert.equal(wrong('0d 00 00'), 'not protobuf: the fixed32 field 1 at byte 0 needs 4 bytes; 2 remain')
    assert.equal(wrong('09 00'), 'not protobuf: the fixed64 field 1 at byte 0 needs 8 bytes; 1 remain')
    assert.equal(wrong('00'), 'not protobuf: the field number 0 at byte 0 is outside 1..536870911')
    assert.equal(wrong('0f'), 'not protobuf: the field 1 at byte 0 has wire type 7, which protobuf does not define')
    assert.equal(
      wrong('08 01 0b'),
      'not protobuf: the field 1 at byte 2 is a group (wire type 3), a deprecated encoding this view does not read',
    )
    assert.equal(wrong('08 ' + '80 '.repeat(10) + '01'), 'not protobuf: the varint at byte 1 is longer than 10 bytes')
  })
})

describe('text fields and sequence numbers', () => {
  it('splits "10001 23 45" into named numbers, naming extra fields by position', () => {
    assert.deepEqual(
      decodeAs(utf8('10001 23 45'), { kind: 'fields', names: ['zip', 'temp', 'humidity'] }),
      map({ zip: num(10001), temp: num(23), humidity: num(45) }),
    )
    assert.deepEqual(decodeAs(utf8('  10001\t-80  1e3 0x10 hot\n'), { kind: 'fields', names: ['zip'] }), {
      t: 'map',
      entries: [
        { key: 'zip', value: num(10001) },
        { key: '2', value: num(-80) },
        { key: '3', value: num(1000) },
        { key: '4', value: str('0x10') },
        { key: '5', value: str('hot') },
      ],
    })
    assert.deepEqual(decodeAs(utf8(''), { kind: 'fields', names: ['zip'] }), map({}))
    assert.equal(
      failure(hex('31 ff'), { kind: 'fields', names: [] }),
      'not text fields: the byte at 1 is not valid UTF-8',
    )
  })

  it('reads sequence numbers in every format and says why a frame has none', () => {
    assert.equal(sequenceOf(hex('01 00 00 00 ff'), 'u32le'), 1n)
    assert.equal(sequenceOf(hex('00 00 01 00'), 'u32be'), 256n)
    assert.equal(sequenceOf(hex('02 00 00 00 00 00 00 80'), 'u64le'), 2n ** 63n + 2n)
    assert.equal(sequenceOf(hex('00 00 00 00 00 00 00 2a'), 'u64be'), 42n)
    assert.equal(sequenceOf(utf8('42 rest'), 'decimal'), 42n)
    assert.equal(sequenceOf(utf8('0042'), 'decimal'), 42n)
    assert.deepEqual(decodeAs(hex('ff'.repeat(8)), { kind: 'sequence', format: 'u64be' }), int('18446744073709551615'))
    assert.deepEqual(decodeAs(hex('2a 00 00 00'), { kind: 'sequence', format: 'u32le' }), num(42))
    assert.throws(() => sequenceOf(hex('01 02 03'), 'u32le'), {
      message: 'the frame is 3 bytes; a u32le sequence needs 4',
    })
    assert.throws(() => sequenceOf(hex('01'), 'u64be'), { message: 'the frame is 1 byte; a u64be sequence needs 8' })
    assert.throws(() => sequenceOf(utf8('abc 42'), 'decimal'), {
      message: 'the frame does not start with a decimal number (it starts with "abc 42")',
    })
    assert.throws(() => sequenceOf(new Uint8Array(), 'decimal'), {
      message: 'the frame does not start with a decimal number (the frame is empty)',
    })
  })
})

describe('loaded .proto schemas', () => {
  const WEATHER = `syntax = "proto3";
package weather;
message Reading {
  string station = 1;
  sint32 temp = 2;
  uint64 seq = 9;
  repeated int64 samples = 4;
  map<string, Nested> extra = 5;
  Kind kind = 6;
  bytes raw = 7;
  oneof where { string city = 10; int32 zip = 11; }
  enum Kind { UNKNOWN = 0; RAIN = 1; }
}
message Nested { int32 n = 1; }
`

  it('decodes by declared field order with exact 64-bit integers, enum names, bytes, maps and oneofs', () => {
    const schemas = new ProtoSchemas()
    const schema = schemas.load('weather.proto', WEATHER)
    assert.deepEqual(schema, {
      schemaId: schema.schemaId,
      name: 'weather.proto',
      messageTypes: ['weather.Nested', 'weather.Reading'],
    })
    const type = protobuf.parse(WEATHER, { keepCase: true }).root.lookupType('weather.Reading')
    // Encoded in an order unlike the declaration; the tree follows the declaration.
    const bytes = type
      .encode(
        type.fromObject({
          zip: 10001,
          raw: new Uint8Array([1, 2]),
          kind: 'RAIN',
          extra: { a: { n: -3 } },
          samples: ['-9007199254740993', '7'],
          seq: '18446744073709551615',
          temp: -80,
          station: 'Zürich',
        }),
      )
      .finish()
    const note = (key: string, value: DecodedValue, n: string) => ({ key, value, note: n })
    assert.deepEqual(schemas.decode(schema.schemaId, 'weather.Reading', bytes), {
      t: 'map',
      entries: [
        note('station', str('Zürich'), '1 string'),
        note('temp', num(-80), '2 sint32'),
        note('seq', int('18446744073709551615'), '9 uint64'),
        note('samples', list(int('-9007199254740993'), num(7)), '4 repeated int64'),
        note('extra', map({ a: { t: 'map', entries: [note('n', num(-3), '1 int32')] } }), '5 map<string, Nested>'),
        note('kind', str('RAIN'), '6 Kind'),
        note('raw', { t: 'bytes', b64: 'AQI=', length: 2 }, '7 bytes'),
        note('zip', num(10001), '11 int32; oneof where'),
      ],
    })
    assert.deepEqual(schemas.decode(schema.schemaId, '.weather.Nested', new Uint8Array()), { t: 'map', entries: [] })
  })

  it('says what is wrong with a .proto, a schema id, a message type and bytes', () => {
    const schemas = new ProtoSchemas()
    assert.throws(() => schemas.load('weather.proto', 'syntax = "proto3";\npackage weather;\nmesage Reading {}'), {
      message: "weather.proto line 3: illegal token 'mesage'",
    })
    assert.throws(() => schemas.load('a.proto', 'syntax = "proto3"; message A { Missing m = 1; }'), {
      message: "a.proto: no such Type or Enum 'Missing' in Type .A",
    })
    const { schemaId } = schemas.load('weather.proto', WEATHER)
    assert.throws(() => schemas.decode('proto-nope', 'weather.Reading', new Uint8Array()), {
      message: "no loaded .proto has the id 'proto-nope' (it may have been removed)",
    })
    assert.throws(() => schemas.decode(schemaId, 'weather.Readin', new Uint8Array()), {
      message: "weather.proto has no message type 'weather.Readin'; did you mean weather.Reading?",
    })
    assert.throws(() => schemas.decode(schemaId, 'Reading', new Uint8Array()), {
      message: "weather.proto has no message type 'Reading'; did you mean weather.Reading?",
    })
    assert.throws(() => schemas.decode(schemaId, 'other.Thing', new Uint8Array()), {
      message: "weather.proto has no message type 'other.Thing'; it has weather.Nested, weather.Reading",
    })
    // Field 1 (station) says 12 bytes follow; two do.
    assert.throws(() => schemas.decode(schemaId, 'weather.Reading', hex('08 01 0a 0c 61 62')), {
      message: 'not a weather.Reading: index out of range at byte 4',
    })
    assert.throws(() => schemas.decode(schemaId, 'weather.Reading', hex('0f')), {
      message: 'not a weather.Reading: invalid wire type 7 at byte 1',
    })
    const spec: DecoderSpec = { kind: 'protobuf', schemaId, messageType: 'weather.Reading' }
    assert.deepEqual(decodeFrame(hex('10 9f 01'), spec, schemas), {
      t: 'map',
      entries: [{ key: 'temp', value: num(-80), note: '2 sint32' }],
    })
  })

  it('resolves imports against loaded files and names the ones that are not loaded', () => {
    const schemas = new ProtoSchemas()
    const readings = `syntax = "proto3"; package weather; import "units/units.proto";
import "google/protobuf/timestamp.proto";
message Reading { units.Unit unit = 1; google.protobuf.Timestamp at = 2; }`
    assert.throws(() => schemas.load('reading.proto', readings), {
      message:
        "reading.proto: no such Type or Enum 'units.Unit' in Type .weather.Reading " +
        '(it imports units/units.proto, which is not loaded: load it first)',
    })
    schemas.load('units.proto', 'syntax = "proto3"; package units; message Unit { string name = 1; }')
    const reading = schemas.load('reading.proto', readings)
    assert.deepEqual(reading.messageTypes, ['google.protobuf.Timestamp', 'units.Unit', 'weather.Reading'])
    assert.deepEqual(schemas.decode(reading.schemaId, 'weather.Reading', hex('0a 03 0a 01 43 12 02 08 05')), {
      t: 'map',
      entries: [
        {
          key: 'unit',
          value: { t: 'map', entries: [{ key: 'name', value: str('C'), note: '1 string' }] },
          note: '1 units.Unit',
        },
        {
          key: 'at',
          value: { t: 'map', entries: [{ key: 'seconds', value: num(5), note: '1 int64' }] },
          note: '2 google.protobuf.Timestamp',
        },
      ],
    })
  })

  it('replaces a file loaded again under its name, removes, and keeps within its limits', () => {
    const schemas = new ProtoSchemas()
    const first = schemas.load('a.proto', 'syntax = "proto3"; message A { int32 x = 1; }')
    const again = schemas.load('a.proto', 'syntax = "proto3"; message B { int32 x = 1; }')
    assert.equal(again.schemaId, first.schemaId)
    assert.deepEqual(schemas.list(), [{ schemaId: first.schemaId, name: 'a.proto', messageTypes: ['B'] }])
    schemas.remove(first.schemaId)
    assert.deepEqual(schemas.list(), [])
    assert.throws(() => schemas.remove(first.schemaId), /no loaded .proto has the id/)
    assert.throws(() => schemas.load('big.proto', `// ${'x'.repeat(1024 * 1024)}`), {
      message: 'big.proto is 1048579 bytes; a .proto may be at most 1048576 bytes (1 MiB)',
    })
    for (let i = 0; i < MAX_PROTO_SCHEMAS; i++) schemas.load(`f${i}.proto`, `syntax = "proto3"; message M${i} {}`)
    assert.throws(() => schemas.load('one-more.proto', 'syntax = "proto3";'), {
      message: '64 .proto files are loaded already; remove one first',
    })
  })
})
