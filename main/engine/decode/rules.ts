// Decoder rules: "messages on socket/tap S, topic prefix P, frame i decode as D", and the .proto files they name.
// A rule only says how to read a message; nothing is decoded until someone looks (the selected message, a field
// filter, an active plot or sequence rule).
import type { DecoderRule, DecoderRuleInput, DecoderState, FrameDecode, ProtoSchema } from '../../../contract/decoders'
import { EngineError } from '../errors'
import { decodeFrame } from './decode-frame'
import { ProtoSchemas } from './protobuf-schemas'

/** What a rule is matched against: the message's socket, the tap that socket belongs to, and its frames. */
export interface RuleSubject {
  socketId: string
  tapId: string | undefined
  frames: readonly Uint8Array[]
}

/** At most this many rules: each is tried on every message someone looks at. */
export const MAX_RULES = 256

export class DecoderRules {
  readonly schemas = new ProtoSchemas()
  private readonly rules = new Map<string, DecoderRule>()
  private nextId = 1

  state(): DecoderState {
    return { rules: this.list(), schemas: this.schemas.list() }
  }

  list(): DecoderRule[] {
    return [...this.rules.values()]
  }

  get(ruleId: string): DecoderRule {
    const rule = this.rules.get(ruleId)
    if (rule === undefined) throw new EngineError('INVALID_REQUEST', `no decoder rule ${ruleId}`)
    return rule
  }

  /** Checked as a whole first: a rule naming a schema or message type that is not loaded is refused, saying so. */
  add(input: DecoderRuleInput): DecoderRule {
    if (this.rules.size >= MAX_RULES) {
      throw new EngineError('LIMIT', `${MAX_RULES} decoder rules exist already; remove one first`)
    }
    const decoder = input.decoder
    if (decoder.kind === 'protobuf') {
      const schema = this.schemas.list().find((s) => s.schemaId === decoder.schemaId)
      if (schema === undefined) {
        throw new EngineError('INVALID_REQUEST', `no .proto is loaded as ${decoder.schemaId}; load the file first`)
      }
      const type = decoder.messageType.replace(/^\./, '')
      if (!schema.messageTypes.includes(type)) {
        const wanted = type.split('.').pop()!.toLowerCase()
        const near = schema.messageTypes.filter((t) => {
          const name = t.split('.').pop()!.toLowerCase()
          return name.includes(wanted) || wanted.includes(name)
        })
        throw new EngineError(
          'INVALID_REQUEST',
          `${schema.name} has no message type ${type}` +
            (near.length > 0
              ? `; did you mean ${near.slice(0, 3).join(', ')}?`
              : `; it has ${schema.messageTypes.slice(0, 5).join(', ')}`),
        )
      }
    }
    const rule: DecoderRule = { ruleId: `r${this.nextId++}`, ...input }
    this.rules.set(rule.ruleId, rule)
    return rule
  }

  remove(ruleId: string): void {
    this.get(ruleId)
    this.rules.delete(ruleId)
  }

  loadProto(name: string, text: string): ProtoSchema {
    try {
      return this.schemas.load(name, text)
    } catch (error) {
      throw new EngineError('INVALID_REQUEST', (error as Error).message)
    }
  }

  /** A schema that rules still name stays: removing it would leave them failing on every message. */
  removeProto(schemaId: string): void {
    const users = this.list().filter((r) => r.decoder.kind === 'protobuf' && r.decoder.schemaId === schemaId)
    if (users.length > 0) {
      throw new EngineError(
        'NOT_ALLOWED',
        `rules ${users.map((r) => r.ruleId).join(', ')} decode with this .proto; remove them first`,
      )
    }
    try {
      this.schemas.remove(schemaId)
    } catch (error) {
      throw new EngineError('INVALID_REQUEST', (error as Error).message)
    }
  }

  /** The frames every matching rule decodes, in rule order; a frame that fails says why (the raw bytes stay). */
  decode(subject: RuleSubject, which: (rule: DecoderRule) => boolean = () => true): FrameDecode[] {
    const decoded: FrameDecode[] = []
    for (const rule of this.rules.values()) {
      if (!which(rule) || !ruleMatches(rule, subject)) continue
      const frame = frameIndex(rule, subject.frames.length)
      if (frame === undefined) continue
      decoded.push(decodeOne(rule, frame, subject.frames[frame]!, this.schemas))
    }
    return decoded
  }
}

export function decodeOne(rule: DecoderRule, frame: number, bytes: Uint8Array, schemas: ProtoSchemas): FrameDecode {
  const base = { ruleId: rule.ruleId, frame, decoder: rule.decoder.kind }
  try {
    return { kind: 'decoded', ...base, value: decodeFrame(bytes, rule.decoder, schemas) }
  } catch (error) {
    return { kind: 'failed', ...base, error: (error as Error).message }
  }
}

/** The frame a rule names in a message of `count` frames (negative counts from the end), if it has one. */
export function frameIndex(rule: DecoderRule, count: number): number | undefined {
  const index = rule.frame < 0 ? count + rule.frame : rule.frame
  return index >= 0 && index < count ? index : undefined
}

const lenient = new TextDecoder('utf-8')

/**
 * The topic a rule's value belongs to, for sequence counts and plot series: frame 0 as text when the value is in
 * another frame of a multipart message; '' otherwise (a one-frame feed is one series, one sequence).
 */
export function topicOf(frames: readonly Uint8Array[], frame: number): string {
  return frames.length > 1 && frame !== 0 ? lenient.decode(frames[0]!.subarray(0, 512)).slice(0, 128) : ''
}

/** Each rule's topic prefix as bytes, made once: rules are matched on the capture path while plots run. */
const prefixes = new WeakMap<DecoderRule, Buffer>()

export function ruleMatches(rule: DecoderRule, subject: RuleSubject): boolean {
  const scope = rule.scope
  if (scope.kind === 'socket' && scope.socketId !== subject.socketId) return false
  if (scope.kind === 'tap' && scope.tapId !== subject.tapId) return false
  if (rule.topicPrefix === '') return true
  const topic = subject.frames[0]
  if (topic === undefined) return false
  let prefix = prefixes.get(rule)
  if (prefix === undefined) prefixes.set(rule, (prefix = Buffer.from(rule.topicPrefix, 'utf8')))
  return topic.length >= prefix.length && Buffer.from(topic.buffer, topic.byteOffset, prefix.length).equals(prefix)
}
