// A decoded payload as a tree: what decoders produce, the details show, plots and field filters walk. Types only.
/** A decoded value as a tree the renderer can show and the expression language can walk; JSON-safe. */
export type DecodedValue =
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  | { t: 'num'; v: number }
  /** An integer a double cannot hold exactly (protobuf int64, CBOR/msgpack uint64), as decimal text. */
  | { t: 'int'; v: string }
  | { t: 'str'; v: string }
  /** Bytes, as base64 (at most DECODED_BYTES_SHOWN of them; `length` is the whole). */
  | { t: 'bytes'; b64: string; length: number }
  | { t: 'list'; items: DecodedValue[] }
  /** Keys in the order the payload has them. `note` says what the wire said (a protobuf field's wire type). */
  | { t: 'map'; entries: DecodedEntry[] }

export interface DecodedEntry {
  key: string
  value: DecodedValue
  note?: string
}

/** Bytes values longer than this show their first bytes and their length. */
export const DECODED_BYTES_SHOWN = 4096
