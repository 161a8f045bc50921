// The decoders UI's pure parts: a rule in words, the add-rule form's fields as the contract's DecoderRuleInput
// (checked by the channel's own schema) or per-field problems, the form's selects settled on what exists, and
// decoded values as the tree shows them (leaf text, bytes, paths, the numeric leaves "Plot" is offered on).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import type { DecodedValue, ProtoSchema } from '../../contract/decoders'
import { parseRequest } from '../../contract/schemas'
import {
  EMPTY_RULE_FORM,
  branchSummary,
  bytesPreview,
  childrenOf,
  decodedLines,
  describeFrame,
  describeRule,
  flattenDecoded,
  leafText,
  numericPaths,
  parseFrame,
  plottable,
  protoFileProblem,
  protoLoadProblem,
  ruleInputFromForm,
  settleForm,
  splitFieldNames,
  type RuleForm,
} from '../../renderer/lib/decoder-rules'

const names = { socket: (id: string) => (id === 's1' ? 'weather client' : id), tap: (id: string) => `tap ${id}` }
const schema: ProtoSchema = {
  schemaId: 'proto-1',
  name: 'weather.proto',
  messageTypes: ['weather.Reading', 'weather.Station'],
}
const form = (patch: Partial<RuleForm> = {}): RuleForm => ({ ...EMPTY_RULE_FORM, ...patch })

describe('a rule in words', () => {
  it('says scope, topic, frame and decoder as the user would', () => {
    assert.equal(
      describeRule(
        {
          scope: { kind: 'socket', socketId: 's1' },
          topicPrefix: '10001',
          frame: 0,
          decoder: { kind: 'protobuf', schemaId: 'proto-1', messageType: 'weather.Reading' },
        },
        names,
      ),
      'socket weather client, topic 10001, frame 1 as protobuf weather.Reading',
    )
    assert.equal(
      describeRule(
        { scope: { kind: 'any' }, topicPrefix: '', frame: -1, decoder: { kind: 'sequence', format: 'u32le' } },
        names,
      ),
      'any socket, any topic, the last frame as sequence number (u32 little-endian)',
    )
    assert.equal(
      describeRule(
        {
          scope: { kind: 'tap', tapId: 'tap2' },
          topicPrefix: '',
          frame: 1,
          decoder: { kind: 'fields', names: ['zip', 'temp'] },
        },
        names,
      ),
      'tap tap tap2, any topic, frame 2 as text fields zip temp',
    )
  })

  it('numbers frames from 1, and from the end', () => {
    assert.equal(describeFrame(0), 'frame 1')
    assert.equal(describeFrame(3), 'frame 4')
    assert.equal(describeFrame(-1), 'the last frame')
    assert.equal(describeFrame(-3), 'frame 3 from the end')
  })
})

