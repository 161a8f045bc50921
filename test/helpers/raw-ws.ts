// A WebSocket client at the byte level: the handshake by hand, then any frame at all, malformed ones included
// (the `ws` client refuses to send those). Tests use it to attack the browser host the way a hostile or buggy
// client would.
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'

export interface RawFrame {
  opcode: number
  payload?: Buffer
  fin?: boolean
  /** RSV1..3 as bits 0b100, 0b010, 0b001. */
  rsv?: number
  /** Clients must mask; false sends an unmasked frame (a protocol error). */
  masked?: boolean
  /** Announce this payload length instead of the real one (to claim a frame over the server's limit). */
  announcedLength?: number
}

export function encodeFrame(frame: RawFrame): Buffer {
  const payload = frame.payload ?? Buffer.alloc(0)
  const length = frame.announcedLength ?? payload.length
  const masked = frame.masked ?? true
  const head: number[] = [((frame.fin ?? true) ? 0x80 : 0) | ((frame.rsv ?? 0) << 4) | (frame.opcode & 0x0f)]
  const maskBit = masked ? 0x80 : 0
  let extended = Buffer.alloc(0)
  if (length < 126) head.push(maskBit | length)
  else if (length < 65536) {
    head.push(maskBit | 126)
    extended = Buffer.alloc(2)
    extended.writeUInt16BE(length)
  } else {
    head.push(maskBit | 127)
    extended = Buffer.alloc(8)
    extended.writeBigUInt64BE(BigInt(length))
  }
  if (!masked) return Buffer.concat([Buffer.from(head), extended, payload])
  const key = randomBytes(4)
  const body = Buffer.from(payload)
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!
  return Buffer.concat([Buffer.from(head), extended, key, body])
}

export type RawOutcome = { kind: 'closed'; code: number | null } | { kind: 'ended' }

export class RawWebSocket {
  private readonly ended: Promise<RawOutcome>

  /** `buffered`: what the server sent after the handshake's head, in the same read. */
  private constructor(
    private readonly socket: Socket,
    private buffered: Buffer,
  ) {
    this.ended = new Promise((resolve) => {
      const early = this.closeCode()
      if (early !== undefined) resolve({ kind: 'closed', code: early })
      socket.on('data', (chunk: Buffer) => {
        this.buffered = Buffer.concat([this.buffered, chunk])
        const code = this.closeCode()
        if (code !== undefined) resolve({ kind: 'closed', code })
      })
      socket.on('close', () => resolve({ kind: 'ended' }))
      socket.on('error', () => resolve({ kind: 'ended' }))
    })
  }

  /** Opens a connection and completes the handshake; rejects with the status line if refused. */
  static async open(port: number, path: string, origin: string): Promise<RawWebSocket> {
    const socket = connect(port, '127.0.0.1')
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    const key = randomBytes(16).toString('base64')
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    )
    const response = await new Promise<{ head: string; rest: Buffer }>((resolve, reject) => {
      let data = Buffer.alloc(0)
      const onData = (chunk: Buffer): void => {
        data = Buffer.concat([data, chunk])
        const end = data.indexOf('\r\n\r\n')
        if (end < 0) return
        socket.off('data', onData)
        resolve({ head: data.subarray(0, end).toString(), rest: data.subarray(end + 4) })
      }
      socket.on('data', onData)
      socket.once('close', () => reject(new Error(`closed during handshake: ${data.toString().slice(0, 80)}`)))
    })
    if (!response.head.startsWith('HTTP/1.1 101')) {
      socket.destroy()
      throw new Error(response.head.split('\r\n')[0])
    }
    return new RawWebSocket(socket, response.rest)
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes)
  }

  send(frame: RawFrame): void {
    this.socket.write(encodeFrame(frame))
  }

  /** Resolves once the server sent a close frame (with its code) or dropped the connection. */
  outcome(): Promise<RawOutcome> {
    return this.ended
  }

  destroy(): void {
    this.socket.destroy()
  }

  /** Drops the connection with a TCP RST (SO_LINGER 0) rather than a FIN, as a crashed client's kernel would. */
  reset(): void {
    this.socket.resetAndDestroy()
  }

  /** The status code of a close frame among the server's frames so far, null for one without a code. */
  private closeCode(): number | null | undefined {
    let at = 0
    const data = this.buffered
    while (at + 2 <= data.length) {
      const opcode = data[at]! & 0x0f
      let length = data[at + 1]! & 0x7f
      let start = at + 2
      if (length === 126) {
        if (start + 2 > data.length) return undefined
        length = data.readUInt16BE(start)
        start += 2
      } else if (length === 127) {
        if (start + 8 > data.length) return undefined
        length = Number(data.readBigUInt64BE(start))
        start += 8
      }
      if (start + length > data.length) return undefined
      if (opcode === 0x8) return length >= 2 ? data.readUInt16BE(start) : null
      at = start + length
    }
    return undefined
  }
}
