// Frame decoders for the message details: text, pretty JSON, hex dump with offsets, base64, msgpack.
import { decode as decodeMsgpack } from '@msgpack/msgpack'
import { toHex } from '../../contract/hex'
import type { LogEntryView } from '../../contract/views'

export type Decoder = 'text' | 'json' | 'hex' | 'base64' | 'msgpack'
export type Decoded = { kind: 'ok'; text: string } | { kind: 'not-applicable'; reason: string }

const utf8 = new TextDecoder('utf-8', { fatal: true })

export function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

const lenient = new TextDecoder('utf-8')
/** Frame 0 (the topic) as text, decoded once per row: the filter, topic tree and diff all ask for it. */
const topics = new WeakMap<LogEntryView, string>()

/** A frame's preview as text (invalid UTF-8 shown as U+FFFD); frame 0 is cached per row. */
export function frameText(entry: LogEntryView, index = 0): string {
  if (index === 0) {
    const cached = topics.get(entry)
    if (cached !== undefined) return cached
  }
  const frame = entry.frames[index]
  const text = frame ? lenient.decode(base64ToBytes(frame.b64)) : ''
  if (index === 0) topics.set(entry, text)
  return text
}

/** Every frame's preview as text, decoded once per row: the text filter looks in all of them. */
const allTexts = new WeakMap<LogEntryView, string[]>()

export function framesText(entry: LogEntryView): string[] {
  let texts = allTexts.get(entry)
  if (texts === undefined) {
    texts = entry.frames.map((_, i) => frameText(entry, i))
    allTexts.set(entry, texts)
  }
  return texts
}

export function hexDump(bytes: Uint8Array, limit = 64 * 1024): string {
  const lines: string[] = []
  const shown = bytes.subarray(0, limit)
  for (let offset = 0; offset < shown.length; offset += 16) {
    const row = shown.subarray(offset, offset + 16)
    const left = toHex(row.subarray(0, 8), ' ')
    const right = toHex(row.subarray(8), ' ')
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('')
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`)
  }
  if (bytes.length > limit) lines.push(`… ${bytes.length - limit} more bytes`)
  return lines.join('\n')
}

export function decode(bytes: Uint8Array, decoder: Decoder): Decoded {
  switch (decoder) {
    case 'hex':
      return { kind: 'ok', text: hexDump(bytes) }
    case 'base64': {
      let binary = ''
      for (const b of bytes) binary += String.fromCharCode(b)
      return { kind: 'ok', text: btoa(binary) }
    }
    case 'text':
      try {
        return { kind: 'ok', text: utf8.decode(bytes) }
      } catch {
        return { kind: 'not-applicable', reason: 'not valid UTF-8; see hex' }
      }
    case 'json':
      try {
        return { kind: 'ok', text: JSON.stringify(JSON.parse(utf8.decode(bytes)), null, 2) }
      } catch {
        return { kind: 'not-applicable', reason: 'not JSON' }
      }
    case 'msgpack':
      try {
        const value = decodeMsgpack(bytes)
        return {
          kind: 'ok',
          text: JSON.stringify(
            value,
            (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : typeof v === 'bigint' ? `${v}n` : v),
            2,
          ),
        }
      } catch {
        return { kind: 'not-applicable', reason: 'not msgpack' }
      }
  }
}

/** The decoder a frame most likely wants: JSON if it parses, text if it is text, hex otherwise. */
export function bestDecoder(bytes: Uint8Array): Decoder {
  if (decode(bytes, 'json').kind === 'ok' && bytes.length > 1) return 'json'
  if (decode(bytes, 'text').kind === 'ok') return 'text'
  return 'hex'
}
