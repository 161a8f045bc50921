// The .proto files a user loaded, and decoding with them. protobufjs generates its decoders with `new Function`,
// which the renderer's CSP forbids; the engine runs in Node, so decoding by schema lives here.
import protobuf from 'protobufjs'
import type { DecodedEntry, DecodedValue, ProtoSchema } from '../../../contract/decoders'
import { DecodeBudget, integerValue, MAX_DECODED_DEPTH, toDecoded } from './value'

export const MAX_PROTO_TEXT_BYTES = 1024 * 1024
export const MAX_PROTO_SCHEMAS = 64

// Field names exactly as the .proto spells them (protobufjs would camelCase them), as protoc's languages show them.
const PARSE_OPTIONS = { keepCase: true }
const WELL_KNOWN = 'google/protobuf/'

interface LoadedSchema {
  readonly schemaId: string
  readonly name: string
  readonly text: string
  readonly types: ReadonlyMap<string, protobuf.Type>
}

export class ProtoSchemas {
  private readonly schemas = new Map<string, LoadedSchema>()
  private nextId = 1

  /** Loading a name that is loaded already replaces it and keeps its schemaId, so rules naming it still apply. */
  load(name: string, text: string): ProtoSchema {
    if (name.trim() === '') throw new Error('a .proto needs a file name')
    const bytes = Buffer.byteLength(text, 'utf8')
    if (bytes > MAX_PROTO_TEXT_BYTES) {
      throw new Error(`${name} is ${bytes} bytes; a .proto may be at most ${MAX_PROTO_TEXT_BYTES} bytes (1 MiB)`)
    }
    const previous = this.byName(name)
    if (previous === undefined && this.schemas.size >= MAX_PROTO_SCHEMAS) {
      throw new Error(`${MAX_PROTO_SCHEMAS} .proto files are loaded already; remove one first`)
    }
    const root = this.compile(name, text)
    const schemaId = previous?.schemaId ?? `proto-${this.nextId++}`
    const schema: LoadedSchema = { schemaId, name, text, types: typesOf(root) }
    this.schemas.set(schemaId, schema)
    return describe(schema)
  }

  list(): ProtoSchema[] {
    return [...this.schemas.values()].map(describe)
  }

  /** The loaded files as the user gave them, for a workspace to keep. */
  files(): { schemaId: string; name: string; text: string }[] {
    return [...this.schemas.values()].map(({ schemaId, name, text }) => ({ schemaId, name, text }))
  }

  remove(schemaId: string): void {
    this.get(schemaId)
    this.schemas.delete(schemaId)
  }

  decode(schemaId: string, messageType: string, bytes: Uint8Array): DecodedValue {
    const schema = this.get(schemaId)
    const qualified = messageType.replace(/^\./, '')
    const type = schema.types.get(qualified)
    if (type === undefined) throw new Error(unknownTypeMessage(schema, qualified))
    let message: protobuf.Message
    try {
      message = type.decode(bytes)
    } catch (error) {
      throw new Error(`not a ${qualified}: ${decodeErrorText(error)}`, { cause: error })
    }
    const object = type.toObject(message, { longs: String, enums: String, defaults: false, oneofs: false })
    return messageValue(type, object, 0, new DecodeBudget())
  }

  private get(schemaId: string): LoadedSchema {
    const schema = this.schemas.get(schemaId)
    if (schema === undefined) throw new Error(`no loaded .proto has the id '${schemaId}' (it may have been removed)`)
    return schema
  }

  private byName(name: string): LoadedSchema | undefined {
    return [...this.schemas.values()].find((s) => s.name === name)
  }

  /** Parses `text` and, into the same root, the loaded files it imports (by name or by base name). */
  private compile(name: string, text: string): protobuf.Root {
    const root = new protobuf.Root()
    const missing: string[] = []
    const parsedFiles = new Set<string>()
    const seenImports = new Set<string>()
    const add = (fileName: string, source: string): void => {
      parsedFiles.add(fileName)
      let imports: string[]
      try {
        const parsed = protobuf.parse(source, root, PARSE_OPTIONS)
        imports = [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]
      } catch (error) {
        throw new Error(parseErrorText(fileName, error), { cause: error })
      }
      for (const path of imports) {
        if (seenImports.has(path)) continue
        seenImports.add(path)
        const wellKnown = path.startsWith(WELL_KNOWN) ? wellKnownJson(path) : undefined
        if (wellKnown !== undefined) {
          root.addJSON(wellKnown)
          continue
        }
        const imported = this.importable(path, name)
        if (imported === undefined) missing.push(path)
        else if (!parsedFiles.has(imported.name)) add(imported.name, imported.text)
      }
    }
    add(name, text)
    try {
      root.resolveAll()
    } catch (error) {
      const unloaded =
        missing.length === 0
          ? ''
          : ` (it imports ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not loaded: load ` +
            `${missing.length === 1 ? 'it' : 'them'} first)`
      throw new Error(`${name}: ${messageOf(error)}${unloaded}`, { cause: error })
    }
    return root
  }

