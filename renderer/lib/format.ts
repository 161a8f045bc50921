// Display helpers: previews of frames, sizes and times. Decoding happens only for rows being shown.
import { toHex } from '../../contract/hex'
import type { FrameBytesView, FrameView, LogEntryView } from '../../contract/views'
import { base64ToBytes } from './decode'

const utf8 = new TextDecoder('utf-8', { fatal: true })

export function framePreview(frame: FrameView, max = 120): string {
  const bytes = base64ToBytes(frame.b64)
  let text: string
  try {
    text = utf8.decode(bytes)
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw new Error('binary')
  } catch {
    text = `0x${toHex(bytes.subarray(0, max / 2))}`
  }
  const cut = text.length > max ? `${text.slice(0, max)}…` : text
  return frame.truncated ? `${cut} [truncated: ${formatBytes(frame.size)} total]` : cut
}

export function entryPreview(entry: LogEntryView): string {
  return entry.frames.map((frame) => (frame.size === 0 ? '∅' : framePreview(frame))).join(' | ')
}

/** A subscription prefix as the user typed it: text when it is text, else hex; the empty prefix matches all. */
export function prefixLabel(prefix: FrameBytesView): string {
  return prefix.text === '' ? '(everything)' : (prefix.text ?? `0x${prefix.hex}`)
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

/** "128 MiB" for whole sizes (the limits), "130.2 MiB" otherwise: limits read better without a ".0". */
export function formatMiB(bytes: number): string {
  const MiB = 1024 * 1024
  return `${bytes % MiB === 0 ? bytes / MiB : (bytes / MiB).toFixed(1)} MiB`
}

export function formatTime(wall: number): string {
  const date = new Date(wall)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}
