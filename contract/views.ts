// Shapes the engine sends out: responses and pushed events. Type-only, safe for every bundle.
import type { RecordingSummary, ReplaySummary } from './recordings'
import type { Settings } from './settings-schema'
import type { WorkspaceChange } from './workspace-schema'
import type { DecoderState, PlotPoints, PlotSummary, SequenceStats } from './decoders'
import type { JupyterSession } from './jupyter'
import type { TapSideName, TapSummary } from './taps'

export { DRAFT_SOCKET_TYPES, SOCKET_TYPES } from './socket-types'
export type { DraftSocketType, SocketType, StandardSocketType } from './socket-types'
import type { SocketType } from './socket-types'

/** The guide's topologies the app can start inside itself. */
export const PRESET_NAMES = ['hello', 'weather', 'pipeline', 'tapped-hello'] as const
export type PresetName = (typeof PRESET_NAMES)[number]

export const ERROR_CODES = [
  'INVALID_REQUEST',
  'UNKNOWN_CHANNEL',
  'UNKNOWN_SOCKET',
  'UNKNOWN_ENTRY',
  'UNKNOWN_TERMINAL',
  'UNKNOWN_TAP',
  'UNKNOWN_RECORDING',
  /** A file was read that is not what it claims (corrupt, truncated past recovery, foreign, a newer version). */
  'BAD_FILE',
  'UNSUPPORTED',
  'NOT_ALLOWED',
  'ZMQ_ERROR',
  /** A configured or derived limit was reached (sockets, request size); the message says which and why. */
  'LIMIT',
  /** A file could not be written or read (disk full, read-only folder, permissions); the message says where. */
  'IO_ERROR',
  /** The user cancelled what was running (a long export); nothing was left half-done. */
  'CANCELLED',
  /** The page has no link to the host (browser host stopped or unreachable); never sent by a host. */
  'DISCONNECTED',
  'INTERNAL',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ContractError {
  code: ErrorCode
  message: string
  /** ZeroMQ errno name (EFSM, EADDRINUSE, ...) when the failure came from libzmq. */
  zmqCode?: string
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError }

/** The one way an error result is built, wherever it is answered (hosts, bridges, the contract's parser). */
export function failure(code: ErrorCode, message: string): { ok: false; error: ContractError } {
  return { ok: false, error: { code, message } }
}

/** Which host serves the engine: Electron IPC or the browser host's WebSocket. */
export type HostKind = 'electron' | 'browser'

/** Whether a host may start shells (the browser host can be run with --no-shell, and says why). */
export type ShellPolicy = { kind: 'enabled' } | { kind: 'disabled'; reason: string }

/** A captured message's direction, seen from the app's socket. */
export type Direction = 'in' | 'out'

export type EndpointStatus =
  | { kind: 'listening' }
  | { kind: 'connecting' }
  | { kind: 'connected'; peers: number }
  | { kind: 'retrying'; intervalMs: number }
  | { kind: 'disconnected' }
  | { kind: 'failed'; message: string }

export interface EndpointView {
  /** What the user asked for, e.g. tcp://127.0.0.1:* */
  requested: string
  /** What ZeroMQ resolved it to, e.g. tcp://127.0.0.1:40123 */
  address: string
  mode: 'bind' | 'connect'
  status: EndpointStatus
}

export type SocketState = { kind: 'open' } | { kind: 'closed' } | { kind: 'error'; message: string }

/** REQ/REP lockstep: whose move it is; 'free' for sockets without lockstep. */
export type Turn = 'free' | 'send' | 'receive'

export interface FrameBytesView {
  hex: string
  text: string | null
}

export interface SocketCounters {
  socketId: string
  msgsIn: number
  msgsOut: number
  bytesIn: number
  bytesOut: number
  sendErrors: number
  /** Entries of this socket evicted from the capture ring (counted, never silently lost). */
  ringDrops: number
  peers: PeerCounters[]
}

export interface PeerCounters {
  /** Routing id in hex (ROUTER/STREAM). */
  peer: string
  msgsIn: number
  bytesIn: number
  msgsOut: number
  bytesOut: number
}

export interface DownstreamSubscription {
  prefix: FrameBytesView
  subscribers: number
}

export interface SocketSummary {
  id: string
  name: string
  type: SocketType
  state: SocketState
  endpoints: EndpointView[]
  subscriptions: FrameBytesView[]
  /** XPUB only: what downstream subscribers have subscribed to, with how many subscribers each. */
  downstream: DownstreamSubscription[]
  turn: Turn
  canSend: boolean
  canReceive: boolean
  counters: SocketCounters
  /** Set when the socket is one side of a tap: the tap forwards on it, so the composer and subscriptions do not. */
  tap?: { tapId: string; side: TapSideName }
}

export interface FrameView {
  size: number
  /** Base64 of the first bytes of the frame (display preview). */
  b64: string
  truncated: boolean
}

export interface LogEntryView {
  id: number
  socketId: string
  dir: Direction
  /** Monotonic milliseconds since the engine started (performance.now()). */
  mono: number
  /** Wall clock, epoch milliseconds. */
  wall: number
  size: number
  frames: FrameView[]
  /** Peer routing id in hex, where ZeroMQ gives one. */
  peer?: string
}

export interface TimelineEntry {
  id: number
  socketId: string
  mono: number
  wall: number
  kind: string
  address?: string
  intervalMs?: number
  error?: string
}

export interface CaptureStats {
  maxBytes: number
  bytes: number
  entries: number
  dropped: number
  /** Entries produced but not delivered in batches because one period exceeded the batch cap. */
  skippedInBatches: number
  lastId: number
}

export interface CaptureBatch {
  entries: LogEntryView[]
  /**
   * Entry ids since the previous batch that this batch does not carry as rows: over the batch cap, evicted
   * before delivery, or held back because this client fell behind. Rows plus skipped cover every id; the ones
   * still in the ring can be fetched with log:query.
   */
  skipped: number
  timeline: TimelineEntry[]
  counters: SocketCounters[]
  capture: CaptureStats
}

export interface TerminalView {
  id: string
  shell: string
  cwd: string
  pid: number
  state: { kind: 'running' } | { kind: 'exited'; exitCode: number; signal: number | null }
}

export interface TerminalOutput {
  terminalId: string
  data: string
}

export interface TerminalExit {
  terminalId: string
  exitCode: number
  signal: number | null
}

export type EngineEvent =
  | { type: 'batch'; batch: CaptureBatch }
  | { type: 'sockets'; sockets: SocketSummary[] }
  | { type: 'taps'; taps: TapSummary[] }
  /** Recordings of this engine run, on every change and about once a second while one records. */
  | { type: 'recordings'; recordings: RecordingSummary[] }
  | { type: 'replays'; replays: ReplaySummary[] }
  /** How far a long export got; `total` is what the capture held when it began (an upper bound). */
  | { type: 'export-progress'; exportId: string; written: number; total: number }
  /** A command from the host's own menu (Electron's File menu) for the page to carry out. */
  | { type: 'command'; command: MenuCommand }
  /** The host's settings changed (this page or another one set them). */
  | { type: 'settings'; settings: Settings }
  /** The decoder rules or the loaded .proto files changed. */
  | { type: 'decoders'; decoders: DecoderState }
  /** Sequence rules' counts and marks, at most once a second while they change. */
  | { type: 'sequences'; stats: SequenceStats }
  | { type: 'plots'; plots: PlotSummary[] }
  /** Jupyter sessions opened or closed, or their counts changed (at most once a second). */
  | { type: 'jupyter'; sessions: JupyterSession[] }
  /** New plot points, a few times a second while plots are active. */
  | { type: 'plot-points'; points: PlotPoints[] }
  /** A workspace was opened, saved or cleared (by any page): the other pages follow. */
  | { type: 'workspace'; change: WorkspaceChange }
  | { type: 'terminal-output'; chunks: TerminalOutput[] }
  | { type: 'terminal-exit'; exit: TerminalExit }

/**
 * What the Electron File menu asks of the page: the page holds half of a workspace (layout, saved messages),
 * so saving and opening go through it. `workspace-opened`: the host opened one itself (Open Recent, a file
 * given at start) and the page restores its part.
 */
export type MenuCommand =
  | { kind: 'workspace-new' }
  | { kind: 'workspace-open' }
  | { kind: 'workspace-save' }
  | { kind: 'workspace-save-as' }
  | { kind: 'workspace-opened' }
  | { kind: 'recording-open' }

export interface EngineInfo {
  /** Random per engine run: a page that reconnects tells a restarted host (ids start over) from a dropped link. */
  instance: string
  appVersion: string
  libzmqVersion: string
  capabilities: Record<string, boolean>
  socketTypes: SocketType[]
  capture: CaptureStats
  host: HostKind
  /** Whether terminal:open may start a shell here (the browser host can be run with --no-shell). */
  shell: ShellPolicy
}

export interface CaptureExport {
  path: string
  entries: number
  bytes: number
}

export interface CurveKeyPair {
  publicKey: string
  secretKey: string
}

export interface FullFrames {
  entryId: number
  frames: string[]
}

/**
 * Messages read forward from a position (0 = the first message). Entry ids are position + 1. A filtered read
 * stops after `limit` matches or a time budget; `next` is where to go on, `done` says the file's end was reached.
 */
export interface RecordingPage {
  entries: LogEntryView[]
  next: number
  done: boolean
  scanned: number
}
