// zeroscope.multipart: one ZeroMQ message as one MCAP message's bytes, byte-exact (empty frames, any bytes).
//   u8       peer: 0 none; 1 the first frame is the peer's routing id (ROUTER, STREAM); 2 a peer follows
//   [u32 LE  peer length, then its bytes]                        only when peer = 2 (draft SERVER, DISH)
//   u32 LE   frame count, then per frame: u32 LE length, then its bytes
// The README's "Recording format" documents the same layout for readers in other languages.

const NO_PEER = 0
const PEER_IS_FIRST = 1
const PEER_FOLLOWS = 2

export function encodedSize(frames: readonly Uint8Array[], peer: Uint8Array | undefined): number {
  let size = 1 + 4 + 4 * frames.length
  for (const frame of frames) size += frame.length
  if (peer !== undefined && peer !== frames[0]) size += 4 + peer.length
  return size
}

/** Writes the message at `at`; returns the offset after it. `target` must have encodedSize() bytes free. */
export function encodeInto(
  target: Buffer,
  at: number,
  frames: readonly Uint8Array[],
  peer: Uint8Array | undefined,
): number {
  if (peer === undefined) target[at++] = NO_PEER
  else if (peer === frames[0]) target[at++] = PEER_IS_FIRST
  else {
    target[at++] = PEER_FOLLOWS
    at = target.writeUInt32LE(peer.length, at)
    target.set(peer, at)
    at += peer.length
  }
  at = target.writeUInt32LE(frames.length, at)
  for (const frame of frames) {
    at = target.writeUInt32LE(frame.length, at)
    target.set(frame, at)
    at += frame.length
  }
  return at
}

export function encodeMultipart(frames: readonly Uint8Array[], peer?: Uint8Array): Buffer {
  const target = Buffer.allocUnsafe(encodedSize(frames, peer))
  encodeInto(target, 0, frames, peer)
  return target
}

export interface DecodedMessage {
  frames: Buffer[]
  peer?: Buffer
  size: number
}

/** The frames back (views into `data`); throws a sentence when the bytes are not this encoding. */
export function decodeMultipart(data: Uint8Array): DecodedMessage {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const fail = (what: string): never => {
    throw new Error(`not a ${'zeroscope.multipart'} message: ${what} (${bytes.length} bytes)`)
  }
  if (bytes.length < 5) fail('too short')
  let at = 0
  const kind = bytes[at++]
  let peer: Buffer | undefined
  if (kind === PEER_FOLLOWS) {
    const length = bytes.readUInt32LE(at)
    at += 4
    if (at + length > bytes.length) fail('the peer runs past the end')
    peer = bytes.subarray(at, at + length)
    at += length
  } else if (kind !== NO_PEER && kind !== PEER_IS_FIRST) fail(`unknown peer marker ${kind}`)
  if (at + 4 > bytes.length) fail('no frame count')
  const count = bytes.readUInt32LE(at)
  at += 4
  if (count > (bytes.length - at) / 4) fail(`a frame count of ${count} does not fit`)
  const frames: Buffer[] = []
  let size = 0
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.length) fail(`frame ${i} has no length`)
    const length = bytes.readUInt32LE(at)
    at += 4
    if (at + length > bytes.length) fail(`frame ${i} runs past the end`)
    frames.push(bytes.subarray(at, at + length))
    at += length
    size += length
  }
  if (at !== bytes.length) fail(`${bytes.length - at} bytes left after the frames`)
  if (kind === PEER_IS_FIRST) peer = frames[0]
  return peer === undefined ? { frames, size } : { frames, peer, size }
}
