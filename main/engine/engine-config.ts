// What a host configures of its engine; every field has a default.
import type { HostKind } from '../../contract/views'
import type { HoldLimit } from './tap'

export interface EngineConfig {
  host: HostKind
  ringBytes?: number
  /** Delivery cadence: at most one batch per this many milliseconds. */
  batchIntervalMs?: number
  /** Entries per batch; a busier period sends the newest ones and counts the rest as skipped. */
  batchMaxEntries?: number
  /** Where capture exports are written (default ~/.zeroscope/exports). */
  exportsDir?: string
  /** How long a send waits for a peer before EAGAIN, unless the socket sets its own (default 2 s). */
  sendTimeoutMs?: number
  /** Most sockets open at once (default: what the fd limit and libzmq's context allow, with headroom). */
  maxSockets?: number
  /** What a paused tap holds before it stops receiving (default 100,000 messages or 64 MiB). */
  tapHoldLimit?: HoldLimit
  /** Where recordings are written and listed (default ~/.zeroscope/recordings). */
  recordingsDir?: string
  /** A recording stops, its file whole, when the disk has less than this free (default 256 MiB). */
  recordingMinFreeBytes?: number
  /** How long one read of an opened recording may take before it is stopped as LIMIT (default 10 s). */
  recordingReadTimeoutMs?: number
  /** Where workspaces are saved and listed (default ~/.zeroscope/workspaces). */
  workspacesDir?: string
  /** Where tapped Jupyter connection files are written (default ~/.zeroscope/jupyter). */
  jupyterDir?: string
}