describe('the add-rule form', () => {
  it('builds the contract input, which the channel schema accepts', () => {
    const built = ruleInputFromForm(
      form({
        scope: 'socket',
        socketId: 's1',
        topicPrefix: '10001',
        frame: '1',
        kind: 'protobuf',
        schemaId: 'proto-1',
        messageType: 'weather.Reading',
      }),
      [schema],
    )
    assert.deepEqual(built, {
      kind: 'ok',
      input: {
        scope: { kind: 'socket', socketId: 's1' },
        topicPrefix: '10001',
        frame: 0,
        decoder: { kind: 'protobuf', schemaId: 'proto-1', messageType: 'weather.Reading' },
      },
    })
    assert.ok(built.kind === 'ok' && parseRequest(Channel.decoderAdd, built.input).ok)
  })

  it('builds every decoder kind so that the schema accepts it', () => {
    const kinds: Partial<RuleForm>[] = [
      { kind: 'json' },
      { kind: 'msgpack' },
      { kind: 'cbor' },
      { kind: 'protobuf-raw' },
      { kind: 'fields', fieldNames: '  zip temp   humidity ' },
      { kind: 'sequence', sequenceFormat: 'decimal', frame: '-1' },
      { kind: 'json', scope: 'tap', tapId: 'tap3' },
    ]
    for (const patch of kinds) {
      const built = ruleInputFromForm(form(patch), [])
      assert.equal(built.kind, 'ok', JSON.stringify(patch))
      assert.ok(built.kind === 'ok' && parseRequest(Channel.decoderAdd, built.input).ok, JSON.stringify(patch))
    }
    const fields = ruleInputFromForm(form({ kind: 'fields', fieldNames: ' zip temp  humidity' }), [])
    assert.ok(fields.kind === 'ok')
    assert.deepEqual(fields.input.decoder, { kind: 'fields', names: ['zip', 'temp', 'humidity'] })
    const last = ruleInputFromForm(form({ frame: '-1' }), [])
    assert.ok(last.kind === 'ok' && last.input.frame === -1)
  })

  it('says per field what is wrong', () => {
    const problems = (patch: Partial<RuleForm>, schemas: ProtoSchema[] = []) => {
      const built = ruleInputFromForm(form(patch), schemas)
      assert.equal(built.kind, 'invalid', JSON.stringify(patch))
      return built.kind === 'invalid' ? built.problems : {}
    }
    assert.match(problems({ frame: '0' }).frame!, /count from 1/)
    assert.match(problems({ frame: 'two' }).frame!, /whole number/)
    assert.match(problems({ frame: '1.5' }).frame!, /whole number/)
    assert.match(problems({ frame: '2000' }).frame!, /at most frame 1024/)
    assert.match(problems({ frame: '-65' }).frame!, /64 frames from the end/)
    assert.match(problems({ scope: 'socket', socketId: '' }).scope!, /choose a socket/)
    assert.match(problems({ scope: 'tap', tapId: '' }).scope!, /choose a tap/)
    assert.match(problems({ topicPrefix: 'x'.repeat(1025) }).topicPrefix!, /at most 1024/)
    assert.match(problems({ kind: 'fields', fieldNames: '   ' }).fieldNames!, /zip temp humidity/)
    assert.match(problems({ kind: 'fields', fieldNames: 'a'.repeat(65) }).fieldNames!, /at most 64 characters/)
    assert.match(problems({ kind: 'protobuf' }).schema!, /load a \.proto/)
    assert.match(problems({ kind: 'protobuf', schemaId: 'proto-9' }, [schema]).schema!, /choose a loaded/)
    assert.match(problems({ kind: 'protobuf', schemaId: 'proto-1' }, [schema]).messageType!, /choose a message type/)
    assert.match(
      problems({ kind: 'protobuf', schemaId: 'proto-1', messageType: 'weather.Nope' }, [schema]).messageType!,
      /weather.proto has no message type weather.Nope/,
    )
    // Several at once, each at its field.
    assert.deepEqual(Object.keys(problems({ frame: '0', scope: 'socket', kind: 'fields' })).sort(), [
      'fieldNames',
      'frame',
      'scope',
    ])
  })

  it('parses frames as the user numbers them', () => {
    assert.deepEqual(parseFrame(' 1 '), { kind: 'ok', frame: 0 })
    assert.deepEqual(parseFrame('+3'), { kind: 'ok', frame: 2 })
    assert.deepEqual(parseFrame('-2'), { kind: 'ok', frame: -2 })
    assert.deepEqual(parseFrame('1024'), { kind: 'ok', frame: 1023 })
    assert.equal(parseFrame('').kind, 'invalid')
  })

  it('settles its selects on what exists', () => {
    const choices = { sockets: [{ id: 's4' }, { id: 's5' }], taps: [{ id: 'tap1' }], schemas: [schema] }
    const settled = settleForm(form({ socketId: 's9', schemaId: '', messageType: '' }), choices)
    assert.equal(settled.socketId, 's4')
    assert.equal(settled.tapId, 'tap1')
    assert.equal(settled.schemaId, 'proto-1')
    assert.equal(settled.messageType, 'weather.Reading')
    const kept = settleForm(form({ socketId: 's5', schemaId: 'proto-1', messageType: 'weather.Station' }), choices)
    assert.equal(kept.socketId, 's5')
    assert.equal(kept.messageType, 'weather.Station')
    const none = settleForm(form({ socketId: 's5', schemaId: 'proto-1' }), { sockets: [], taps: [], schemas: [] })
    assert.equal(none.socketId, '')
    assert.equal(none.schemaId, '')
    assert.equal(none.messageType, '')
  })

  it('splits field names on any whitespace', () => {
    assert.deepEqual(splitFieldNames('zip\ttemp  humidity\n'), ['zip', 'temp', 'humidity'])
    assert.deepEqual(splitFieldNames(''), [])
  })

  it('checks a .proto file before reading it', () => {
    assert.equal(protoFileProblem({ name: 'demo.proto', size: 100 }), null)
    assert.match(protoFileProblem({ name: 'demo.txt', size: 100 })!, /not a \.proto file/)
    assert.match(protoFileProblem({ name: 'big.proto', size: 2 * 1024 * 1024 })!, /larger than 1024 KiB/)
  })

  it("says a load error without the file's name twice", () => {
    assert.equal(
      protoLoadProblem('broken.proto', "broken.proto line 3: illegal id ';'"),
      "could not load broken.proto: line 3: illegal id ';'",
    )
    assert.equal(
      protoLoadProblem('a.proto', 'a.proto: no such import b.proto'),
      'could not load a.proto: no such import b.proto',
    )
    assert.equal(protoLoadProblem('a.proto', 'too many files'), 'could not load a.proto: too many files')
  })
})

