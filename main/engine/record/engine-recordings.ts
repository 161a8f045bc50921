// How the engine's registry meets its recordings: what a channel and a file say about the sockets, and where
// files go. Kept out of engine.ts so that the facade stays a facade.
import { homedir } from 'node:os'
import { join } from 'node:path'
import * as zmq from 'zeromq'
import { TOPOLOGY_METADATA } from '../../../contract/recordings'
import type { TapSummary } from '../../../contract/taps'
import type { HostKind } from '../../../contract/views'
import { APP_VERSION } from '../../version'
import { EngineError } from '../errors'
import type { ManagedSocket } from '../socket'
import type { TapRegistry } from '../tap-registry'
import { Recordings } from './recordings'
import { recordedSocket } from './topology'

/** Below this much free disk a recording stops (closed whole) rather than fill the disk. */
export const DEFAULT_MIN_FREE_BYTES = 256 * 1024 * 1024

export interface RecordingsWiring {
  host: HostKind
  folder?: string
  minFreeBytes?: number
  sockets: ReadonlyMap<string, ManagedSocket>
  taps: TapRegistry
  changed: () => void
}

function recordedTap(tap: TapSummary) {
  const side = (s: TapSummary['upstream']) => ({
    socketId: s.socketId,
    mode: s.mode,
    requested: s.requested,
    address: s.address,
  })
  return {
    id: tap.id,
    name: tap.name,
    family: tap.family,
    upstream: side(tap.upstream),
    downstream: side(tap.downstream),
  }
}

export function engineRecordings(w: RecordingsWiring): Recordings {
  const describe = (socket: ManagedSocket) => recordedSocket(socket.summary(), socket.options)
  return new Recordings(
    {
      folder: w.folder ?? join(homedir(), '.zeroscope', 'recordings'),
      minFreeBytes: w.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES,
      library: `ZeroScope ${APP_VERSION}`,
      socketExists: (socketId) => w.sockets.has(socketId),
      tapSides: (tapId) => {
        const tap = w.taps.list().find((t) => t.id === tapId)
        if (tap === undefined) throw new EngineError('UNKNOWN_TAP', `no tap with id ${tapId}`)
        return [tap.upstream.socketId, tap.downstream.socketId]
      },
    },
    {
      channelMetadata: (socketId, dir) => {
        const socket = w.sockets.get(socketId)
        const summary = socket?.summary()
        const entries: [string, string][] = [
          ['socketId', socketId],
          ['name', summary?.name ?? socketId],
          ['type', summary?.type ?? 'unknown'],
          ['dir', dir],
        ]
        if (summary?.tap) entries.push(['tapId', summary.tap.tapId], ['tapSide', summary.tap.side])
        return entries
      },
      topology: () => [
        {
          name: TOPOLOGY_METADATA,
          entries: [
            ['formatVersion', '1'],
            ['appVersion', APP_VERSION],
            ['libzmqVersion', zmq.version],
            ['host', w.host],
            ['recordedAt', new Date().toISOString()],
            ['sockets', JSON.stringify([...w.sockets.values()].map(describe))],
            ['taps', JSON.stringify(w.taps.list().map(recordedTap))],
          ],
        },
      ],
      changed: w.changed,
    },
  )
}
