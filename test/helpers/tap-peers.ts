// What the tap tests share: the numbered multi-frame messages the tap_* pyzmq peers send (the same bytes as
// test/fixtures/python/tap_common.py), the digest and seq runs those peers report, and small probes of a tap.
import { createHash } from 'node:crypto'
import { createServer } from 'node:net'
import type { TapSummary } from '../../contract/taps'
import type { LogEntryView } from '../../contract/views'
import type { Engine } from '../../main/engine/engine'
import type { Probe } from './probe'
import type { PythonPeer } from './python-peer'

/** [b"<tag> <seq>", seq as u32 big-endian, 00 ff <seq & ff> 00 + (seq % 3) zero bytes] + an empty frame every 4th. */
export function tapMessage(tag: string, seq: number): Buffer[] {
  const seqBytes = Buffer.alloc(4)
  seqBytes.writeUInt32BE(seq)
  const frames = [
    Buffer.from(`${tag} ${seq}`),
    seqBytes,
    Buffer.concat([Buffer.from([0x00, 0xff, seq & 0xff, 0x00]), Buffer.alloc(seq % 3)]),
  ]
  if (seq % 4 === 0) frames.push(Buffer.alloc(0))
  return frames
}

/** What tap_service.py answers: the request with "re " before its first frame. */
export function replyTo(body: Buffer[]): Buffer[] {
  return [Buffer.concat([Buffer.from('re '), body[0]!]), ...body.slice(1)]
}

export function messages(tag: string, from: number, to: number): Buffer[][] {
  return Array.from({ length: to - from }, (_, k) => tapMessage(tag, from + k))
}

/** tap_common.Tally's digest: per message its frame count, then each frame's length and bytes (u32 BE). */
export function digest(list: Buffer[][]): string {
  const hash = createHash('sha256')
  const u32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeUInt32BE(n)
    return b
  }
  for (const frames of list) {
    hash.update(u32(frames.length))
    for (const frame of frames) hash.update(Buffer.concat([u32(frame.length), frame]))
  }
  return hash.digest('hex')
}

export function hexFrames(frames: Buffer[]): string {
  return frames.map((f) => f.toString('hex')).join(',')
}

export function fromHexFrames(text: string): Buffer[] {
  return text.split(',').map((h) => Buffer.from(h, 'hex'))
}

/** The full bytes of a captured entry (never the display preview). */
export function fullFrames(engine: Engine, entry: LogEntryView | number): Buffer[] {
  const id = typeof entry === 'number' ? entry : entry.id
  return engine.frames(id).frames.map((b64) => Buffer.from(b64, 'base64'))
}

export interface Tally {
  count: number
  digest: string
  /** Seq runs in arrival order, "0-9,12-20"; an in-order stream without gaps is one run. */
  runs: string
  stray: number
}

let awaited = 0

/** Asks a tap_recv/tap_service peer for its tally once it has at least `n` messages (n = 0: right now). */
export async function tallyOf(peer: PythonPeer, n: number): Promise<Tally> {
  const id = `t${++awaited}`
  peer.write(`await ${id} ${n}\n`)
  const m = await peer.line(new RegExp(`^have ${id} (\\d+) ([0-9a-f]{64}) (\\S+) stray=(\\d+)$`))
  return { count: Number(m[1]), digest: m[2]!, runs: m[3]!, stray: Number(m[4]) }
}

/** The tap's latest summary as the engine pushed it ('taps' events), for probe.until conditions. */
export function pushed(probe: Probe, tapId: string): TapSummary | undefined {
  return probe.taps.find((t) => t.id === tapId)
}

/** A loopback port nothing listens on right now (the kernel's pick, released again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** The port of a resolved tcp address, tcp://127.0.0.1:40123 -> 40123. */
export function portOf(address: string): number {
  const m = address.match(/:(\d+)$/)
  if (!m) throw new Error(`no port in ${address}`)
  return Number(m[1])
}
