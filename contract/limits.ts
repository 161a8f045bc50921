// Size limits of the contract and the byte measure they use. Pure constants and functions, no zod: the renderer
// imports them to say "too large" before sending, the contract (contract.ts) to refuse it, from one copy.

/** Encoded frame payloads above this are refused before decoding (a 64 MiB frame is 85 Mi base64 chars). */
export const MAX_FRAME_CHARS = 96 * 1024 * 1024
/**
 * The same bound as the frames' data will travel: UTF-8 bytes of their JSON strings. Text that JSON must escape
 * (control characters: 6 bytes each) or that is not ASCII takes more bytes than characters; measuring this way
 * makes "the contract accepts it" and "it fits through the browser host's WebSocket" the same statement.
 */
export const MAX_MESSAGE_BYTES = 96 * 1024 * 1024
/**
 * The browser host's largest WebSocket message: a request at MAX_MESSAGE_BYTES plus its envelope (ids, channel,
 * up to 1024 frames' wrappers) fits with room to spare. Other channels' requests are small; the browser bridge
 * still refuses any request over this before sending it.
 */
export const MAX_WS_PAYLOAD_BYTES = 128 * 1024 * 1024
/** A socket's name, in characters: the schema refuses longer ones, "duplicate" cuts its "… copy" name to fit. */
export const MAX_NAME = 120
/** log:query's largest page: the schema refuses more, the page's gap loader asks for at most this many at once. */
export const MAX_QUERY_LIMIT = 5000

export function totalChars(frames: readonly { data: string }[]): number {
  let chars = 0
  for (const frame of frames) chars += frame.data.length
  return chars
}

/**
 * UTF-8 length of JSON.stringify(text) without its two quotes, computed without building it (a 96 Mi-character
 * frame would be copied twice). Plain ASCII is one byte a character, so base64 and hex are their length.
 */
function jsonEscapedBytes(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x0c || c === 0x0a || c === 0x0d || c === 0x09) bytes += 2
    else if (c < 0x20) bytes += 6
    else if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 6 // a lone surrogate is escaped as \udXXX
    } else if (c >= 0xdc00 && c <= 0xdfff) bytes += 6
    else bytes += 3
  }
  return bytes
}

/** What a message's frame data weighs on the wire as JSON: the measure MAX_MESSAGE_BYTES bounds. */
export function messageBytes(frames: readonly { data: string }[]): number {
  let bytes = 0
  for (const frame of frames) bytes += jsonEscapedBytes(frame.data)
  return bytes
}
