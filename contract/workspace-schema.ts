// The workspace file (`.zeroscope`): the setup a user saves and opens again. Versioned JSON, validated with
// zod when it is read (a file is input like any request). Secrets are optional here: a workspace saved
// without them keeps CURVE public keys and PLAIN user names, and asks for the rest when opened.
import { z } from 'zod'
import { protoLoad, savedDecoderRule } from './decoder-schemas'
import { checkEndpoint } from './endpoint'
import { MAX_NAME } from './limits'
import { fileChoiceOf, plainFileName } from './recording-schemas'
import { frameInput, socketOptions, tapCreate } from './socket-schemas'
import { DRAFT_SOCKET_TYPES, SOCKET_TYPES } from './socket-types'

export const WORKSPACE_FORMAT = 'zeroscope.workspace'
export const WORKSPACE_VERSION = 1
export const WORKSPACE_EXTENSION = '.zeroscope'
/** A workspace file larger than this is not one of ours (a thousand sockets take well under 1 MiB). */
export const MAX_WORKSPACE_BYTES = 16 * 1024 * 1024

const key40 = z.string().length(40)
const curve = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('server'), publicKey: key40, secretKey: key40.optional() }),
  z.strictObject({ role: z.literal('client'), serverKey: key40, publicKey: key40, secretKey: key40.optional() }),
])
const plain = z.discriminatedUnion('role', [
  z.strictObject({
    role: z.literal('server'),
    users: z
      .array(z.strictObject({ username: z.string().max(255), password: z.string().max(255).optional() }))
      .max(100)
      .optional(),
  }),
  z.strictObject({
    role: z.literal('client'),
    username: z.string().max(255),
    password: z.string().max(255).optional(),
  }),
])
export const workspaceOptions = socketOptions.extend({ curve: curve.optional(), plain: plain.optional() })
export type WorkspaceOptions = z.infer<typeof workspaceOptions>

const workspaceEndpoint = z
  .strictObject({ mode: z.enum(['bind', 'connect']), endpoint: z.string().max(1024) })
  .superRefine((e, ctx) => {
    const check = checkEndpoint(e.endpoint, e.mode)
    if (check.kind === 'invalid') ctx.addIssue({ code: 'custom', path: ['endpoint'], message: check.message })
  })

export const workspaceSocket = z.strictObject({
  /** The socket's id when saved; saved messages name their socket by it. */
  key: z.string().min(1).max(32),
  type: z.enum([...SOCKET_TYPES, ...DRAFT_SOCKET_TYPES]),
  name: z.string().trim().min(1).max(MAX_NAME),
  options: workspaceOptions,
  endpoints: z.array(workspaceEndpoint).max(100),
  subscriptions: z.array(frameInput).max(10_000),
})
export type WorkspaceSocket = z.infer<typeof workspaceSocket>

export const savedMessage = z.strictObject({
  name: z.string().trim().min(1).max(MAX_NAME),
  /** The socket it is usually sent from (a key of `sockets`), if any. */
  socketKey: z.string().min(1).max(32).optional(),
  frames: z.array(frameInput).min(1).max(1024),
})
export type SavedMessage = z.infer<typeof savedMessage>

/** The renderer's part: its layout as plain values, and the composer's saved messages. */
export const workspaceUi = z.strictObject({
  savedMessages: z.array(savedMessage).max(1000),
  layout: z
    .record(z.string().max(64), z.union([z.number(), z.boolean(), z.string().max(1000)]))
    .refine((l) => Object.keys(l).length <= 100, 'at most 100 layout values'),
})
export type WorkspaceUi = z.infer<typeof workspaceUi>

/** The decoder rules and the .proto files they use (see savedDecoderRule for how a rule names them). */
export const workspaceDecoders = z.strictObject({
  protos: z.array(protoLoad).max(64),
  rules: z.array(savedDecoderRule).max(256),
})
export type WorkspaceDecoders = z.infer<typeof workspaceDecoders>

export const workspaceFile = z
  .strictObject({
    format: z.literal(WORKSPACE_FORMAT),
    version: z.literal(WORKSPACE_VERSION),
    savedAt: z.string().max(64),
    appVersion: z.string().max(64),
    secrets: z.enum(['omitted', 'included']),
    sockets: z.array(workspaceSocket).max(10_000),
    taps: z.array(tapCreate).max(1000),
    /** Absent in files saved before decoders existed (same version: an older file opens as it always did). */
    decoders: workspaceDecoders.optional(),
    ui: workspaceUi,
  })
  .superRefine((w, ctx) => {
    const keys = new Set<string>()
    w.sockets.forEach((s, i) => {
      if (keys.has(s.key))
        ctx.addIssue({ code: 'custom', path: ['sockets', i, 'key'], message: `two sockets have the key ${s.key}` })
      keys.add(s.key)
    })
    w.ui.savedMessages.forEach((m, i) => {
      if (m.socketKey !== undefined && !keys.has(m.socketKey)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ui', 'savedMessages', i, 'socketKey'],
          message: `no socket has the key ${m.socketKey}`,
        })
      }
    })
  })
export type WorkspaceFile = z.infer<typeof workspaceFile>

export const workspaceSave = z.strictObject({
  /** `current`: over the file of the workspace open now (Save), else like `ask` where there is a dialog. */
  file: z.union([fileChoiceOf('workspace'), z.strictObject({ kind: z.literal('current') })]),
  /** CURVE secret keys and PLAIN passwords go into the file only when the user asks (and was warned). */
  includeSecrets: z.boolean(),
  /** Saved messages name their socket by its current id (socketKey). */
  ui: workspaceUi,
})
export const workspaceOpen = z.strictObject({
  file: z.union([
    fileChoiceOf('workspace').refine((f) => f.kind === 'ask' || f.name, 'name the workspace to open'),
    z.strictObject({
      kind: z.literal('upload'),
      name: plainFileName('workspace'),
      content: z
        .string()
        .max(MAX_WORKSPACE_BYTES, `a workspace file is at most ${MAX_WORKSPACE_BYTES / 1024 / 1024} MiB`),
    }),
  ]),
})

export type WorkspaceSaved = { kind: 'saved'; path: string; name: string; warnings: string[] } | { kind: 'cancelled' }
export type WorkspaceOpened =
  | {
      kind: 'opened'
      path: string
      name: string
      ui: WorkspaceUi
      /** The saved socket keys and the ids their sockets have now. */
      socketIds: Record<string, string>
      /** What could not be restored as saved (a port in use, a secret left out, a tap that could not start). */
      problems: string[]
    }
  | { kind: 'cancelled' }
/** The workspace this engine run last opened or saved, so a page that (re)connects restores its part. */
export type WorkspaceCurrent = { kind: 'none' } | { kind: 'open'; name: string; path: string; ui: WorkspaceUi }
/** What happened to the engine's current workspace; `opened` carries the file's page part for the other pages. */
export type WorkspaceChange =
  | { kind: 'opened'; name: string; path: string; ui: WorkspaceUi }
  | { kind: 'saved'; name: string; path: string }
  | { kind: 'cleared' }

export interface WorkspaceFolder {
  path: string
  files: { name: string; path: string; bytes: number; modifiedWall: number }[]
}
