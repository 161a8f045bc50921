// Decoder rules as the user reads and writes them: a rule in words, the add-rule form's fields as the contract's
// DecoderRuleInput (or what is wrong with them, per field), and decoded values as the tree shows them. Frames are
// numbered from 1 here, as the message details number them; the contract counts from 0 (negatives alike: -1 last).
import type {
  DecodedValue,
  DecoderKind,
  DecoderRuleInput,
  DecoderSpec,
  FrameIndex,
  ProtoSchema,
  RuleScope,
  SequenceFormat,
} from '../../contract/decoders'
import { toHex } from '../../contract/hex'
import { base64ToBytes } from './decode'

export const DECODER_KIND_LABELS: Record<DecoderKind, string> = {
  json: 'JSON',
  msgpack: 'msgpack',
  cbor: 'CBOR',
  protobuf: 'protobuf (with a loaded .proto)',
  'protobuf-raw': 'protobuf without schema (field numbers)',
  fields: 'text fields',
  sequence: 'sequence number',
}

export const SEQUENCE_FORMAT_LABELS: Record<SequenceFormat, string> = {
  u32le: 'u32 little-endian',
  u32be: 'u32 big-endian',
  u64le: 'u64 little-endian',
  u64be: 'u64 big-endian',
  decimal: 'decimal prefix',
}

/** The contract's bounds on a rule's frame index and topic prefix, in the form's terms. */
export const MAX_FRAME = 1024
export const MAX_FROM_END = 64
export const MAX_TOPIC_PREFIX = 1024
export const MAX_FIELD_NAMES = 64
export const MAX_FIELD_NAME = 64
/** proto:load refuses more than this much text; checked before the file is sent. */
export const MAX_PROTO_BYTES = 1024 * 1024

export interface RuleNames {
  socket: (socketId: string) => string
  tap: (tapId: string) => string
}

export function describeScope(scope: RuleScope, names: RuleNames): string {
  switch (scope.kind) {
    case 'any':
      return 'any socket'
    case 'socket':
      return `socket ${names.socket(scope.socketId)}`
    case 'tap':
      return `tap ${names.tap(scope.tapId)}`
  }
}

/** "frame 1" is the first; from the end: "the last frame", "frame 2 from the end". */
export function describeFrame(frame: FrameIndex): string {
  if (frame >= 0) return `frame ${frame + 1}`
  return frame === -1 ? 'the last frame' : `frame ${-frame} from the end`
}

export function describeDecoder(spec: DecoderSpec): string {
  switch (spec.kind) {
    case 'protobuf':
      return `protobuf ${spec.messageType}`
    case 'protobuf-raw':
      return 'protobuf without schema'
    case 'fields':
      return `text fields ${spec.names.join(' ')}`
    case 'sequence':
      return `sequence number (${SEQUENCE_FORMAT_LABELS[spec.format]})`
    default:
      return DECODER_KIND_LABELS[spec.kind]
  }
}

/** "socket weather client, topic 10001, frame 1 as protobuf weather.Reading". */
export function describeRule(rule: DecoderRuleInput, names: RuleNames): string {
  const topic = rule.topicPrefix === '' ? 'any topic' : `topic ${rule.topicPrefix}`
  return `${describeScope(rule.scope, names)}, ${topic}, ${describeFrame(rule.frame)} as ${describeDecoder(rule.decoder)}`
}

/** The add-rule form's fields as typed and chosen. */
export interface RuleForm {
  scope: RuleScope['kind']
  socketId: string
  tapId: string
  topicPrefix: string
  /** As typed: 1 = the first frame, -1 = the last. */
  frame: string
  kind: DecoderKind
  schemaId: string
  messageType: string
  /** Space-separated, in order: "zip temp humidity". */
  fieldNames: string
  sequenceFormat: SequenceFormat
}

export const EMPTY_RULE_FORM: RuleForm = {
  scope: 'any',
  socketId: '',
  tapId: '',
  topicPrefix: '',
  frame: '1',
  kind: 'json',
  schemaId: '',
  messageType: '',
  fieldNames: '',
  sequenceFormat: 'u32le',
}

export type RuleField = 'scope' | 'topicPrefix' | 'frame' | 'schema' | 'messageType' | 'fieldNames'
export type RuleProblems = Partial<Record<RuleField, string>>
export type BuiltRule = { kind: 'ok'; input: DecoderRuleInput } | { kind: 'invalid'; problems: RuleProblems }

export interface RuleChoices {
  sockets: readonly { id: string }[]
  taps: readonly { id: string }[]
  schemas: readonly ProtoSchema[]
}

