// One frame's bytes through one decoder rule's DecoderSpec. Every failure is an Error whose message says, in the
// user's terms, why these bytes are not what the rule says they are; callers show it next to the raw bytes.
import { decode as decodeMsgpack } from '@msgpack/msgpack'
import { decodeFirst as decodeCborFirst, type TagDecoder } from 'cborg'
import type { DecodedEntry, DecodedValue, DecoderSpec, SequenceFormat } from '../../../contract/decoders'
import { decodeProtobufRaw } from './protobuf-raw'
import type { ProtoSchemas } from './protobuf-schemas'
import { CborTag, integerValue, toDecoded } from './value'

/** Dates and bignums read as what they mean; any other tag kept with its number (a debugger refuses nothing). */
const KNOWN_TAGS: Record<number, TagDecoder> = {
  0: (decode) => String(decode()),
  1: (decode) => new Date(Number(decode()) * 1000),
  2: (decode) => bigFromBytes(decode() as Uint8Array),
  3: (decode) => -1n - bigFromBytes(decode() as Uint8Array),
}
const ANY_TAG = new Proxy(KNOWN_TAGS, {
  get: (known, key) => {
    if (typeof key !== 'string' || !/^\d+$/.test(key)) return undefined
    return known[Number(key)] ?? ((decode: () => unknown) => new CborTag(Number(key), decode()))
  },
})
// Maps as Maps (key order and non-string keys survive); everything CBOR can say is accepted and shown.
const CBOR_OPTIONS = {
  useMaps: true,
  allowUndefined: true,
  allowIndefinite: true,
  allowNaN: true,
  allowInfinity: true,
  allowBigInt: true,
  tags: ANY_TAG,
}
const utf8 = new TextDecoder('utf-8', { fatal: true })
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const MAX_SEQUENCE_DIGITS = 40

export function decodeFrame(bytes: Uint8Array, spec: DecoderSpec, schemas: ProtoSchemas): DecodedValue {
  switch (spec.kind) {
    case 'json':
      return decodeJson(bytes)
    case 'msgpack':
      return decodeMsgpackFrame(bytes)
    case 'cbor':
      return decodeCbor(bytes)
    case 'protobuf':
      return schemas.decode(spec.schemaId, spec.messageType, bytes)
    case 'protobuf-raw':
      try {
        return decodeProtobufRaw(bytes)
      } catch (error) {
        throw new Error(`not protobuf: ${messageOf(error)}`, { cause: error })
      }
    case 'fields':
      return decodeFields(bytes, spec.names)
    case 'sequence':
      return integerValue(sequenceOf(bytes, spec.format))
  }
}

type JsonReviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown

// Where the runtime gives a reviver the number's source text (V8 ≥ 11.4), integers beyond 2^53 stay exact.
const JSON_HAS_SOURCE = JSON.parse('1', ((_key, _value, context) => context?.source === '1') as JsonReviver) === true
const keepBigIntegers: JsonReviver = (_key, value, context) =>
  typeof value === 'number' &&
  !Number.isSafeInteger(value) &&
  context?.source !== undefined &&
  /^-?\d+$/.test(context.source)
    ? BigInt(context.source)
    : value

function decodeJson(bytes: Uint8Array): DecodedValue {
  const text = utf8Text(bytes, 'JSON')
  if (text.trim() === '') throw new Error('not JSON: the frame is empty')
  let parsed: unknown
  try {
    parsed = JSON_HAS_SOURCE ? JSON.parse(text, keepBigIntegers as Parameters<typeof JSON.parse>[1]) : JSON.parse(text)
  } catch (error) {
    // V8 counts UTF-16 units; the user sees bytes.
    const message = messageOf(error).replace(
      / at position (\d+)/,
      (_m, at: string) => ` at byte ${Buffer.byteLength(text.slice(0, Number(at)))}`,
    )
    throw new Error(`not JSON: ${message}`, { cause: error })
  }
  return toDecoded(parsed)
}

function decodeMsgpackFrame(bytes: Uint8Array): DecodedValue {
  if (bytes.length === 0) throw new Error('not msgpack: the frame is empty')
  let decoded: unknown
  try {
    decoded = decodeMsgpack(bytes, { useBigInt64: true, mapKeyConverter: markMsgpackKey })
  } catch (error) {
    const message = messageOf(error)
    const extra = /^Extra \d+ of \d+ byte\(s\) found at buffer\[(\d+)\]$/.exec(message)
    if (extra !== null)
      throw new Error(`not msgpack: ${trailingBytes(Number(extra[1]), bytes.length)}`, { cause: error })
    if (error instanceof RangeError || /insufficient data/i.test(message)) {
      throw new Error(`not msgpack: unexpected end of input at byte ${bytes.length}`, { cause: error })
    }
    throw new Error(`not msgpack: ${message}`, { cause: error })
  }
  return unmarkKeys(toDecoded(decoded))
}

