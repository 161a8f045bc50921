// Protobuf without a schema: a walk of the wire format. Field numbers and wire types are certain; whether a
// length-delimited field is a nested message, text or bytes is a guess (the same bytes can be all three), so the
// guess prefers a message only when the bytes parse completely as one.
import type { DecodedEntry, DecodedValue } from '../../../contract/decoders'
import { bytesValue, integerValue, MAX_DECODED_DEPTH, MAX_DECODED_NODES } from './value'

const MAX_FIELD_NUMBER = 2 ** 29 - 1
const TWO_63 = 1n << 63n

const utf8 = new TextDecoder('utf-8', { fatal: true })

class TooManyFields extends Error {}

class Walk {
  fields = 0
  constructor(readonly bytes: Uint8Array) {}
}

export function decodeProtobufRaw(bytes: Uint8Array): DecodedValue {
  return { t: 'map', entries: readMessage(new Walk(bytes), 0, bytes.length, 0) }
}

/** Fields of the message in bytes[start, end); offsets in errors count from the frame's first byte. */
function readMessage(walk: Walk, start: number, end: number, depth: number): DecodedEntry[] {
  const entries: DecodedEntry[] = []
  let at = start
  while (at < end) {
    if (++walk.fields > MAX_DECODED_NODES) {
      throw new TooManyFields(`more than ${MAX_DECODED_NODES} fields: too large to show`)
    }
    const tagAt = at
    const tag = readVarint(walk.bytes, at, end)
    at = tag.next
    const field = tag.value >> 3n
    const wireType = Number(tag.value & 7n)
    if (field < 1n || field > BigInt(MAX_FIELD_NUMBER)) {
      throw new Error(`the field number ${field} at byte ${tagAt} is outside 1..${MAX_FIELD_NUMBER}`)
    }
    const key = field.toString()
    switch (wireType) {
      case 0: {
        const varint = readVarint(walk.bytes, at, end)
        at = varint.next
        const note = varint.value >= TWO_63 ? `varint; as int64 ${BigInt.asIntN(64, varint.value)}` : 'varint'
        entries.push({ key, value: integerValue(varint.value), note })
        break
      }
      case 1: {
        const view = fixedView(walk.bytes, at, end, 8, key, tagAt)
        at += 8
        const value = view.getBigUint64(0, true)
        entries.push({ key, value: integerValue(value), note: `fixed64; as double ${view.getFloat64(0, true)}` })
        break
      }
      case 5: {
        const view = fixedView(walk.bytes, at, end, 4, key, tagAt)
        at += 4
        const float = shortestFloat32(view.getFloat32(0, true))
        entries.push({ key, value: { t: 'num', v: view.getUint32(0, true) }, note: `fixed32; as float ${float}` })
        break
      }
      case 2: {
        const length = readVarint(walk.bytes, at, end)
        at = length.next
        if (length.value > BigInt(end - at)) {
          throw new Error(
            `the field ${key} at byte ${tagAt} declares ${length.value} bytes but only ${end - at} remain`,
          )
        }
        const contentEnd = at + Number(length.value)
        entries.push({ key, value: guessLengthDelimited(walk, at, contentEnd, depth), note: 'len' })
        at = contentEnd
        break
      }
      case 3:
      case 4:
        throw new Error(
          `the field ${key} at byte ${tagAt} is a group (wire type ${wireType}), ` +
            'a deprecated encoding this view does not read',
        )
      default:
        throw new Error(`the field ${key} at byte ${tagAt} has wire type ${wireType}, which protobuf does not define`)
    }
  }
  return entries
}

function guessLengthDelimited(walk: Walk, start: number, end: number, depth: number): DecodedValue {
  const content = walk.bytes.subarray(start, end)
  if (end > start && depth < MAX_DECODED_DEPTH) {
    const fieldsBefore = walk.fields
    try {
      return { t: 'map', entries: readMessage(walk, start, end, depth + 1) }
    } catch (error) {
      // Only the field budget is a real failure; anything else means "not a message".
      if (error instanceof TooManyFields) throw error
      walk.fields = fieldsBefore
    }
  }
  const text = printableText(content)
  return text === undefined ? bytesValue(content) : { t: 'str', v: text }
}

function printableText(bytes: Uint8Array): string | undefined {
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    return undefined
  }
  // Control characters other than tab and newlines mean binary data that happens to be valid UTF-8.
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text
}

function readVarint(bytes: Uint8Array, start: number, end: number): { value: bigint; next: number } {
  let value = 0n
  for (let i = 0; i < 10; i++) {
    const at = start + i
    if (at >= end) throw new Error(`the varint at byte ${start} runs past the end`)
    const byte = bytes[at]!
    value |= BigInt(byte & 0x7f) << BigInt(7 * i)
    if ((byte & 0x80) === 0) return { value: BigInt.asUintN(64, value), next: at + 1 }
  }
  throw new Error(`the varint at byte ${start} is longer than 10 bytes`)
}

function fixedView(bytes: Uint8Array, at: number, end: number, size: number, key: string, tagAt: number): DataView {
  if (end - at < size) {
    throw new Error(`the fixed${size * 8} field ${key} at byte ${tagAt} needs ${size} bytes; ${end - at} remain`)
  }
  return new DataView(bytes.buffer, bytes.byteOffset + at, size)
}

/** The shortest decimal that reads back as the same float32 (1.5, 0.1), not the double's 0.10000000149011612. */
function shortestFloat32(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits))
    if (Math.fround(candidate) === value) return String(candidate)
  }
  return String(Number(value.toPrecision(9)))
}