/**
 * The form with its selects settled on what exists: a chosen socket, tap, schema or message type that is gone
 * (or none chosen yet) becomes the first one listed, as the select shows it.
 */
export function settleForm(form: RuleForm, choices: RuleChoices): RuleForm {
  const pick = (chosen: string, ids: readonly string[]): string => (ids.includes(chosen) ? chosen : (ids[0] ?? ''))
  const schemaId = pick(
    form.schemaId,
    choices.schemas.map((s) => s.schemaId),
  )
  const types = choices.schemas.find((s) => s.schemaId === schemaId)?.messageTypes ?? []
  return {
    ...form,
    socketId: pick(
      form.socketId,
      choices.sockets.map((s) => s.id),
    ),
    tapId: pick(
      form.tapId,
      choices.taps.map((t) => t.id),
    ),
    schemaId,
    messageType: pick(form.messageType, types),
  }
}

/** The frame as typed, as the contract's index; or what is wrong with it. */
export function parseFrame(text: string): { kind: 'ok'; frame: FrameIndex } | { kind: 'invalid'; message: string } {
  const trimmed = text.trim()
  if (!/^[+-]?\d+$/.test(trimmed))
    return { kind: 'invalid', message: 'a whole number: 1 is the first frame, -1 the last' }
  const n = Number(trimmed)
  if (n === 0) return { kind: 'invalid', message: 'frames count from 1 (the first); -1 is the last' }
  if (n > MAX_FRAME) return { kind: 'invalid', message: `at most frame ${MAX_FRAME}` }
  if (n < -MAX_FROM_END)
    return { kind: 'invalid', message: `at most ${MAX_FROM_END} frames from the end (-${MAX_FROM_END})` }
  return { kind: 'ok', frame: n > 0 ? n - 1 : n }
}

export function splitFieldNames(text: string): string[] {
  return text.split(/\s+/).filter((name) => name !== '')
}

function scopeOf(form: RuleForm, problems: RuleProblems): RuleScope {
  if (form.scope === 'socket') {
    if (form.socketId === '') problems.scope = 'choose a socket (create one first if the list is empty)'
    return { kind: 'socket', socketId: form.socketId }
  }
  if (form.scope === 'tap') {
    if (form.tapId === '') problems.scope = 'choose a tap (create one first if the list is empty)'
    return { kind: 'tap', tapId: form.tapId }
  }
  return { kind: 'any' }
}

function decoderOf(form: RuleForm, schemas: readonly ProtoSchema[], problems: RuleProblems): DecoderSpec {
  switch (form.kind) {
    case 'protobuf': {
      const schema = schemas.find((s) => s.schemaId === form.schemaId)
      if (schemas.length === 0) problems.schema = 'load a .proto file first (or decode without schema)'
      else if (schema === undefined) problems.schema = 'choose a loaded .proto'
      else if (form.messageType === '') problems.messageType = `choose a message type of ${schema.name}`
      else if (!schema.messageTypes.includes(form.messageType)) {
        problems.messageType = `${schema.name} has no message type ${form.messageType}`
      }
      return { kind: 'protobuf', schemaId: form.schemaId, messageType: form.messageType }
    }
    case 'fields': {
      const names = splitFieldNames(form.fieldNames)
      if (names.length === 0) problems.fieldNames = 'name the fields in order, space separated: zip temp humidity'
      else if (names.length > MAX_FIELD_NAMES) problems.fieldNames = `at most ${MAX_FIELD_NAMES} fields`
      else {
        const long = names.find((name) => name.length > MAX_FIELD_NAME)
        if (long) problems.fieldNames = `a field name is at most ${MAX_FIELD_NAME} characters (${long.slice(0, 12)}…)`
      }
      return { kind: 'fields', names }
    }
    case 'sequence':
      return { kind: 'sequence', format: form.sequenceFormat }
    default:
      return { kind: form.kind }
  }
}

/** The form as a rule the engine takes, or per field what to fix. */
export function ruleInputFromForm(form: RuleForm, schemas: readonly ProtoSchema[]): BuiltRule {
  const problems: RuleProblems = {}
  const scope = scopeOf(form, problems)
  if (form.topicPrefix.length > MAX_TOPIC_PREFIX) {
    problems.topicPrefix = `a topic prefix is at most ${MAX_TOPIC_PREFIX} characters`
  }
  const frame = parseFrame(form.frame)
  if (frame.kind === 'invalid') problems.frame = frame.message
  const decoder = decoderOf(form, schemas, problems)
  if (Object.keys(problems).length > 0 || frame.kind === 'invalid') return { kind: 'invalid', problems }
  return { kind: 'ok', input: { scope, topicPrefix: form.topicPrefix, frame: frame.frame, decoder } }
}

