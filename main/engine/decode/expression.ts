// The field filter: a small expression language over a message's decoded fields, parsed by hand into a tree and
// walked by an interpreter, because the renderer's CSP (and good sense) rule out eval and new Function.
//
// Names: a bare path resolves first against the reserved names — `topic` (frame 0 as text), `size` (the message's
// bytes), `socket` (its socket's id), `frame[i]` (frame i's decoded value; negative counts from the end) — and
// otherwise against the decoded fields. A path that starts with a quoted key (`["topic"]`) always reads the
// decoded fields, so a field that shares a reserved name stays reachable.
//
// Semantics: a comparison with a side that does not resolve is false, whatever the operator (so `!(x == 1)` holds
// for a message without x; `exists(x)` asks directly). A number against numeric text compares numerically (a zip
// code decoded as "10001" equals 10001); integers compare exactly as BigInt (int64 values beyond 2^53). A value
// on its own is a condition only when it is the boolean true. `contains` finds text in text, an equal item in a
// list, or a key in a map. `matches` patterns are compiled once here; a pathological pattern is bounded by the
// time budget the engine runs filters with, not by this module.
import type { DecodedValue } from '../../../contract/decoders'

export const EXPRESSION_MAX_LENGTH = 2000
export const EXPRESSION_MAX_DEPTH = 64

type ScalarName = 'topic' | 'size' | 'socket'
type PathTerm =
  | { kind: 'path'; root: ScalarName }
  | { kind: 'path'; root: 'frame'; frame: number; segments: string[] }
  | { kind: 'path'; root: 'fields'; segments: string[] }
type Term = PathTerm | { kind: 'literal'; value: DecodedValue }
type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'startsWith' | 'endsWith'
type Condition =
  | { kind: 'or' | 'and'; parts: Condition[] }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; op: CompareOp; left: Term; right: Term }
  | { kind: 'matches'; left: Term; pattern: RegExp }
  | { kind: 'exists'; path: PathTerm }
  | { kind: 'true'; term: Term }

const ROOT = Symbol('expression root')
/** A parsed filter; only this module reads inside it. */
export interface Expression {
  readonly source: string
  readonly [ROOT]: Condition
}

export interface FilterSubject {
  /** The message's decoded fields: the decoded frame when one frame is decoded. */
  fields: DecodedValue | undefined
  /** Decoded values per frame index, for frame[i]. */
  frames: (DecodedValue | undefined)[]
  topic: string
  /** The message's size in bytes. */
  size: number
  socket: string
}

export type ParseResult = { ok: true; expression: Expression } | { ok: false; error: string; at: number }

// ---- tokens ----

type Token =
  | { kind: 'number' | 'word' | 'symbol'; at: number; text: string }
  | { kind: 'string'; at: number; text: string; value: string }
  | { kind: 'end'; at: number; text: '' }

class ParseFailure extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(`at ${at}: ${message}`)
  }
}

const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/y
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y
const SYMBOLS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', '.'] as const
const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', t: '\t' }
const MISTYPED: Record<string, string> = {
  '=': 'write == to compare',
  '&': 'write && (or and)',
  '|': 'write || (or or)',
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = i
    return re.exec(text)?.[0]
  }
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      i++
      continue
    }
    const at = i
    if (c === '"' || c === "'") {
      let value = ''
      for (i++; text[i] !== c; i++) {
        if (i >= text.length || (text[i] === '\\' && i + 1 >= text.length))
          throw new ParseFailure(at, `the string that starts here has no closing ${c}`)
        // An unknown escape keeps its backslash, so a regular expression's \d or \. reads as written.
        if (text[i] === '\\') value += ESCAPES[text[++i]!] ?? `\\${text[i]}`
        else value += text[i]
      }
      i++
      tokens.push({ kind: 'string', at, text: text.slice(at, i), value })
      continue
    }
    const number = /[-\d]/.test(c) ? match(NUMBER) : undefined
    if (number !== undefined) {
      i += number.length
      if (/[\w.$]/.test(text[i] ?? ' ')) {
        const word = text.slice(at).match(/^[-\w.$]+/)![0]
        throw new ParseFailure(at, `'${word}' is not a number`)
      }
      tokens.push({ kind: 'number', at, text: number })
      continue
    }
    if (c === '-') throw new ParseFailure(at, "'-' must be followed by a number")
    const word = match(WORD) ?? SYMBOLS.find((s) => text.startsWith(s, i))
    if (word === undefined) {
      const hint = MISTYPED[c]
      throw new ParseFailure(at, `unexpected character '${c}'${hint === undefined ? '' : `: ${hint}`}`)
    }
    i += word.length
    tokens.push({ kind: /\w/.test(c) || c === '$' ? 'word' : 'symbol', at, text: word })
  }
  tokens.push({ kind: 'end', at: text.length, text: '' })
  return tokens
}

