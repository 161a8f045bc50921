// Saved messages and resending: frames as the composer holds them, as the contract takes them, and a captured
// message's bytes made into frames the composer shows and sends back byte-exact. Pure.
import { frameProblem, type FrameEncoding } from '../../contract/frame-check'
import { toHex } from '../../contract/hex'
import { MAX_NAME } from '../../contract/limits'
import type { FrameInput } from '../../contract/schemas'
import type { SocketSummary } from '../../contract/views'

/** The contract's limits on a workspace's saved messages (contract/workspace-schema.ts). */
export const MAX_SAVED_MESSAGES = 1000
export const MAX_SAVED_FRAMES = 1024

/** Binary frames up to this size load as hex (readable), larger ones as base64 (a third shorter). */
const HEX_UP_TO = 1024

// ignoreBOM keeps a leading U+FEFF in the text, so the frame goes back out with it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function base64Of(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/**
 * One captured frame as composer input that encodes back to the same bytes: text when it is UTF-8 a textarea
 * keeps as it is (no CR, which a textarea turns into LF, and no other control character but tab and LF),
 * else hex, or base64 when large.
 */
export function frameInputOf(bytes: Uint8Array): FrameInput {
  try {
    const text = utf8.decode(bytes)
    // eslint-disable-next-line no-control-regex
    if (!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) return { enc: 'text', data: text }
  } catch {
    // not UTF-8: hex or base64 below
  }
  return bytes.length <= HEX_UP_TO ? { enc: 'hex', data: toHex(bytes) } : { enc: 'base64', data: base64Of(bytes) }
}

/** What the composer would send: its frames, after the ROUTER peer's routing id when one is picked. */
export function composedFrames(frames: readonly { enc: FrameEncoding; data: string }[], peer: string): FrameInput[] {
  const inputs = frames.map((f) => ({ enc: f.enc, data: f.data }))
  return peer ? [{ enc: 'hex', data: peer }, ...inputs] : inputs
}

/** Why a message cannot be saved under `name`, or null. */
export function savedMessageProblem(name: string, frames: readonly FrameInput[]): string | null {
  const trimmed = name.trim()
  if (trimmed === '') return 'give the message a name'
  if (trimmed.length > MAX_NAME) return `a name is at most ${MAX_NAME} characters`
  if (frames.length === 0) return 'a message needs at least one frame'
  if (frames.length > MAX_SAVED_FRAMES) return `a saved message has at most ${MAX_SAVED_FRAMES} frames`
  for (const [i, frame] of frames.entries()) {
    const problem = frameProblem(frame.enc, frame.data)
    if (problem) return `frame ${i + 1}: ${problem}`
  }
  return null
}

/**
 * The socket a saved message goes out from: its own if it still exists and can send, else the composer's
 * choice, else the first that can send.
 */
export function pickSender(
  socketKey: string | undefined,
  sendable: readonly SocketSummary[],
  chosen: string | null,
): SocketSummary | undefined {
  return sendable.find((s) => s.id === socketKey) ?? sendable.find((s) => s.id === chosen) ?? sendable[0] ?? undefined
}

/** A saved message in one line, for its tooltip: frames joined, binary ones by encoding and size. */
export function framesSummary(frames: readonly FrameInput[], max = 80): string {
  const text = frames
    .map((f) => (f.enc === 'text' || f.enc === 'json' ? f.data : `<${f.enc} ${f.data.length} chars>`))
    .join(' | ')
  return text.length > max ? `${text.slice(0, max)}…` : text
}
