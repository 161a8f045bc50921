// Request schemas of the recording and replay channels; contract.ts puts them in the channel table.
import { z } from 'zod'
import { MAX_QUERY_LIMIT } from './limits'

const socketId = z.string().regex(/^s[0-9]{1,9}$/, 'socket ids look like "s12"')
const tapId = z.string().regex(/^tap[0-9]{1,9}$/, 'tap ids look like "tap2"')
export const recordingId = z.string().regex(/^rec[0-9]{1,9}$/, 'recording ids look like "rec1"')
export const sourceId = z.string().regex(/^src[0-9]{1,9}$/, 'opened recordings have ids like "src1"')
export const replayId = z.string().regex(/^rp[0-9]{1,9}$/, 'replay ids look like "rp1"')
const GiB = 1024 * 1024 * 1024

/**
 * A file name inside the host's recordings folder: no folders, no leading dot, printable. The folder is the
 * host's; a page (which may be any holder of the browser host's token) never names a path outside it.
 */
export const plainFileName = (what: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .regex(
      /^[A-Za-z0-9_][A-Za-z0-9_. ()+,=@-]*$/,
      `a ${what} name is a plain file name (letters, digits, spaces, . _ - ( ) + , = @), no folders`,
    )

/** A file of one of the host's folders by name, or a native dialog (Electron). */
export const fileChoiceOf = (what: string) =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('folder'), name: plainFileName(what).optional() }),
    z.strictObject({ kind: z.literal('ask') }),
  ])
const fileChoice = fileChoiceOf('recording')

const scope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z
    .strictObject({
      kind: z.literal('chosen'),
      socketIds: z.array(socketId).max(10_000),
      tapIds: z.array(tapId).max(1000),
    })
    .refine((s) => s.socketIds.length + s.tapIds.length > 0, { message: 'choose at least one socket or tap' }),
])

export const recordingStart = z.strictObject({
  scope,
  file: fileChoice.optional(),
  rotation: z
    .strictObject({
      maxBytes: z
        .number()
        .int()
        .min(1024 * 1024)
        .max(1024 * GiB)
        .optional(),
      maxSeconds: z
        .number()
        .int()
        .min(1)
        .max(30 * 24 * 3600)
        .optional(),
    })
    .optional(),
})

export const recordingFilter = z.strictObject({
  socketId: z.string().max(64).optional(),
  dir: z.enum(['in', 'out']).optional(),
  minSize: z.number().int().min(0).max(GiB).optional(),
  text: z
    .strictObject({ mode: z.enum(['text', 'regex']), pattern: z.string().min(1).max(1000) })
    .optional()
    .superRefine((text, ctx) => {
      if (text?.mode !== 'regex') return
      try {
        new RegExp(text.pattern)
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `not a regular expression: ${(error as Error).message}` })
      }
    }),
})

export const recordingOpen = z.strictObject({
  file: fileChoice.refine((f) => f.kind === 'ask' || f.name, 'name the file to open'),
})
export const recordingPage = z.strictObject({
  sourceId,
  from: z.number().int().min(0),
  limit: z.number().int().min(1).max(MAX_QUERY_LIMIT),
  filter: recordingFilter.optional(),
})
export const recordingSeek = z.strictObject({ sourceId, wall: z.number().finite() })
export const recordingFrames = z.strictObject({ sourceId, position: z.number().int().min(0) })
export const recordingDensity = z.strictObject({ sourceId, bins: z.number().int().min(1).max(2000) })

export const replayStart = z.strictObject({
  sourceId,
  socketId,
  timing: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('original') }),
    z.strictObject({ kind: z.literal('speed'), factor: z.number().min(0.01).max(1000) }),
    z.strictObject({ kind: z.literal('fast') }),
  ]),
  loop: z.boolean().optional(),
  filter: recordingFilter.optional(),
})
export const onRecording = z.strictObject({ recordingId })
export const onSource = z.strictObject({ sourceId })
export const onReplay = z.strictObject({ replayId })
