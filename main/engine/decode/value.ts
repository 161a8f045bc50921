// Plain JS values (what JSON, msgpack, CBOR and protobufjs decoders return) as the contract's DecodedValue tree,
// and the two ways the rest of the engine reads such a tree: by path, and as a scalar for plots and filters.
import { DECODED_BYTES_SHOWN, type DecodedEntry, type DecodedValue } from '../../../contract/decoders'

/** Deeper trees are almost always a reference cycle (CBOR shared references) rather than real data. */
/** A CBOR tag the decoder has no meaning for: its number and the value it tags, shown side by side. */
export class CborTag {
  constructor(
    readonly tag: number,
    readonly value: unknown,
  ) {}
}

export const MAX_DECODED_DEPTH = 64
/** A frame that becomes more nodes than this is too large to show or walk; shared references can multiply. */
export const MAX_DECODED_NODES = 100_000

const NULL: DecodedValue = { t: 'null' }

/** Counts nodes across one frame's conversion, so a decoder that builds its tree in parts shares one limit. */
export class DecodeBudget {
  private used = 0
  take(): void {
    if (++this.used > MAX_DECODED_NODES) {
      throw new Error(`the value has more than ${MAX_DECODED_NODES} parts: too large to show`)
    }
  }
}

export function toDecoded(value: unknown, budget: DecodeBudget = new DecodeBudget()): DecodedValue {
  return convert(value, 0, budget)
}

/** An integer as 'num' when a double holds it exactly, else as decimal text ('int'). */
export function integerValue(value: bigint): DecodedValue {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? { t: 'num', v: Number(value) }
    : { t: 'int', v: value.toString() }
}

export function bytesValue(bytes: Uint8Array): DecodedValue {
  const shown = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, DECODED_BYTES_SHOWN))
  return { t: 'bytes', b64: shown.toString('base64'), length: bytes.length }
}

function convert(value: unknown, depth: number, budget: DecodeBudget): DecodedValue {
  budget.take()
  if (depth > MAX_DECODED_DEPTH) throw new Error(`the value is nested deeper than ${MAX_DECODED_DEPTH} levels`)
  switch (typeof value) {
    case 'undefined':
      return NULL
    case 'boolean':
      return { t: 'bool', v: value }
    case 'number':
      return { t: 'num', v: value }
    case 'bigint':
      return integerValue(value)
    case 'string':
      return { t: 'str', v: value }
    case 'symbol':
    case 'function':
      return { t: 'str', v: String(value) }
    case 'object':
      return value === null ? NULL : convertObject(value, depth + 1, budget)
  }
}

function convertObject(value: object, depth: number, budget: DecodeBudget): DecodedValue {
  if (value instanceof Uint8Array) return bytesValue(value)
  if (value instanceof ArrayBuffer) return bytesValue(new Uint8Array(value))
  // CBOR typed-array tags (Float32Array, BigUint64Array…) are lists of numbers to a reader.
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return convertList(Array.from(value as unknown as ArrayLike<number | bigint>), depth, budget)
  }
  if (Array.isArray(value)) return convertList(value, depth, budget)
  if (value instanceof Set) return convertList([...value], depth, budget)
  if (value instanceof Map) {
    return convertEntries(
      [...value].map(([k, v]) => [keyText(k), v] as const),
      depth,
      budget,
    )
  }
  if (value instanceof Date) {
    return { t: 'str', v: Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString() }
  }
  if (value instanceof CborTag) {
    // An unknown CBOR tag: the tag number says what the application meant; keep it beside the tagged value.
    return convertEntries(
      [
        ['tag', value.tag],
        ['value', value.value],
      ],
      depth,
      budget,
    )
  }
  const long = asLong(value)
  if (long !== undefined) return integerValue(long)
  if (value instanceof RegExp || value instanceof Error) return { t: 'str', v: String(value) }
  return convertEntries(Object.entries(value), depth, budget)
}

function convertList(items: readonly unknown[], depth: number, budget: DecodeBudget): DecodedValue {
  return { t: 'list', items: items.map((item) => convert(item, depth, budget)) }
}

function convertEntries(
  entries: readonly (readonly [string, unknown])[],
  depth: number,
  budget: DecodeBudget,
): DecodedValue {
  const out: DecodedEntry[] = entries.map(([key, v]) => ({ key, value: convert(v, depth, budget) }))
  return { t: 'map', entries: out }
}

/** protobufjs's Long (from long.js): a 64-bit integer as two 32-bit halves. */
function asLong(value: object): bigint | undefined {
  const { low, high, unsigned } = value as { low?: unknown; high?: unknown; unsigned?: unknown }
  if (typeof low !== 'number' || typeof high !== 'number' || typeof unsigned !== 'boolean') return undefined
  const bits = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0)
  return unsigned ? bits : BigInt.asIntN(64, bits)
}

function keyText(key: unknown): string {
  if (typeof key === 'string') return key
  if (key instanceof Uint8Array) return `0x${Buffer.from(key.buffer, key.byteOffset, key.length).toString('hex')}`
  if (typeof key === 'object' && key !== null) {
    try {
      return JSON.stringify(key, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
    } catch {
      return String(key)
    }
  }
  return String(key)
}

/** The value at `path` (map keys and list indices); a repeated map key answers with its first entry. */
export function valueAt(value: DecodedValue, path: readonly string[]): DecodedValue | undefined {
  let here: DecodedValue | undefined = value
  for (const segment of path) {
    if (here === undefined) return undefined
    here = childOf(here, segment)
  }
  return here
}

function childOf(value: DecodedValue, segment: string): DecodedValue | undefined {
  switch (value.t) {
    case 'map':
      return value.entries.find((entry) => entry.key === segment)?.value
    case 'list': {
      if (!/^\d+$/.test(segment)) return undefined
      return value.items[Number(segment)]
    }
    default:
      return undefined
  }
}

/** A leaf as a JS scalar for plots and filters; 'int' becomes the nearest double. Containers and bytes: undefined. */
export function scalarOf(value: DecodedValue): number | string | boolean | null | undefined {
  switch (value.t) {
    case 'num':
    case 'str':
    case 'bool':
      return value.v
    case 'int':
      return Number(value.v)
    case 'null':
      return null
    default:
      return undefined
  }
}