describe('decoded values for display', () => {
  const reading: DecodedValue = {
    t: 'map',
    entries: [
      { key: 'station', value: { t: 'str', v: 'Hamburg' }, note: '1: string' },
      { key: 'temp', value: { t: 'num', v: -3 }, note: '2: int32' },
      { key: 'count', value: { t: 'int', v: '18446744073709551615' } },
      {
        key: 'samples',
        value: {
          t: 'list',
          items: [
            { t: 'num', v: 1.5 },
            { t: 'map', entries: [{ key: 'ok', value: { t: 'bool', v: true } }] },
          ],
        },
      },
      { key: 'raw', value: { t: 'bytes', b64: Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString('base64'), length: 4 } },
      { key: 'none', value: { t: 'null' } },
    ],
  }

  it('formats leaves: strings quoted, big integers exact, bytes as hex with their length', () => {
    assert.equal(leafText({ t: 'str', v: 'a "b"' }), '"a \\"b\\""')
    assert.equal(leafText({ t: 'str', v: '' }), '""')
    assert.equal(leafText({ t: 'int', v: '18446744073709551615' }), '18446744073709551615')
    assert.equal(leafText({ t: 'num', v: -0 }), '-0')
    assert.equal(leafText({ t: 'num', v: 0.1 }), '0.1')
    assert.equal(leafText({ t: 'bool', v: false }), 'false')
    assert.equal(leafText({ t: 'null' }), 'null')
    assert.equal(leafText({ t: 'bytes', b64: '', length: 0 }), '(0 bytes)')
    assert.equal(leafText({ t: 'bytes', b64: Buffer.from([1]).toString('base64'), length: 1 }), '01 (1 byte)')
  })

  it('previews long bytes and says how many there are', () => {
    const b64 = Buffer.alloc(40, 0xab).toString('base64')
    assert.equal(bytesPreview(b64, 40, 4), 'ab ab ab ab … (40 bytes)')
    // The engine sends at most DECODED_BYTES_SHOWN; the length is the whole.
    assert.equal(bytesPreview(Buffer.from([1, 2]).toString('base64'), 9000, 16), '01 02 … (9000 bytes)')
  })

  it('lists children with keys, notes and indices, and sums branches up', () => {
    assert.ok(reading.t === 'map')
    const children = childrenOf(reading)
    assert.deepEqual(
      children.slice(0, 2).map((c) => [c.key, c.label, c.note]),
      [
        ['station', 'station', '1: string'],
        ['temp', 'temp', '2: int32'],
      ],
    )
    const samples = children[3]!.value
    assert.ok(samples.t === 'list')
    assert.deepEqual(
      childrenOf(samples).map((c) => [c.key, c.label]),
      [
        ['0', '[0]'],
        ['1', '[1]'],
      ],
    )
    assert.equal(branchSummary(reading), '6 fields')
    assert.equal(branchSummary(samples), '2 items')
    assert.equal(branchSummary({ t: 'list', items: [{ t: 'null' }] }), '1 item')
  })

  it('flattens to paths and lines', () => {
    assert.deepEqual(
      flattenDecoded(reading).map((l) => [l.path.join('.'), l.type, l.text]),
      [
        ['station', 'str', '"Hamburg"'],
        ['temp', 'num', '-3'],
        ['count', 'int', '18446744073709551615'],
        ['samples.0', 'num', '1.5'],
        ['samples.1.ok', 'bool', 'true'],
        ['raw', 'bytes', 'de ad be ef (4 bytes)'],
        ['none', 'null', 'null'],
      ],
    )
    assert.equal(decodedLines({ t: 'num', v: 42 }), '42')
    assert.equal(decodedLines(reading).split('\n')[1], 'temp = -3')
  })

  it('offers Plot on numbers inside the tree only', () => {
    assert.deepEqual(numericPaths(reading), [['temp'], ['count'], ['samples', '0']])
    // A whole frame that is one number (a sequence decode) has no path for plot:add to name.
    assert.deepEqual(numericPaths({ t: 'int', v: '7' }), [])
    assert.equal(plottable({ t: 'num', v: 1 }, ['x']), true)
    assert.equal(plottable({ t: 'str', v: '1' }, ['x']), false)
    for (const path of numericPaths(reading)) {
      assert.ok(parseRequest(Channel.plotAdd, { ruleId: 'r1', path }).ok)
    }
  })
})
