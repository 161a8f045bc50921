// The field filter's syntax: tokens, and a hand-written recursive-descent parser into a condition tree (the
// renderer's CSP, and good sense, rule out eval). What the tree means is in expression.ts.
import type { DecodedValue } from '../../../contract/decoders'

export const EXPRESSION_MAX_LENGTH = 2000
export const EXPRESSION_MAX_DEPTH = 64

export type ScalarName = 'topic' | 'size' | 'socket'
export type PathTerm =
  | { kind: 'path'; root: ScalarName }
  | { kind: 'path'; root: 'frame'; frame: number; segments: string[] }
  | { kind: 'path'; root: 'fields'; segments: string[] }
export type Term = PathTerm | { kind: 'literal'; value: DecodedValue }
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'startsWith' | 'endsWith'
export type Condition =
  | { kind: 'or' | 'and'; parts: Condition[] }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; op: CompareOp; left: Term; right: Term }
  | { kind: 'matches'; left: Term; pattern: RegExp }
  | { kind: 'exists'; path: PathTerm }
  | { kind: 'true'; term: Term }

export const ROOT = Symbol('expression root')
/** A parsed filter; only the expression modules read inside it. */
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
