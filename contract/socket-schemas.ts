// Request pieces about sockets and taps: frames, options, endpoints and a tap's sides. Shared by the channel
// table (schemas.ts) and the workspace file (workspace-schema.ts), which both import them from here.
import { z } from 'zod'
import { checkEndpoint, type EndpointMode } from './endpoint'
import type { TAP_SHAPES, TapFamily, TapSideName } from './taps'
import { MAX_FRAME_CHARS, MAX_NAME } from './limits'

const MiB = 1024 * 1024
const int = (min: number, max: number) => z.number().int().min(min).max(max)
const ms = int(-1, 24 * 3600 * 1000)

export const frameInput = z.strictObject({
  enc: z.enum(['text', 'hex', 'base64', 'json']),
  data: z.string().max(MAX_FRAME_CHARS, `a frame may be at most ${MAX_FRAME_CHARS / MiB} Mi characters long`),
})
export type FrameInput = z.infer<typeof frameInput>

export const endpoint = (mode: EndpointMode) =>
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