function found(token: Token): string {
  if (token.kind === 'end') return 'end of input'
  const text = token.text.length > 24 ? `${token.text.slice(0, 24)}…` : token.text
  return token.kind === 'string' ? `the string ${text}` : `'${text}'`
}

// ---- parser: or > and > not > comparison; one function per level ----

const COMPARE_WORDS = new Set(['==', '!=', '<', '<=', '>', '>=', 'contains', 'startsWith', 'endsWith', 'matches'])
const LITERALS = new Map<string, DecodedValue>([
  ['true', { t: 'bool', v: true }],
  ['false', { t: 'bool', v: false }],
  ['null', { t: 'null' }],
])
const RESERVED = new Set(['topic', 'size', 'socket', 'frame'])
const KEYWORDS = new Set(['and', 'or', 'not', 'exists', ...COMPARE_WORDS])

class Parser {
  private next = 0
  private depth = 0
  constructor(private readonly tokens: Token[]) {}

  parse(): Condition {
    const condition = this.or('expected a condition')
    const rest = this.peek()
    if (rest.kind === 'end') return condition
    if (COMPARE_WORDS.has(rest.text)) throw new ParseFailure(rest.at, 'comparisons do not chain; join them with &&')
    throw new ParseFailure(rest.at, `expected &&, || or the end of the expression, found ${found(rest)}`)
  }

  private peek(): Token {
    return this.tokens[this.next]!
  }
  private take(): Token {
    return this.tokens[this.next++]!
  }
  private takeIf(...texts: string[]): Token | undefined {
    const token = this.peek()
    return token.kind !== 'string' && texts.includes(token.text) ? this.take() : undefined
  }
  private expect(text: string, why: string): void {
    if (this.takeIf(text) === undefined)
      throw new ParseFailure(this.peek().at, `expected '${text}' ${why}, found ${found(this.peek())}`)
  }

  // `expected` says what a missing operand should have been: "expected a condition after '&&'".
  private or(expected: string): Condition {
    const parts = [this.and(expected)]
    for (let op = this.takeIf('||', 'or'); op !== undefined; op = this.takeIf('||', 'or'))
      parts.push(this.and(`expected a condition after '${op.text}'`))
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts }
  }

  private and(expected: string): Condition {
    const parts = [this.unary(expected)]
    for (let op = this.takeIf('&&', 'and'); op !== undefined; op = this.takeIf('&&', 'and'))
      parts.push(this.unary(`expected a condition after '${op.text}'`))
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts }
  }

  private unary(expected: string): Condition {
    const token = this.peek()
    const opener = this.takeIf('!', 'not', '(')
    if (opener === undefined) return token.text === 'exists' ? this.exists() : this.comparison(expected)
    if (++this.depth > EXPRESSION_MAX_DEPTH)
      throw new ParseFailure(token.at, `nesting deeper than ${EXPRESSION_MAX_DEPTH} levels`)
    let condition: Condition
    if (opener.text === '(') {
      condition = this.or("expected a condition after '('")
      this.expect(')', `to close the '(' at ${opener.at}`)
    } else condition = { kind: 'not', operand: this.unary(`expected a condition after '${opener.text}'`) }
    this.depth--
    return condition
  }

  private exists(): Condition {
    this.take()
    const open = this.peek()
    this.expect('(', "after 'exists'")
    const token = this.peek()
    const isPath =
      (token.kind === 'word' && !KEYWORDS.has(token.text) && !LITERALS.has(token.text)) || token.text === '['
    const path = isPath ? this.term('') : undefined
    if (path?.kind !== 'path') throw new ParseFailure(token.at, `exists( ) takes a field path, found ${found(token)}`)
    this.expect(')', `to close the '(' at ${open.at}`)
    return { kind: 'exists', path }
  }

  private comparison(expected: string): Condition {
    const left = this.term(expected)
    const op = this.peek()
    if (op.kind === 'string' || !COMPARE_WORDS.has(op.text)) return { kind: 'true', term: left }
    this.take()
    if (op.text !== 'matches') {
      const right = this.term(`expected a value after '${op.text}'`)
      return { kind: 'compare', op: op.text as CompareOp, left, right }
    }
    const pattern = this.take()
    if (pattern.kind !== 'string')
      throw new ParseFailure(pattern.at, `'matches' takes a quoted regular expression, found ${found(pattern)}`)
    try {
      return { kind: 'matches', left, pattern: new RegExp(pattern.value) }
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^.*: /, '') : String(error)
      throw new ParseFailure(pattern.at, `invalid regular expression ${pattern.text}: ${reason}`)
    }
  }

  private term(expected: string): Term {
    const token = this.peek()
    if (token.text === '[') return { kind: 'path', root: 'fields', segments: this.segments([]) }
    const literal = literalOf(token)
    if (literal === undefined && (token.kind !== 'word' || KEYWORDS.has(token.text)))
      throw new ParseFailure(token.at, `${expected}, found ${found(token)}`)
    this.take()
    if (literal !== undefined) return { kind: 'literal', value: literal }
    if (this.peek().text === '(')
      throw new ParseFailure(token.at, `unknown function '${token.text}'; the only function is exists( )`)
    if (!RESERVED.has(token.text)) return { kind: 'path', root: 'fields', segments: this.segments([token.text]) }
    if (token.text === 'frame') {
      const index = this.peek()
      if (index.text !== '[' || this.tokens[this.next + 1]?.kind !== 'number')
        throw new ParseFailure(index.at, "'frame' takes an index: frame[0], frame[1], … (frame[-1] is the last)")
      const [frame, ...segments] = this.segments([])
      return { kind: 'path', root: 'frame', frame: Number(frame), segments }
    }
    const more = this.peek()
    if (more.text === '.' || more.text === '[')
      throw new ParseFailure(more.at, `'${token.text}' has no fields; write ["${token.text}"] for a decoded field`)
    return { kind: 'path', root: token.text as ScalarName }
  }

  private segments(segments: string[]): string[] {
    for (let op = this.takeIf('.', '['); op !== undefined; op = this.takeIf('.', '[')) {
      const token = this.take()
      if (op.text === '.') {
        if (token.kind !== 'word')
          throw new ParseFailure(
            token.at,
            `expected a field name after '.', found ${found(token)} (use [0] for an index)`,
          )
        segments.push(token.text)
        continue
      }
      if (token.kind === 'string') segments.push(token.value)
      else if (token.kind === 'number' && /^-?\d+$/.test(token.text)) segments.push(token.text)
      else throw new ParseFailure(token.at, `expected a whole number or a quoted key inside [ ], found ${found(token)}`)
      this.expect(']', `to close the '[' at ${op.at}`)
    }
    return segments
  }
}

