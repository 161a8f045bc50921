// Runtime schemas of the decoder channels: rules, .proto files, decodes of one message, field filters, sequence
// counts and plots. Every value a page sends is checked here before the engine sees it.
import { z } from 'zod'
import type { DecoderSpec } from './decoders'
import { sourceId } from './recording-schemas'

const socketId = z.string().regex(/^s[0-9]{1,9}$/, 'socket ids look like "s12"')
const tapId = z.string().regex(/^tap[0-9]{1,9}$/, 'tap ids look like "tap2"')
export const ruleId = z.string().regex(/^r[0-9]{1,9}$/, 'decoder rule ids look like "r3"')
export const schemaId = z.string().regex(/^proto-[0-9]{1,9}$/, 'schema ids look like "proto-1"')
export const plotId = z.string().regex(/^plot[0-9]{1,9}$/, 'plot ids look like "plot1"')
/** A path in a decoded tree: keys as the payload spells them, list indices as text. */
const path = z.array(z.string().max(256)).min(1).max(32)

/** 1 MiB of .proto text: far beyond any real schema file, small enough to parse at once. */
export const MAX_PROTO_TEXT = 1024 * 1024
export const MAX_EXPRESSION = 2000
export const MAX_MATCH_IDS = 5000

/** The decoders that name nothing outside the rule. */
const selfContained = [
  z.strictObject({ kind: z.literal('json') }),
  z.strictObject({ kind: z.literal('msgpack') }),
  z.strictObject({ kind: z.literal('cbor') }),
  z.strictObject({ kind: z.literal('protobuf-raw') }),
  z.strictObject({ kind: z.literal('fields'), names: z.array(z.string().trim().min(1).max(64)).max(64) }),
  z.strictObject({ kind: z.literal('sequence'), format: z.enum(['u32le', 'u32be', 'u64le', 'u64be', 'decimal']) }),
] as const
const messageType = z.string().min(1).max(512)
const protoFileName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/\.proto$/, 'a schema file name ends in .proto')

const decoderSpec = z.discriminatedUnion('kind', [
  ...selfContained,
  z.strictObject({ kind: z.literal('protobuf'), schemaId, messageType }),
]) satisfies z.ZodType<DecoderSpec>

export const ruleScope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('any') }),
  z.strictObject({ kind: z.literal('socket'), socketId }),
  z.strictObject({ kind: z.literal('tap'), tapId }),
])

const ruleFields = { topicPrefix: z.string().max(1024), frame: z.number().int().min(-64).max(1023) }

export const decoderRuleInput = z.strictObject({ scope: ruleScope, ...ruleFields, decoder: decoderSpec })

/**
 * A rule as a workspace file keeps it: a protobuf rule names its .proto by file name, a socket rule its socket
 * by the file's key, a tap rule its tap as `tapN`, the N-th tap of the file (from 1).
 */
export const savedDecoderRule = z.strictObject({
  scope: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('any') }),
    z.strictObject({ kind: z.literal('socket'), socketId: z.string().min(1).max(64) }),
    z.strictObject({ kind: z.literal('tap'), tapId }),
  ]),
  ...ruleFields,
  decoder: z.discriminatedUnion('kind', [
    ...selfContained,
    z.strictObject({ kind: z.literal('protobuf'), schemaId: protoFileName, messageType }),
  ]),
})

export const protoLoad = z.strictObject({
  name: protoFileName,
  text: z.string().max(MAX_PROTO_TEXT, `a .proto file of more than ${MAX_PROTO_TEXT / 1024} KiB is not accepted`),
})

export const decodeEntry = z.union([
  z.strictObject({ entryId: z.number().int().min(0) }),
  z.strictObject({ sourceId, position: z.number().int().min(0), socketId: socketId.optional() }),
])

export const logMatch = z.strictObject({
  expression: z.string().max(MAX_EXPRESSION, `an expression is at most ${MAX_EXPRESSION} characters`),
  ids: z.array(z.number().int().min(0)).max(MAX_MATCH_IDS),
})

export const plotAdd = z.strictObject({ ruleId, path, seriesBy: path.optional() })

export const jupyterSessionId = z.string().regex(/^jup[0-9]{1,9}$/, 'Jupyter session ids look like "jup1"')
/** 64 KiB: a connection file is a few hundred bytes. */
export const jupyterOpen = z.strictObject({
  name: z.string().trim().min(1).max(255),
  content: z.string().max(64 * 1024, 'a kernel connection file is a few hundred bytes; this is not one'),
  mode: z.enum(['observe', 'tap']),
})
