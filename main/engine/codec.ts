// Frame encodings: what the user types (text, JSON, hex, base64) <-> bytes; and byte views for display.
import { decode as decodeMsgpack } from '@msgpack/msgpack'
import type { FrameInput } from '../../preload/contract'
import type { FrameBytesView } from '../../preload/views'
import { EngineError } from './errors'

const HEX = /^[0-9a-fA-F]*$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

function invalid(message: string): EngineError {
  return new EngineError('INVALID_REQUEST', message)
}

export function encodeFrame(frame: FrameInput, index = 0): Buffer {
  const where = `frame ${index + 1}`
  switch (frame.enc) {
    case 'text':
      return Buffer.from(frame.data, 'utf8')
    case 'json': {
      try {
        // Re-serialise so what goes on the wire is canonical JSON, not the user's whitespace.
        return Buffer.from(JSON.stringify(JSON.parse(frame.data)), 'utf8')
      } catch (error) {
        throw invalid(`${where}: not valid JSON (${(error as Error).message})`)
      }
    }
    case 'hex': {
      const compact = frame.data.replace(/[\s:]/g, '')
      if (!HEX.test(compact)) throw invalid(`${where}: hex may only contain 0-9, a-f (spaces and ':' are ignored)`)
      if (compact.length % 2 !== 0) throw invalid(`${where}: hex needs an even number of digits`)
      return Buffer.from(compact, 'hex')
    }
    case 'base64': {
      const compact = frame.data.replace(/\s/g, '')
      if (!BASE64.test(compact) || compact.length % 4 === 1) throw invalid(`${where}: not valid base64`)
      return Buffer.from(compact, 'base64')
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Text if the bytes are valid UTF-8 without control characters other than tab/newline, else null. */
export function asText(bytes: Uint8Array): string | null {
  try {
    const text = utf8.decode(bytes)
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? null : text
  } catch {
    return null
  }
}

/** A short quotable rendering of user bytes for messages: text if it is text, else hex; cut at 40. */
export function preview(bytes: Uint8Array, max = 40): string {
  const text = asText(bytes.subarray(0, max * 4))
  const shown =
    text !== null ? JSON.stringify(text.slice(0, max)) : `0x${Buffer.from(bytes.subarray(0, max / 2)).toString('hex')}`
  return bytes.length > max ? `${shown}… (${bytes.length} bytes)` : shown
}

export function bytesView(bytes: Uint8Array): FrameBytesView {
  return { hex: Buffer.from(bytes).toString('hex'), text: asText(bytes) }
}

export function asMsgpack(bytes: Uint8Array): unknown {
  try {
    return decodeMsgpack(bytes)
  } catch {
    return undefined
  }
}
