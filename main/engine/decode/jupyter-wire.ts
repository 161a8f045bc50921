// The Jupyter wire protocol: one ZeroMQ multipart message is [routing identities…, "<IDS|MSG>", HMAC hex,
// header, parent_header, metadata, content, buffers…]. The HMAC covers the four JSON frames, in that order.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { JupyterChannel, JupyterMessage, SignatureState } from '../../../contract/jupyter'

export type { JupyterChannel, JupyterMessage, SignatureState } from '../../../contract/jupyter'
import { toDecoded } from './value'

/** What a connection file says about signing: `key` '' means messages go unsigned. */
export interface JupyterKey {
  key: string
  scheme: string
}

export const JUPYTER_DELIMITER = '<IDS|MSG>'
const DELIMITER_BYTES = Buffer.from(JUPYTER_DELIMITER)
const SIGNED_PARTS = ['header', 'parent_header', 'metadata', 'content'] as const

// Python's hashlib names (what jupyter_client writes after "hmac-") mapped to Node's digest names.
const HMAC_DIGESTS: Readonly<Record<string, string>> = {
  md5: 'md5',
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  'sha512-224': 'sha512-224',
  'sha512-256': 'sha512-256',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512',
  blake2b: 'blake2b512',
  blake2s: 'blake2s256',
}

/** Node's digest for a Jupyter signature scheme ("hmac-sha256" -> "sha256"), or undefined if none fits. */
export function hmacDigest(scheme: string): string | undefined {
  const match = /^hmac-(.+)$/i.exec(scheme)
  if (!match) return undefined
  return HMAC_DIGESTS[match[1]!.toLowerCase().replaceAll('_', '-')]
}

export const SUPPORTED_SCHEMES = Object.keys(HMAC_DIGESTS).map((name) => `hmac-${name}`)

/** Checks `signature` (the hex frame) against the HMAC of `signed` (header, parent, metadata, content frames). */
export function verifySignature(
  signature: string,
  signed: readonly Uint8Array[],
  key: JupyterKey | undefined,
): SignatureState {
  if (key === undefined) return { kind: 'unchecked', reason: 'no connection file key is known for this socket' }
  if (key.key === '') {
    if (signature === '') return { kind: 'unsigned' }
    return { kind: 'invalid', reason: "the message is signed but the connection file's key is empty", got: signature }
  }
  const digest = hmacDigest(key.scheme)
  if (digest === undefined) {
    return { kind: 'unchecked', reason: `signature scheme "${key.scheme}" is not one ZeroScope can compute` }
  }
  if (signature === '') {
    return { kind: 'invalid', reason: 'the message is unsigned but the connection file has a key', got: '' }
  }
  const hmac = createHmac(digest, key.key)
  for (const part of signed) hmac.update(part)
  const expected = hmac.digest('hex')
  const got = Buffer.from(signature.toLowerCase())
  const same = got.length === expected.length && timingSafeEqual(got, Buffer.from(expected))
  if (same) return { kind: 'valid' }
  return { kind: 'invalid', reason: `the ${key.scheme} signature does not match the key`, got: signature, expected }
}

/** Splits and decodes a Jupyter message; throws an Error saying what is wrong for frames that are not one. */
export function decodeJupyter(
  frames: readonly Uint8Array[],
  key: JupyterKey | undefined,
  channel?: JupyterChannel,
): JupyterMessage {
  const at = frames.findIndex((frame) => DELIMITER_BYTES.equals(frame))
  if (at < 0) throw new Error(`no ${JUPYTER_DELIMITER} delimiter among ${plural(frames.length, 'frame')}`)
  const after = frames.length - at - 1
  if (after < 5) {
    throw new Error(
      `the ${JUPYTER_DELIMITER} delimiter at frame ${at} is followed by ${plural(after, 'frame')}; a Jupyter ` +
        'message needs 5 (signature, header, parent_header, metadata, content)',
    )
  }
  const signed = frames.slice(at + 2, at + 6)
  const [header, parentHeader, metadata, content] = SIGNED_PARTS.map((name, i) => parseObject(name, signed[i]!))
  const msgType = header!.msg_type
  const msgId = header!.msg_id
  if (typeof msgType !== 'string' || msgType === '') throw new Error('header has no msg_type string')
  if (typeof msgId !== 'string' || msgId === '') throw new Error('header has no msg_id string')
  const message: JupyterMessage = {
    identities: frames.slice(0, at).map(printableIdentity),
    signature: verifySignature(Buffer.from(frames[at + 1]!).toString('latin1'), signed, key),
    header: toDecoded(header),
    parentHeader: toDecoded(parentHeader),
    metadata: toDecoded(metadata),
    content: toDecoded(content),
    buffers: after - 5,
    msgType,
    msgId,
    parentMsgId: optionalText(parentHeader!.msg_id),
    parentMsgType: optionalText(parentHeader!.msg_type),
    session: optionalText(header!.session),
  }
  if (channel !== undefined) message.channel = channel
  return message
}

function parseObject(name: string, frame: Uint8Array): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(frame).toString('utf8'))
  } catch (error) {
    throw new Error(`${name} is not JSON: ${(error as Error).message}`, { cause: error })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${name} is JSON but not an object (it is ${value === null ? 'null' : jsonKind(value)})`)
  }
  return value as Record<string, unknown>
}

function jsonKind(value: unknown): string {
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** Text when the bytes are printable UTF-8 (IOPub topics, uuids), else 0x-hex (libzmq's binary routing ids). */
export function printableIdentity(frame: Uint8Array): string {
  try {
    const text = strictUtf8.decode(frame)
    // eslint-disable-next-line no-control-regex -- control characters are what makes an id unprintable
    if (text !== '' && !/[\u0000-\u001f\u007f]/.test(text)) return text
  } catch {
    // not UTF-8: shown as hex below
  }
  return `0x${Buffer.from(frame).toString('hex')}`
}
