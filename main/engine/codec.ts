// Frame encodings: what the user types (text, JSON, hex, base64) <-> bytes; and byte views for display.
import type { FrameInput } from '../../contract/schemas'
import type { FrameBytesView } from '../../contract/views'
import { EngineError } from './errors'
import { frameProblem } from '../../contract/frame-check'

/** Bytes for a frame the user typed; the checks are the composer's own (contract/frame-check). */
export function encodeFrame(frame: FrameInput, index = 0): Buffer {
  const problem = frameProblem(frame.enc, frame.data)
  if (problem) throw new EngineError('INVALID_REQUEST', `frame ${index + 1}: ${problem}`)
  switch (frame.enc) {
    case 'text':
      return Buffer.from(frame.data, 'utf8')
    case 'json':
      // Re-serialised so what goes on the wire is canonical JSON, not the user's whitespace.
      return Buffer.from(JSON.stringify(JSON.parse(frame.data)), 'utf8')
    case 'hex':
      return Buffer.from(frame.data.replace(/[\s:]/g, ''), 'hex')
    case 'base64':
      return Buffer.from(frame.data.replace(/\s/g, ''), 'base64')
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