// msgpack decodes maps into plain objects, where integer-like keys ("5", 3) would jump ahead of the others. A mark
// in front of every key keeps the payload's order; unmarkKeys takes it off again (ExtData's own keys have none).
const KEY_MARK = '\u0000'

function markMsgpackKey(key: unknown): string {
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'bigint') return `${KEY_MARK}${key}`
  throw new Error(
    `a map key is ${key instanceof Uint8Array ? 'bytes' : typeof key}; only text and number keys are shown`,
  )
}

function unmarkKeys(value: DecodedValue): DecodedValue {
  switch (value.t) {
    case 'map':
      return {
        t: 'map',
        entries: value.entries.map(({ key, value: v }) => ({
          key: key.startsWith(KEY_MARK) ? key.slice(KEY_MARK.length) : key,
          value: unmarkKeys(v),
        })),
      }
    case 'list':
      return { t: 'list', items: value.items.map(unmarkKeys) }
    default:
      return value
  }
}

function decodeCbor(bytes: Uint8Array): DecodedValue {
  if (bytes.length === 0) throw new Error('not CBOR: the frame is empty')
  let value: unknown
  let rest: Uint8Array
  try {
    ;[value, rest] = decodeCborFirst(bytes, CBOR_OPTIONS)
  } catch (error) {
    throw new Error(`not CBOR: ${messageOf(error).replace(/^CBOR decode error: /, '')}`, { cause: error })
  }
  if (rest.length > 0) throw new Error(`not CBOR: ${trailingBytes(bytes.length - rest.length, bytes.length)}`)
  return toDecoded(value)
}

function bigFromBytes(bytes: Uint8Array): bigint {
  let n = 0n
  for (const b of bytes) n = (n << 8n) | BigInt(b)
  return n
}

function trailingBytes(itemEnd: number, length: number): string {
  return `the item ends at byte ${itemEnd} but the frame has ${length} bytes (a frame holds one item)`
}

/** "10001 23 45" with names ["zip", "temp"] -> zip 10001, temp 23, "3" 45; numbers as numbers. */
function decodeFields(bytes: Uint8Array, names: readonly string[]): DecodedValue {
  const text = utf8Text(bytes, 'text fields')
  const parts = text.split(/\s+/).filter((part) => part !== '')
  const entries: DecodedEntry[] = parts.map((part, i) => {
    const number = NUMBER_TEXT.test(part) ? Number(part) : Number.NaN
    const value: DecodedValue = Number.isFinite(number) ? { t: 'num', v: number } : { t: 'str', v: part }
    return { key: names[i] ?? String(i + 1), value }
  })
  return { t: 'map', entries }
}

export function sequenceOf(bytes: Uint8Array, format: SequenceFormat): bigint {
  if (format === 'decimal') {
    let end = 0
    while (end < bytes.length && bytes[end]! >= 0x30 && bytes[end]! <= 0x39) end++
    if (end === 0) {
      const start = bytes.length === 0 ? 'the frame is empty' : `it starts with ${JSON.stringify(preview(bytes))}`
      throw new Error(`the frame does not start with a decimal number (${start})`)
    }
    if (end > MAX_SEQUENCE_DIGITS) throw new Error(`the sequence number has more than ${MAX_SEQUENCE_DIGITS} digits`)
    return BigInt(Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('latin1'))
  }
  const size = format.startsWith('u32') ? 4 : 8
  if (bytes.length < size) {
    throw new Error(
      `the frame is ${bytes.length} byte${bytes.length === 1 ? '' : 's'}; a ${format} sequence needs ${size}`,
    )
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, size)
  const littleEndian = format.endsWith('le')
  return size === 4 ? BigInt(view.getUint32(0, littleEndian)) : view.getBigUint64(0, littleEndian)
}

function preview(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes.subarray(0, 12))
}

function utf8Text(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes)
  } catch {
    throw new Error(`not ${what}: the byte at ${firstInvalidUtf8(bytes)} is not valid UTF-8`)
  }
}

/** Where TextDecoder gave up: the first byte that starts no valid UTF-8 sequence (overlong, surrogate, cut short). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let at = 0
  while (at < bytes.length) {
    const lead = bytes[at]!
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : 4
    if (lead >= 0x80 && (lead < 0xc2 || lead > 0xf4)) return at
    const second = bytes[at + 1] ?? 0
    const secondLow = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80
    const secondHigh = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf
    if (length > 1 && (second < secondLow || second > secondHigh)) return at
    for (let k = 2; k < length; k++) if (((bytes[at + k] ?? 0) & 0xc0) !== 0x80) return at
    at += length
  }
  return at
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
