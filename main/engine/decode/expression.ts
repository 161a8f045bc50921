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
import {
  ROOT,
  type Condition,
  type Expression,
  type FilterSubject,
  type CompareOp,
  type Term,
} from './expression-syntax'

export { EXPRESSION_MAX_DEPTH, EXPRESSION_MAX_LENGTH, parseExpression } from './expression-syntax'
export type { Expression, FilterSubject, ParseResult } from './expression-syntax'

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
