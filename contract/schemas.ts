// The contract: every channel's request schema (validated at runtime on the host side) and response type.
// Hosts validate with `parseRequest`; the renderer imports only types from here.
import { z } from 'zod'
import { Channel, type ChannelName } from './channels'
import type { EndpointMode } from './endpoint'
import {
  DRAFT_SOCKET_TYPES,
  failure,
  PRESET_NAMES,
  SOCKET_TYPES,
  type CaptureExport,
  type CaptureStats,
  type ContractError,
  type CurveKeyPair,
  type EngineInfo,
  type FullFrames,
  type LogEntryView,
  type RecordingPage,
  type SocketSummary,
  type TerminalView,
} from './views'
import type { TapPair, TapStats, TapSummary } from './taps'
import type {
  OpenedRecording,
  RecordingDensity,
  RecordingFolder,
  RecordingOpen,
  RecordingStart,
  RecordingSummary,
  ReplaySummary,
} from './recordings'
import {
  onRecording,
  onReplay,
  onSource,
  recordingDensity,
  recordingFilter,
  recordingFrames,
  recordingOpen,
  recordingPage,
  recordingSeek,
  recordingStart,
  replayStart,
  sourceId,
} from './recording-schemas'
import { endpoint, frameInput, socketOptions, tapCreate } from './socket-schemas'
import {
  decodeEntry,
  decoderRuleInput,
  jupyterOpen,
  jupyterSessionId,
  logMatch,
  plotAdd,
  plotId,
  protoLoad,
  ruleId,
  schemaId,
} from './decoder-schemas'
import type { JupyterSession, JupyterThreads } from './jupyter'
import type {
  DecoderRule,
  DecoderState,
  EntryDecode,
  MatchResult,
  PlotSummary,
  ProtoSchema,
  SequenceStats,
} from './decoders'
export { frameInput, socketOptions, tapCreate } from './socket-schemas'
export type { FrameInput, SocketOptions, TapCreateRequest, TapSideRequest } from './socket-schemas'
import { settingsPatch, type Settings } from './settings-schema'
import {
  type WorkspaceCurrent,
  workspaceOpen,
  workspaceSave,
  type WorkspaceFolder,
  type WorkspaceOpened,
  type WorkspaceSaved,
} from './workspace-schema'
import { MAX_MESSAGE_BYTES, MAX_NAME, MAX_QUERY_LIMIT, messageBytes } from './limits'

const MAX_FRAMES = 1024
const MiB = 1024 * 1024

const socketId = z.string().regex(/^s[0-9]{1,9}$/, 'socket ids look like "s12"')
const terminalId = z.string().regex(/^t[0-9]{1,9}$/, 'terminal ids look like "t3"')
const int = (min: number, max: number) => z.number().int().min(min).max(max)

const exportId = z.string().regex(/^x[0-9a-z]{1,24}$/, 'export ids look like "x1"')
const tapId = z.string().regex(/^tap[0-9]{1,9}$/, 'tap ids look like "tap2"')

const empty = z.strictObject({})
const onTap = z.strictObject({ tapId })
const onSocket = z.strictObject({ socketId })
const withEndpoint = (mode: EndpointMode) => z.strictObject({ socketId, endpoint: endpoint(mode) })
const withPrefix = z.strictObject({ socketId, prefix: frameInput })

/** Phantom-typed channel spec: the schema is real, the response type exists only for the compiler. */
interface Spec<S extends z.ZodType, R> {
  request: S
  response?: R
}
const spec =
  <R>() =>
  <S extends z.ZodType>(request: S): Spec<S, R> => ({ request })

