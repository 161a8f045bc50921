// Request sizes the hosts cannot take, caught in the page before anything is sent. Pure.
import { MAX_MESSAGE_BYTES, messageBytes, totalChars } from '../../contract/limits'
import { formatMiB } from './format'

/** UTF-8 length of a string as WebSocket.send encodes it (a lone surrogate becomes U+FFFD: 3 bytes). */
export function utf8Bytes(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

/**
 * The UTF-8 size of a serialized request when it is over `limit`, else null. A character is at most 3 bytes,
 * so a request whose length times 3 fits is not measured: every ordinary request costs one multiplication.
 */
export function oversizeBytes(json: string, limit: number): number | null {
  if (json.length * 3 <= limit) return null
  const bytes = utf8Bytes(json)
  return bytes > limit ? bytes : null
}

export function requestTooLargeMessage(channel: string, bytes: number, limit: number): string {
  return (
    `${channel} is ${formatMiB(bytes)} as JSON; the browser host accepts at most ${formatMiB(limit)} per request ` +
    '(text that JSON escapes, and non-ASCII text, grows when sent): send less at once'
  )
}

/** JSON escapes grow a character to at most 6 bytes: below this many characters no message can be too large. */
const UNMEASURED_CHARS = Math.floor(MAX_MESSAGE_BYTES / 6)

/**
 * Why the composer's frames cannot be sent as one message, in one sentence with the sizes, or null. Measured
 * as the contract measures it (JSON-escaped UTF-8 of the frame data), but only for drafts big enough to matter:
 * the composer asks on every keystroke.
 */
export function messageSizeProblem(
  frames: readonly { data: string }[],
  limit: number = MAX_MESSAGE_BYTES,
): string | null {
  if (totalChars(frames) <= Math.min(UNMEASURED_CHARS, Math.floor(limit / 6))) return null
  const bytes = messageBytes(frames)
  if (bytes <= limit) return null
  return (
    `The frames together take ${formatMiB(bytes)} encoded; one message may take at most ${formatMiB(limit)} ` +
    `(${formatMiB((limit * 3) / 4)} of binary as base64), so send it in parts.`
  )
}