/** What a .proto file must be before it is read and sent; null when it may go. */
export function protoFileProblem(file: { name: string; size: number }): string | null {
  if (!/\.proto$/.test(file.name)) return `${file.name} is not a .proto file (its name must end in .proto)`
  if (file.size > MAX_PROTO_BYTES) return `${file.name} is larger than ${MAX_PROTO_BYTES / 1024} KiB`
  return null
}

/** A load error without the file's name twice: the engine's messages often start with it. */
export function protoLoadProblem(name: string, message: string): string {
  const rest = message.startsWith(`${name}: `)
    ? message.slice(name.length + 2)
    : message.startsWith(`${name} `)
      ? message.slice(name.length + 1)
      : message
  return `could not load ${name}: ${rest}`
}

// ---- Decoded values, as the tree shows them ----

export type Branch = Extract<DecodedValue, { t: 'list' | 'map' }>
export type Leaf = Exclude<DecodedValue, Branch>

export interface DecodedChild {
  /** The path element: a map key, or a list index as text. */
  key: string
  /** As shown: the key, or "[i]" for a list item. */
  label: string
  note?: string
  value: DecodedValue
}

export function isBranch(value: DecodedValue): value is Branch {
  return value.t === 'list' || value.t === 'map'
}

export function isNumeric(value: DecodedValue): boolean {
  return value.t === 'num' || value.t === 'int'
}

export function childrenOf(value: Branch): DecodedChild[] {
  if (value.t === 'list') return value.items.map((item, i) => ({ key: String(i), label: `[${i}]`, value: item }))
  return value.entries.map((e) => ({ key: e.key, label: e.key, value: e.value, ...(e.note ? { note: e.note } : {}) }))
}

/** A collapsed branch in a few words: "3 fields", "1 item". */
export function branchSummary(value: Branch): string {
  const n = value.t === 'list' ? value.items.length : value.entries.length
  const noun = value.t === 'list' ? 'item' : 'field'
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

/** Bytes shown in the tree: the first `shown` as hex, the rest counted. */
export function bytesPreview(b64: string, length: number, shown = 16): string {
  const bytes = base64ToBytes(b64)
  const hex = toHex(bytes.subarray(0, shown), ' ')
  const more = length > Math.min(shown, bytes.length) ? ' …' : ''
  return `${hex}${more} (${length} byte${length === 1 ? '' : 's'})`
}

/** A leaf as text: strings quoted (so "" and " " are visible), big integers exact. */
export function leafText(value: Leaf): string {
  switch (value.t) {
    case 'null':
      return 'null'
    case 'bool':
      return value.v ? 'true' : 'false'
    case 'num':
      return Object.is(value.v, -0) ? '-0' : String(value.v)
    case 'int':
      return value.v
    case 'str':
      return JSON.stringify(value.v)
    case 'bytes':
      return value.length === 0 ? '(0 bytes)' : bytesPreview(value.b64, value.length)
  }
}

/** A path as one line of text: "header.msg_type", "items.2.temp". */
export function pathText(path: readonly string[]): string {
  return path.join('.')
}

export interface FlatLeaf {
  path: string[]
  type: Leaf['t']
  text: string
}

/** Every leaf with its path, in tree order: for copying a decode as lines and for finding fields. */
export function flattenDecoded(value: DecodedValue, path: string[] = []): FlatLeaf[] {
  if (!isBranch(value)) return [{ path, type: value.t, text: leafText(value) }]
  return childrenOf(value).flatMap((child) => flattenDecoded(child.value, [...path, child.key]))
}

/** The decoded lines as text, "path = value" each. */
export function decodedLines(value: DecodedValue): string {
  return flattenDecoded(value)
    .map((leaf) => (leaf.path.length === 0 ? leaf.text : `${pathText(leaf.path)} = ${leaf.text}`))
    .join('\n')
}

/** Whether "Plot" is offered on a leaf: a number inside the tree (plot:add names a path of at least one step). */
export function plottable(value: DecodedValue, path: readonly string[]): boolean {
  return isNumeric(value) && path.length > 0
}

/** The paths of the numeric leaves that may be plotted, in tree order. */
export function numericPaths(value: DecodedValue, path: string[] = []): string[][] {
  if (plottable(value, path)) return [path]
  if (!isBranch(value)) return []
  return childrenOf(value).flatMap((child) => numericPaths(child.value, [...path, child.key]))
}