export const contract = {
  [Channel.engineInfo]: spec<EngineInfo>()(empty),
  [Channel.socketList]: spec<SocketSummary[]>()(empty),
  [Channel.socketCreate]: spec<SocketSummary>()(
    z.strictObject({
      type: z.enum([...SOCKET_TYPES, ...DRAFT_SOCKET_TYPES]),
      name: z.string().trim().min(1).max(MAX_NAME).optional(),
      options: socketOptions.optional(),
    }),
  ),
  [Channel.socketClose]: spec<null>()(onSocket),
  [Channel.socketRename]: spec<SocketSummary>()(
    z.strictObject({ socketId, name: z.string().trim().min(1).max(MAX_NAME) }),
  ),
  [Channel.socketBind]: spec<SocketSummary>()(withEndpoint('bind')),
  [Channel.socketConnect]: spec<SocketSummary>()(withEndpoint('connect')),
  [Channel.socketUnbind]: spec<SocketSummary>()(z.strictObject({ socketId, endpoint: z.string().max(1024) })),
  [Channel.socketDisconnect]: spec<SocketSummary>()(z.strictObject({ socketId, endpoint: z.string().max(1024) })),
  [Channel.socketSetOptions]: spec<SocketSummary>()(z.strictObject({ socketId, options: socketOptions })),
  [Channel.socketSubscribe]: spec<SocketSummary>()(withPrefix),
  [Channel.socketUnsubscribe]: spec<SocketSummary>()(withPrefix),
  [Channel.socketSend]: spec<{ entryId: number }>()(
    z.strictObject({
      socketId,
      frames: z
        .array(frameInput)
        .min(1, 'a message needs at least one frame')
        .max(MAX_FRAMES)
        .refine((frames) => messageBytes(frames) <= MAX_MESSAGE_BYTES, {
          message: `the frames together take more than ${MAX_MESSAGE_BYTES / MiB} MiB encoded (${(MAX_MESSAGE_BYTES * 3) / 4 / MiB} MiB of binary as base64); send it in parts`,
        }),
    }),
  ),
  [Channel.logQuery]: spec<LogEntryView[]>()(
    z.strictObject({
      beforeId: z.number().int().min(0).optional(),
      limit: int(1, MAX_QUERY_LIMIT),
      socketId: socketId.optional(),
    }),
  ),
  [Channel.logFrames]: spec<FullFrames>()(z.strictObject({ entryId: z.number().int().min(0) })),
  [Channel.logClear]: spec<null>()(empty),
  [Channel.logExport]: spec<CaptureExport>()(
    z.strictObject({
      socketId: socketId.optional(),
      /** An opened recording's messages rather than the live capture's. */
      sourceId: sourceId.optional(),
      /** What the log's filter shows (the same fields as a recording's), or everything. */
      filter: recordingFilter.optional(),
      format: z.enum(['ndjson', 'csv']).optional(),
      frames: z.enum(['text', 'hex']).optional(),
      exportId: exportId.optional(),
    }),
  ),
  [Channel.logExportCancel]: spec<null>()(z.strictObject({ exportId })),
  [Channel.logExportFrames]: spec<{ folder: string; paths: string[] }>()(
    z.strictObject({ entryId: z.number().int().min(0) }),
  ),
  [Channel.captureConfigure]: spec<CaptureStats>()(
    z.strictObject({ maxBytes: int(1024 * 1024, 4 * 1024 * 1024 * 1024) }),
  ),
  [Channel.curveKeypair]: spec<CurveKeyPair>()(empty),
  [Channel.presetStart]: spec<SocketSummary[]>()(z.strictObject({ preset: z.enum(PRESET_NAMES) })),
  [Channel.tapCreate]: spec<TapSummary>()(tapCreate),
  [Channel.tapClose]: spec<null>()(onTap),
  [Channel.tapList]: spec<TapSummary[]>()(empty),
  [Channel.tapPause]: spec<TapSummary>()(onTap),
  [Channel.tapResume]: spec<TapSummary>()(onTap),
  [Channel.tapStep]: spec<TapSummary>()(onTap),
  [Channel.tapStats]: spec<TapStats>()(onTap),
  [Channel.tapPair]: spec<TapPair>()(z.strictObject({ entryId: z.number().int().min(0) })),
  [Channel.recordingStart]: spec<RecordingStart>()(recordingStart),
  [Channel.recordingStop]: spec<RecordingSummary>()(onRecording),
  [Channel.recordingList]: spec<RecordingSummary[]>()(empty),
  [Channel.recordingFiles]: spec<RecordingFolder>()(empty),
  [Channel.recordingOpen]: spec<RecordingOpen>()(recordingOpen),
  [Channel.recordingClose]: spec<null>()(onSource),
  [Channel.recordingOpened]: spec<OpenedRecording[]>()(empty),
  [Channel.recordingPage]: spec<RecordingPage>()(recordingPage),
  [Channel.recordingSeek]: spec<{ position: number }>()(recordingSeek),
  [Channel.recordingFrames]: spec<FullFrames>()(recordingFrames),
  [Channel.recordingDensity]: spec<RecordingDensity>()(recordingDensity),
  [Channel.replayStart]: spec<ReplaySummary>()(replayStart),
  [Channel.replayStop]: spec<ReplaySummary>()(onReplay),
  [Channel.workspaceSave]: spec<WorkspaceSaved>()(workspaceSave),
  [Channel.workspaceOpen]: spec<WorkspaceOpened>()(workspaceOpen),
  [Channel.workspaceNew]: spec<null>()(empty),
  [Channel.workspaceFiles]: spec<WorkspaceFolder>()(empty),
  [Channel.workspaceCurrent]: spec<WorkspaceCurrent>()(empty),
  [Channel.settingsGet]: spec<{ settings: Settings; note?: string }>()(empty),
  [Channel.settingsSet]: spec<Settings>()(settingsPatch),
  [Channel.decoderList]: spec<DecoderState>()(empty),
  [Channel.decoderAdd]: spec<DecoderRule>()(decoderRuleInput),
  [Channel.decoderRemove]: spec<null>()(z.strictObject({ ruleId })),
  [Channel.protoLoad]: spec<ProtoSchema>()(protoLoad),
  [Channel.protoRemove]: spec<null>()(z.strictObject({ schemaId })),
  [Channel.decodeEntry]: spec<EntryDecode>()(decodeEntry),
  [Channel.logMatch]: spec<MatchResult>()(logMatch),
  [Channel.sequenceStats]: spec<SequenceStats>()(empty),
  [Channel.sequenceReset]: spec<null>()(empty),
  [Channel.plotAdd]: spec<PlotSummary>()(plotAdd),
  [Channel.plotRemove]: spec<null>()(z.strictObject({ plotId })),
  [Channel.plotList]: spec<PlotSummary[]>()(empty),
  [Channel.jupyterOpen]: spec<JupyterSession>()(jupyterOpen),
  [Channel.jupyterClose]: spec<null>()(z.strictObject({ sessionId: jupyterSessionId })),
  [Channel.jupyterList]: spec<JupyterSession[]>()(empty),
  [Channel.jupyterThreads]: spec<JupyterThreads>()(z.strictObject({ sessionId: jupyterSessionId })),
  [Channel.terminalOpen]: spec<TerminalView>()(
    z.strictObject({ cols: int(2, 1000), rows: int(2, 1000), cwd: z.string().min(1).max(4096).optional() }),
  ),
  [Channel.terminalWrite]: spec<null>()(z.strictObject({ terminalId, data: z.string().max(1024 * 1024) })),
  [Channel.terminalResize]: spec<null>()(z.strictObject({ terminalId, cols: int(2, 1000), rows: int(2, 1000) })),
  [Channel.terminalClose]: spec<null>()(z.strictObject({ terminalId })),
  [Channel.terminalList]: spec<TerminalView[]>()(empty),
} satisfies Record<ChannelName, Spec<z.ZodType, unknown>>

export type Contract = typeof contract
export type Request<C extends ChannelName> = z.infer<Contract[C]['request']>
export type Response<C extends ChannelName> = Exclude<Contract[C]['response'], undefined>

export type Parsed<C extends ChannelName> = { ok: true; value: Request<C> } | { ok: false; error: ContractError }

/** Validates a payload for a channel; the error names the field and what is wrong with it. */
export function parseRequest<C extends ChannelName>(channel: C, payload: unknown): Parsed<C> {
  const result = contract[channel].request.safeParse(payload ?? {})
  if (result.success) return { ok: true, value: result.data as Request<C> }
  const issues = result.error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : 'request'
    return `${path}: ${issue.message}`
  })
  return failure('INVALID_REQUEST', `${channel}: ${issues.join('; ')}`)
}