function literalOf(token: Token): DecodedValue | undefined {
  if (token.kind === 'string') return { t: 'str', v: token.value }
  if (token.kind === 'word') return LITERALS.get(token.text)
  if (token.kind !== 'number') return undefined
  const value = Number(token.text)
  // Integer text a double cannot hold stays exact, to meet int64 fields as BigInt.
  if (!/^-?\d+$/.test(token.text) || Number.isSafeInteger(value)) return { t: 'num', v: value }
  return { t: 'int', v: BigInt(token.text).toString() }
}

export function parseExpression(text: string): ParseResult {
  try {
    if (text.length > EXPRESSION_MAX_LENGTH)
      throw new ParseFailure(
        EXPRESSION_MAX_LENGTH,
        `the expression is ${text.length} characters long; the limit is ${EXPRESSION_MAX_LENGTH}`,
      )
    return { ok: true, expression: { source: text, [ROOT]: new Parser(tokenize(text)).parse() } }
  } catch (error) {
    if (error instanceof ParseFailure) return { ok: false, error: error.message, at: error.at }
    throw error
  }
}

// ---- evaluation ----

export function evaluate(expression: Expression, subject: FilterSubject): boolean {
  return holds(expression[ROOT], subject)
}

function holds(condition: Condition, subject: FilterSubject): boolean {
  switch (condition.kind) {
    case 'or':
      return condition.parts.some((part) => holds(part, subject))
    case 'and':
      return condition.parts.every((part) => holds(part, subject))
    case 'not':
      return !holds(condition.operand, subject)
    case 'exists':
      return resolve(condition.path, subject) !== undefined
    case 'true': {
      const value = resolve(condition.term, subject)
      return value?.t === 'bool' && value.v
    }
    case 'matches': {
      const text = textOf(resolve(condition.left, subject))
      return text !== undefined && condition.pattern.test(text)
    }
    case 'compare': {
      const left = resolve(condition.left, subject)
      const right = resolve(condition.right, subject)
      return left !== undefined && right !== undefined && compare(condition.op, left, right)
    }
  }
}

function resolve(term: Term, subject: FilterSubject): DecodedValue | undefined {
  if (term.kind === 'literal') return term.value
  switch (term.root) {
    case 'topic':
      return { t: 'str', v: subject.topic }
    case 'socket':
      return { t: 'str', v: subject.socket }
    case 'size':
      return { t: 'num', v: subject.size }
    case 'frame':
      return walk(subject.frames.at(term.frame), term.segments)
    case 'fields':
      return walk(subject.fields, term.segments)
  }
}

