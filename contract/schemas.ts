// The contract: every channel's request schema (validated at runtime on the host side) and response type.
// Hosts validate with `parseRequest`; the renderer imports only types from here.
import { z } from 'zod'
import { Channel, type ChannelName } from './channels'
import { checkEndpoint, type EndpointMode } from './endpoint'
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
import type { TAP_SHAPES, TapFamily, TapPair, TapSideName, TapStats, TapSummary } from './taps'
import type {
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
  recordingFrames,
  recordingOpen,
  recordingPage,
  recordingSeek,
  recordingStart,
  replayStart,
} from './recording-schemas'
import { MAX_FRAME_CHARS, MAX_MESSAGE_BYTES, MAX_NAME, MAX_QUERY_LIMIT, messageBytes } from './limits'

const MAX_FRAMES = 1024
const MiB = 1024 * 1024

const socketId = z.string().regex(/^s[0-9]{1,9}$/, 'socket ids look like "s12"')
const terminalId = z.string().regex(/^t[0-9]{1,9}$/, 'terminal ids look like "t3"')
const int = (min: number, max: number) => z.number().int().min(min).max(max)
const ms = int(-1, 24 * 3600 * 1000)

export const frameInput = z.strictObject({
  enc: z.enum(['text', 'hex', 'base64', 'json']),
  data: z.string().max(MAX_FRAME_CHARS, `a frame may be at most ${MAX_FRAME_CHARS / MiB} Mi characters long`),
})
export type FrameInput = z.infer<typeof frameInput>

const endpoint = (mode: EndpointMode) =>
  z
    .string()
    .max(1024)
    .superRefine((value, ctx) => {
      const check = checkEndpoint(value, mode)
      if (check.kind === 'invalid') ctx.addIssue({ code: 'custom', message: check.message })
    })

const curve = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('server'), publicKey: z.string().length(40), secretKey: z.string().length(40) }),
  z.strictObject({
    role: z.literal('client'),
    serverKey: z.string().length(40),
    publicKey: z.string().length(40),
    secretKey: z.string().length(40),
  }),
])
const plain = z.discriminatedUnion('role', [
  z.strictObject({
    role: z.literal('server'),
    /** Accepted username/password pairs; absent or empty accepts anyone (every attempt is logged). */
    users: z
      .array(z.strictObject({ username: z.string().max(255), password: z.string().max(255) }))
      .max(100)
      .optional(),
  }),
  z.strictObject({ role: z.literal('client'), username: z.string().max(255), password: z.string().max(255) }),
])

export const socketOptions = z.strictObject({
  sendHighWaterMark: int(0, 10_000_000).optional(),
  receiveHighWaterMark: int(0, 10_000_000).optional(),
  linger: ms.optional(),
  routingId: z.string().min(1).max(255).optional(),
  reconnectInterval: ms.optional(),
  reconnectMaxInterval: int(0, 24 * 3600 * 1000).optional(),
  heartbeatInterval: int(0, 24 * 3600 * 1000).optional(),
  heartbeatTimeout: int(0, 24 * 3600 * 1000).optional(),
  heartbeatTimeToLive: int(0, 6_553_500).optional(),
  conflate: z.boolean().optional(),
  immediate: z.boolean().optional(),
  xpubVerbosity: z.enum(['none', 'allSubs', 'allSubsUnsubs']).optional(),
  routerMandatory: z.boolean().optional(),
  routerHandover: z.boolean().optional(),
  reqCorrelate: z.boolean().optional(),
  reqRelaxed: z.boolean().optional(),
  /** How long a send may wait for a peer before it is answered with EAGAIN (engine-level, not libzmq's). */
  sendTimeout: int(0, 600_000).optional(),
  curve: curve.optional(),
  plain: plain.optional(),
})
export type SocketOptions = z.infer<typeof socketOptions>

const tapId = z.string().regex(/^tap[0-9]{1,9}$/, 'tap ids look like "tap2"')

/** One side of a tap: bind or connect, where, and the options any socket takes (CURVE/PLAIN included). */
const tapSide = z
  .strictObject({
    mode: z.enum(['bind', 'connect']),
    endpoint: z.string().max(1024),
    options: socketOptions.optional(),
  })
  .superRefine((side, ctx) => {
    const check = checkEndpoint(side.endpoint, side.mode)
    if (check.kind === 'invalid') ctx.addIssue({ code: 'custom', path: ['endpoint'], message: check.message })
  })
const tapName = z.string().trim().min(1).max(MAX_NAME).optional()
/** Side keys are the family's own words (TAP_SHAPES' roles), so a side of another family is refused by name. */
export const tapCreate = z.discriminatedUnion('family', [
  z.strictObject({
    family: z.literal('reqrep'),
    name: tapName,
    clients: tapSide,
    service: tapSide,
    /** A request without a reply after this long is listed as unanswered (default 5 s). */
    replyTimeoutMs: int(1, 3_600_000).optional(),
  }),
  z.strictObject({
    family: z.literal('pubsub'),
    name: tapName,
    publishers: tapSide,
    subscribers: tapSide,
  }),
  z.strictObject({
    family: z.literal('pipeline'),
    name: tapName,
    producers: tapSide,
    consumers: tapSide,
  }),
])
export type TapCreateRequest = z.infer<typeof tapCreate>
/** The side keys above are the roles of TAP_SHAPES: the compiler holds the two to each other. */
type RoleKeys<F extends TapFamily> = (typeof TAP_SHAPES)[F]['roles'][TapSideName]
type SideKeys<F extends TapFamily> = Exclude<
  keyof Extract<TapCreateRequest, { family: F }>,
  'family' | 'name' | 'replyTimeoutMs'
>
const rolesMatch: {
  [F in TapFamily]: [RoleKeys<F>] extends [SideKeys<F>] ? ([SideKeys<F>] extends [RoleKeys<F>] ? true : never) : never
} = {
  reqrep: true,
  pubsub: true,
  pipeline: true,
}
void rolesMatch
export type TapSideRequest = z.infer<typeof tapSide>

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
  [Channel.logExport]: spec<CaptureExport>()(z.strictObject({ socketId: socketId.optional() })),
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
  [Channel.recordingPage]: spec<RecordingPage>()(recordingPage),
  [Channel.recordingSeek]: spec<{ position: number }>()(recordingSeek),
  [Channel.recordingFrames]: spec<FullFrames>()(recordingFrames),
  [Channel.recordingDensity]: spec<RecordingDensity>()(recordingDensity),
  [Channel.replayStart]: spec<ReplaySummary>()(replayStart),
  [Channel.replayStop]: spec<ReplaySummary>()(onReplay),
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
