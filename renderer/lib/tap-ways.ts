// Which way a tapped message went, for the log rows: a side socket receives what it forwards, so the side that
// received a message says the way (upstream side -> down, downstream side -> up). Pure.
import { TAP_SHAPES, type TapFamily, type TapSummary, type TapWay } from '../../contract/taps'
import type { SocketSummary } from '../../contract/views'

export interface RowWay {
  tapId: string
  family: TapFamily
  way: TapWay
  /** The family's own words, e.g. "client → service". */
  label: string
}

/** Per side socket id; a socket that is no tap's side has no entry. */
export function tapWays(sockets: SocketSummary[], taps: TapSummary[]): Record<string, RowWay> {
  const families: Record<string, TapFamily> = {}
  for (const tap of taps) families[tap.id] = tap.family
  const ways: Record<string, RowWay> = {}
  for (const socket of sockets) {
    if (!socket.tap) continue
    const family = families[socket.tap.tapId]
    // The socket list and the tap list arrive in separate events: for a moment a side may name a tap not yet known.
    if (!family) continue
    const way: TapWay = socket.tap.side === 'upstream' ? 'down' : 'up'
    ways[socket.id] = { tapId: socket.tap.tapId, family, way, label: TAP_SHAPES[family].ways[way] }
  }
  return ways
}
