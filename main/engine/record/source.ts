// What an opened recording is to its reader thread, whichever file holds it (an MCAP recording, an NDJSON
// export): messages by position in time order, found by position or time, counted per time slice.
import type { OpenedRecording } from '../../../contract/recordings'
import type { Direction } from '../../../contract/views'

export interface SourceMessage {
  /** 0-based, over the traffic messages only (a recording's events are not positions). */
  position: number
  socketId: string
  dir: Direction
  /** Receive time, epoch milliseconds (fractional where the file is finer). */
  wall: number
  /** Milliseconds since the source's first message: what replay's original timing waits for. */
  offsetMs: number
  frames: Buffer[]
  peer?: Buffer
  size: number
}

export interface RecordingSource {
  readonly path: string
  readonly total: number
  readonly startWall: number
  readonly endWall: number
  describe(sourceId: string): Promise<Omit<OpenedRecording, 'recovered'>>
  /** Messages from `position` on, in order. */
  from(position: number): AsyncGenerator<SourceMessage>
  at(position: number): Promise<SourceMessage | undefined>
  /** Position of the first message received at or after `wall` (the last message when none is). */
  positionAt(wall: number): Promise<number>
  /** Messages per equal slice of [startWall, endWall]. */
  density(bins: number): number[]
  close(): Promise<void>
}