function walk(start: DecodedValue | undefined, segments: string[]): DecodedValue | undefined {
  let value = start
  for (const segment of segments) {
    if (value?.t === 'map') value = value.entries.find((entry) => entry.key === segment)?.value
    else if (value?.t === 'list' && /^-?\d+$/.test(segment)) value = value.items.at(Number(segment))
    else return undefined
  }
  return value
}

function compare(op: CompareOp, left: DecodedValue, right: DecodedValue): boolean {
  switch (op) {
    case '==':
      return equal(left, right)
    case '!=':
      return !equal(left, right)
    case 'contains':
      if (left.t === 'list') return left.items.some((item) => equal(item, right))
      if (left.t === 'map') return left.entries.some((entry) => entry.key === textOf(right))
      return textTest(left, right, (text, part) => text.includes(part))
    case 'startsWith':
      return textTest(left, right, (text, part) => text.startsWith(part))
    case 'endsWith':
      return textTest(left, right, (text, part) => text.endsWith(part))
  }
  const order = orderOf(left, right)
  if (order === undefined) return false
  return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0
}

function textTest(left: DecodedValue, right: DecodedValue, test: (text: string, part: string) => boolean): boolean {
  const text = textOf(left)
  const part = textOf(right)
  return text !== undefined && part !== undefined && test(text, part)
}

function textOf(value: DecodedValue | undefined): string | undefined {
  if (value?.t === 'str' || value?.t === 'int') return value.v
  return value?.t === 'num' ? String(value.v) : undefined
}

function equal(left: DecodedValue, right: DecodedValue): boolean {
  if (left.t === 'bool' || right.t === 'bool') return left.t === 'bool' && right.t === 'bool' && left.v === right.v
  if (left.t === 'null' || right.t === 'null') return left.t === right.t
  // Bytes values carry their first DECODED_BYTES_SHOWN bytes; with equal lengths that is as close as we can look.
  if (left.t === 'bytes' || right.t === 'bytes')
    return left.t === 'bytes' && right.t === 'bytes' && left.length === right.length && left.b64 === right.b64
  return orderOf(left, right) === 0
}

type Numeric = { kind: 'integer'; v: bigint } | { kind: 'real'; v: number }
const INTEGER_TEXT = /^[+-]?\d+$/
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** -1, 0 or 1; undefined when the two do not order (text against a number that is not numeric text, NaN, lists). */
function orderOf(left: DecodedValue, right: DecodedValue): number | undefined {
  if (left.t === 'num' && right.t === 'num') return order(left.v, right.v)
  if (left.t === 'str' && right.t === 'str') return left.v < right.v ? -1 : left.v > right.v ? 1 : 0
  const a = numericOf(left)
  const b = numericOf(right)
  if (a === undefined || b === undefined) return undefined
  if (a.kind === 'integer' && b.kind === 'integer') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0
  return order(Number(a.v), Number(b.v))
}

function order(a: number, b: number): number | undefined {
  return a < b ? -1 : a > b ? 1 : a === b ? 0 : undefined
}

function numericOf(value: DecodedValue): Numeric | undefined {
  if (value.t === 'num')
    return Number.isInteger(value.v) ? { kind: 'integer', v: BigInt(value.v) } : { kind: 'real', v: value.v }
  if (value.t !== 'int' && value.t !== 'str') return undefined
  if (INTEGER_TEXT.test(value.v)) return { kind: 'integer', v: BigInt(value.v) }
  return value.t === 'str' && NUMBER_TEXT.test(value.v) ? { kind: 'real', v: Number(value.v) } : undefined
}

// ---- what a filter reads ----

/**
 * The decoded-field paths the expression reads, each once: field paths as written (list indices as text), frame
 * paths as ['frame', '<index>', ...]. topic, size and socket need no decoding and are left out.
 */
export function pathsOf(expression: Expression): string[][] {
  const paths = new Map<string, string[]>()
  const addTerm = (term: Term): void => {
    if (term.kind !== 'path' || (term.root !== 'fields' && term.root !== 'frame')) return
    const path = term.root === 'frame' ? ['frame', String(term.frame), ...term.segments] : term.segments
    paths.set(JSON.stringify(path), path)
  }
  const visit = (condition: Condition): void => {
    switch (condition.kind) {
      case 'or':
      case 'and':
        return condition.parts.forEach(visit)
      case 'not':
        return visit(condition.operand)
      case 'exists':
        return addTerm(condition.path)
      case 'true':
        return addTerm(condition.term)
      case 'matches':
        return addTerm(condition.left)
      case 'compare':
        addTerm(condition.left)
        addTerm(condition.right)
    }
  }
  visit(expression[ROOT])
  return [...paths.values()]
}
