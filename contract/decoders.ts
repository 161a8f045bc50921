// Decoder rules and what they produce: types only. A rule says "messages on socket/tap S, topic
// prefix P, frame i decode as D"; the engine applies rules only where someone looks (the selected message, the
// rows on screen, an active plot, a field filter, a sequence rule).

import type { JupyterMessage } from './jupyter'

export type { DecodedEntry, DecodedValue } from './decoded-value'
export { DECODED_BYTES_SHOWN } from './decoded-value'
import type { DecodedValue } from './decoded-value'

/** The ways a sequence number sits in a frame. */
export type SequenceFormat =
  | 'u32le'
  | 'u32be'
  | 'u64le'
  | 'u64be'
  /** Leading decimal digits of the frame's text ("42 …", "42"). */
  | 'decimal'

export type DecoderSpec =
  | { kind: 'json' }
  | { kind: 'msgpack' }
  | { kind: 'cbor' }
  /** With a loaded .proto: `schemaId` from proto:load, `messageType` fully qualified ("weather.Reading"). */
  | { kind: 'protobuf'; schemaId: string; messageType: string }
  /** Without a schema: a walk of the wire format (field numbers, wire types, nested guesses). */
  | { kind: 'protobuf-raw' }
  /** Whitespace-separated text fields, named in order ("zip temp humidity"); numbers parsed. */
  | { kind: 'fields'; names: string[] }
  | { kind: 'sequence'; format: SequenceFormat }

export type DecoderKind = DecoderSpec['kind']

export const DECODER_KINDS = ['json', 'msgpack', 'cbor', 'protobuf', 'protobuf-raw', 'fields', 'sequence'] as const

/** Which messages a rule applies to. */
export type RuleScope = { kind: 'any' } | { kind: 'socket'; socketId: string } | { kind: 'tap'; tapId: string }

/** Frame index from the start (0 = first) or from the end (-1 = last). */
export type FrameIndex = number

export interface DecoderRuleInput {
  scope: RuleScope
  /** Matched against frame 0's bytes as a prefix, like a SUB subscription; '' matches every message. */
  topicPrefix: string
  frame: FrameIndex
  decoder: DecoderSpec
}

export interface DecoderRule extends DecoderRuleInput {
  ruleId: string
}

/** One frame's decode by a rule: the value, or why the bytes are not what the rule says (raw bytes stay shown). */
export type FrameDecode =
  | { kind: 'decoded'; ruleId: string; frame: number; decoder: DecoderKind; value: DecodedValue }
  | { kind: 'failed'; ruleId: string; frame: number; decoder: DecoderKind; error: string }

/** A loaded .proto: what rules may name. */
export interface ProtoSchema {
  schemaId: string
  name: string
  /** Fully qualified message types, sorted. */
  messageTypes: string[]
}

/** A sequence rule's counts for one key (socket + topic). */
export interface SequenceCounts {
  key: string
  socketId: string
  topic: string
  received: number
  gaps: number
  /** Messages a gap skipped over, in all. */
  missing: number
  repeats: number
  reorders: number
  last: string | undefined
}

export type SequenceMarkKind = 'gap' | 'repeat' | 'reorder'

/** An entry a sequence rule marked: the log and the timeline show it. */
export interface SequenceMark {
  entryId: number
  kind: SequenceMarkKind
  expected: string
  got: string
}

/** The rules and loaded .proto files, as decoder:list answers and the `decoders` event carries them. */
export interface DecoderState {
  rules: DecoderRule[]
  schemas: ProtoSchema[]
}

/** The rules' decodes of one message's frames (only frames a rule names; the rest show raw). */
export interface EntryDecode {
  entryId: number
  frames: FrameDecode[]
  /** Set when the message came through a Jupyter session's socket: the wire protocol's parts, or why not. */
  jupyter?: { kind: 'decoded'; message: JupyterMessage } | { kind: 'failed'; error: string }
}

/** log:match's answer: which of the ids asked the expression selects; ids the ring no longer holds are `gone`. */
export interface MatchResult {
  ids: number[]
  gone: number[]
}

/** One sequence rule's counts, per key. */
export interface SequenceRuleStats {
  ruleId: string
  counts: SequenceCounts[]
  /** Messages of keys beyond the tracked maximum, counted but not followed. */
  untracked: number
  /** Messages the rule matched whose frame holds no sequence number of its format (too short, no digits). */
  unreadable: number
}

export interface SequenceStats {
  rules: SequenceRuleStats[]
  /** The newest marks, oldest first (bounded); `dropped` older ones were let go. */
  marks: SequenceMark[]
  dropped: number
}

export interface PlotInput {
  /** The rule whose decode gives the value tree. */
  ruleId: string
  /** Path of the plotted value in the decoded tree (map keys, list indices as text). */
  path: string[]
  /** Path of the value naming a series (e.g. a zip code field); without it, one series per topic. */
  seriesBy?: string[]
}

export interface PlotSummary extends PlotInput {
  plotId: string
  label: string
}

/** New points since the last event, per plot and series; times are wall clock ms. */
export interface PlotPoints {
  plotId: string
  key: string
  t: number[]
  v: number[]
}