  private importable(path: string, importer: string): LoadedSchema | undefined {
    const base = baseName(path)
    const candidates = [...this.schemas.values()].filter((s) => s.name !== importer)
    return candidates.find((s) => s.name === path) ?? candidates.find((s) => baseName(s.name) === base)
  }
}

function describe(schema: LoadedSchema): ProtoSchema {
  return { schemaId: schema.schemaId, name: schema.name, messageTypes: [...schema.types.keys()].sort() }
}

function typesOf(root: protobuf.Root): Map<string, protobuf.Type> {
  const types = new Map<string, protobuf.Type>()
  const visit = (namespace: protobuf.NamespaceBase): void => {
    for (const nested of namespace.nestedArray) {
      if (nested instanceof protobuf.Type) types.set(nested.fullName.replace(/^\./, ''), nested)
      if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) visit(nested)
    }
  }
  visit(root)
  return types
}

function wellKnownJson(path: string): protobuf.INamespace['nested'] {
  return protobuf.common.get(path)?.nested
}

/** Fields in the order the .proto declares them; the note says the field's number and declared type. */
function messageValue(
  type: protobuf.Type,
  object: Record<string, unknown>,
  depth: number,
  budget: DecodeBudget,
): DecodedValue {
  if (depth > MAX_DECODED_DEPTH) throw new Error(`messages are nested deeper than ${MAX_DECODED_DEPTH} levels`)
  budget.take()
  const entries: DecodedEntry[] = []
  for (const field of type.fieldsArray) {
    if (!Object.hasOwn(object, field.name)) continue
    const raw = object[field.name]
    const element = (v: unknown): DecodedValue => elementValue(field, v, depth, budget)
    let value: DecodedValue
    if (field.map && isRecord(raw)) {
      value = { t: 'map', entries: Object.entries(raw).map(([key, v]) => ({ key, value: element(v) })) }
    } else if (field.repeated && Array.isArray(raw)) {
      value = { t: 'list', items: raw.map(element) }
    } else {
      value = element(raw)
    }
    entries.push({ key: field.name, value, note: fieldNote(field) })
  }
  return { t: 'map', entries }
}

function elementValue(field: protobuf.Field, value: unknown, depth: number, budget: DecodeBudget): DecodedValue {
  if (field.resolvedType instanceof protobuf.Type && isRecord(value)) {
    return messageValue(field.resolvedType, value, depth + 1, budget)
  }
  // toObject gave 64-bit integers as decimal text; they are numbers, exact where a double cannot hold them.
  if (field.long && typeof value === 'string' && /^-?\d+$/.test(value)) {
    budget.take()
    return integerValue(BigInt(value))
  }
  return toDecoded(value, budget)
}

function fieldNote(field: protobuf.Field): string {
  const type =
    field instanceof protobuf.MapField
      ? `map<${field.keyType}, ${field.type}>`
      : field.repeated
        ? `repeated ${field.type}`
        : field.type
  const oneof = field.partOf !== null && field.options?.proto3_optional !== true ? `; oneof ${field.partOf.name}` : ''
  return `${field.id} ${type}${oneof}`
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
}

function unknownTypeMessage(schema: LoadedSchema, wanted: string): string {
  const names = [...schema.types.keys()].sort()
  if (names.length === 0) return `${schema.name} declares no message types`
  const ranked = names
    .map((name) => ({ name, distance: Math.min(editDistance(wanted, name), editDistance(wanted, lastPart(name))) }))
    .filter((c) => c.distance <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .map((c) => c.name)
  const hint =
    ranked.length > 0
      ? `did you mean ${ranked.slice(0, 3).join(', ')}?`
      : `it has ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`
  return `${schema.name} has no message type '${wanted}'; ${hint}`
}

function parseErrorText(fileName: string, error: unknown): string {
  const text = messageOf(error)
  const located = /^(.*) \((?:[^,()]*, )?line (\d+)\)$/.exec(text)
  return located === null ? `${fileName}: ${text}` : `${fileName} line ${located[2]}: ${located[1]}`
}

function decodeErrorText(error: unknown): string {
  const text = messageOf(error)
  const range = /^index out of range: (\d+) \+ \d+ > \d+$/.exec(text)
  if (range !== null) return `index out of range at byte ${range[1]}`
  return text.replace(/ at offset (\d+)/, ' at byte $1')
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

function lastPart(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1)
}

function editDistance(a: string, b: string): number {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i)
  for (let i = 1; i <= x.length; i++) {
    const current = [i]
    for (let j = 1; j <= y.length; j++) {
      const substitution = previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1)
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution))
    }
    previous = current
  }
  return previous[y.length]!
}
