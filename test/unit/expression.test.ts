// The field filter's language: the examples against hand-built decoded trees, the rules a user relies on
// (a missing field is false, numeric text meets numbers, big integers stay exact), precedence, every parse error
// with its position, and the limits.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { DecodedValue } from '../../contract/decoders'
import {
  EXPRESSION_MAX_DEPTH,
  EXPRESSION_MAX_LENGTH,
  evaluate,
  parseExpression,
  pathsOf,
  type Expression,
  type FilterSubject,
} from '../../main/engine/decode/expression'

const num = (v: number): DecodedValue => ({ t: 'num', v })
const int = (v: string): DecodedValue => ({ t: 'int', v })
const str = (v: string): DecodedValue => ({ t: 'str', v })
const bool = (v: boolean): DecodedValue => ({ t: 'bool', v })
const list = (...items: DecodedValue[]): DecodedValue => ({ t: 'list', items })
const map = (fields: Record<string, DecodedValue>): DecodedValue => ({
  t: 'map',
  entries: Object.entries(fields).map(([key, value]) => ({ key, value })),
})

function subject(fields: DecodedValue | undefined, extra: Partial<FilterSubject> = {}): FilterSubject {
  return { fields, frames: [fields], topic: '', size: 0, socket: 's1', ...extra }
}

function compile(text: string): Expression {
  const parsed = parseExpression(text)
  if (!parsed.ok) assert.fail(`${text}: ${parsed.error}`)
  return parsed.expression
}

const test = (text: string, on: FilterSubject): boolean => evaluate(compile(text), on)

const weather = subject(map({ zip: str('10001'), temp: num(35), humidity: num(40) }), {
  topic: '10001 35 40',
  size: 1200,
})
const kernel = subject(
  map({
    header: map({ msg_type: str('execute_reply'), msg_id: str('a1b2') }),
    status: str('busy'),
    content: map({ data: map({ 'text/plain': str('Out[3]: 42'), 'image/png': { t: 'null' } }) }),
  }),
)

describe('filter expressions: the examples', () => {
  it('compares numbers and text at paths', () => {
    assert.equal(test('temp > 30', weather), true)
    assert.equal(test('temp > 35', weather), false)
    assert.equal(test('header.msg_type == "execute_reply"', kernel), true)
    assert.equal(test("header.msg_type == 'execute_request'", kernel), false)
    assert.equal(test('temp > 30 && zip == 10001', weather), true)
    assert.equal(test('temp > 30 and zip == 10002', weather), false)
    assert.equal(test('!(status == "idle")', kernel), true)
    assert.equal(test('not (status == "busy")', kernel), false)
    assert.equal(test('content.data["text/plain"] contains "42"', kernel), true)
    assert.equal(test('content.data["text/plain"] contains "43"', kernel), false)
  })

  it('indexes lists, matches patterns, tests existence', () => {
    const items = subject(map({ items: list(map({ id: num(3) }), map({ id: num(1) })), name: str('dealer-17') }))
    assert.equal(test('items[0].id >= 3', items), true)
    assert.equal(test('items[1].id >= 3', items), false)
    assert.equal(test('items[-1].id == 1', items), true)
    assert.equal(test('name matches "^dealer-[0-9]+$"', items), true)
    assert.equal(test('name matches "^dealer-\\d$"', items), false)
    assert.equal(test('name matches "^dealer-\\d+$"', items), true)
    assert.equal(test('exists(header.msg_id)', kernel), true)
    assert.equal(test('exists(header.parent)', kernel), false)
    assert.equal(test('exists(content.data["image/png"])', kernel), true, 'a null value exists')
  })

  it('reads frames by index and the reserved names topic, size and socket', () => {
    const twoFrames = subject(undefined, { frames: [str('sensors'), map({ temp: num(-12) })], topic: '1001 x' })
    assert.equal(test('frame[1].temp < -10', twoFrames), true)
    assert.equal(test('frame[-1].temp < -12', twoFrames), false)
    assert.equal(test('frame[0] == "sensors"', twoFrames), true)
    assert.equal(test('frame[5].temp < 0', twoFrames), false)
    assert.equal(test('topic startsWith "100"', twoFrames), true)
    assert.equal(test('topic endsWith "x"', twoFrames), true)
    assert.equal(test('topic startsWith "2"', twoFrames), false)
    assert.equal(test('size > 1000', weather), true)
    assert.equal(test('size > 1200', weather), false)
    assert.equal(test('socket == "s1"', weather), true)
    const shadowing = subject(map({ topic: str('decoded'), size: num(1) }), { topic: 'wire', size: 9 })
    assert.equal(test('topic == "wire" && size == 9', shadowing), true)
    assert.equal(test('["topic"] == "decoded" && ["size"] == 1', shadowing), true)
  })
})

describe('filter expressions: semantics', () => {
  it('a path that does not resolve makes any comparison false', () => {
    for (const text of ['nope == 1', 'nope != 1', 'nope < 1', 'nope contains "x"', 'nope matches "."'])
      assert.equal(test(text, weather), false, text)
    assert.equal(test('!(nope == 1)', weather), true)
    assert.equal(test('temp.deeper == 1', weather), false, 'a number has no fields')
    assert.equal(test('temp[0] == 1', weather), false)
    assert.equal(test('zip == 1', subject(undefined)), false, 'nothing decoded')
  })

  it('numbers meet numeric text numerically, and only then', () => {
    assert.equal(test('zip == 10001', weather), true)
    assert.equal(test('zip > 9999', weather), true, 'numerically, though "10001" < "9999" as text')
    assert.equal(test('temp == "35.0"', weather), true)
    assert.equal(test('zip > "9999"', weather), false, 'text against text compares as text')
    assert.equal(test('zip == 10001.5', weather), false)
    const named = subject(map({ label: str('abc'), empty: str('') }))
    assert.equal(test('label == 0 || label < 1 || label > 1 || empty == 0', named), false)
    assert.equal(test('label != 0', named), true)
    assert.equal(test('zip startsWith 100', weather), true, 'a number names its decimal text')
  })

  it("'int' values compare exactly as BigInt", () => {
    const big = subject(
      map({
        seq: int('9007199254740993'),
        small: int('5'),
        double: num(9007199254740992),
        text: str('9007199254740993'),
      }),
    )
    assert.equal(test('seq == 9007199254740993', big), true)
    assert.equal(test('seq != 9007199254740992', big), true)
    assert.equal(test('seq == 9007199254740992', big), false)
    assert.equal(test('seq > 9007199254740992', big), true)
    assert.equal(test('seq == double', big), false, 'the double is exactly 2^53')
    assert.equal(test('double == 9007199254740992', big), true)
    assert.equal(test('seq == "9007199254740993"', big), true)
    assert.equal(test('text == 9007199254740993 && text != 9007199254740992', big), true, 'numeric text, exactly')
    assert.equal(test('small == 5 && small < 5.5 && small > 4.9', big), true)
    assert.equal(test('seq > 18446744073709551615', big), false)
  })

  it('equality across types: bool, null, lists, maps', () => {
    const mixed = subject(map({ on: bool(true), off: bool(false), none: { t: 'null' }, tags: list(str('a'), num(2)) }))
    assert.equal(test('on', mixed), true, 'a boolean on its own')
    assert.equal(test('off || tags', mixed), false, 'only the boolean true holds on its own')
    assert.equal(test('on == true && off == false && none == null', mixed), true)
    assert.equal(test('on == 1 || none == 0 || none == ""', mixed), false)
    assert.equal(test('tags contains "a" && tags contains 2 && tags contains "2"', mixed), true)
    assert.equal(test('tags contains "b"', mixed), false)
    assert.equal(test('content.data contains "text/plain"', kernel), true, 'a map contains its keys')
  })

  it('precedence: ! binds tighter than &&, && tighter than ||; parentheses group', () => {
    const flags = subject(map({ a: bool(true), b: bool(false), c: bool(false) }))
    assert.equal(test('a || b && c', flags), true, 'a || (b && c)')
    assert.equal(test('(a || b) && c', flags), false)
    assert.equal(test('b && c || a', flags), true)
    assert.equal(test('!a || a', flags), true)
    assert.equal(test('!(a || a)', flags), false)
    assert.equal(test('not b and not c', flags), true)
    assert.equal(test('!!a', flags), true)
  })
})

describe('filter expressions: parse errors name the place and what was expected', () => {
  const errors: [string, number, string][] = [
    ['temp > ', 7, "expected a value after '>', found end of input"],
    ['', 0, 'expected a condition, found end of input'],
    ['temp > 30 &&', 12, "expected a condition after '&&', found end of input"],
    ['!', 1, "expected a condition after '!', found end of input"],
    ['or a', 0, "expected a condition, found 'or'"],
    ['temp > 30 zip', 10, "expected &&, || or the end of the expression, found 'zip'"],
    ['0 < temp < 9', 9, 'comparisons do not chain; join them with &&'],
    ['(temp > 3', 9, "expected ')' to close the '(' at 0, found end of input"],
    ['temp > 3)', 8, "expected &&, || or the end of the expression, found ')'"],
    ['a == "x', 5, 'the string that starts here has no closing "'],
    ["a == 'x\\", 5, "the string that starts here has no closing '"],
    ['a = 3', 2, "unexpected character '=': write == to compare"],
    ['a & b', 2, "unexpected character '&': write && (or and)"],
    ['a # b', 2, "unexpected character '#'"],
    ['a == 30abc', 5, "'30abc' is not a number"],
    ['a == 1.2.3', 5, "'1.2.3' is not a number"],
    ['a == - 3', 5, "'-' must be followed by a number"],
    ['a. == 1', 3, "expected a field name after '.', found '==' (use [0] for an index)"],
    ['a.0 == 1', 2, "expected a field name after '.', found '0' (use [0] for an index)"],
    ['a[1.5] == 1', 2, "expected a whole number or a quoted key inside [ ], found '1.5'"],
    ['a[b] == 1', 2, "expected a whole number or a quoted key inside [ ], found 'b'"],
    ['a[1 == 1', 4, "expected ']' to close the '[' at 1, found '=='"],
    ['frame.temp > 1', 5, "'frame' takes an index: frame[0], frame[1], … (frame[-1] is the last)"],
    ['topic.x == 1', 5, `'topic' has no fields; write ["topic"] for a decoded field`],
    ['exists(3)', 7, "exists( ) takes a field path, found '3'"],
    ['exists a', 7, "expected '(' after 'exists', found 'a'"],
    ['exists(a', 8, "expected ')' to close the '(' at 6, found end of input"],
    ['len(a) > 3', 0, "unknown function 'len'; the only function is exists( )"],
    ['a matches 3', 10, "'matches' takes a quoted regular expression, found '3'"],
    ['a matches "(x"', 10, 'invalid regular expression "(x": Unterminated group'],
    ['a == contains', 5, "expected a value after '==', found 'contains'"],
  ]
  for (const [text, at, message] of errors) {
    it(`${JSON.stringify(text)} -> at ${at}`, () => {
      assert.deepEqual(parseExpression(text), { ok: false, at, error: `at ${at}: ${message}` })
    })
  }

  it('limits: length and nesting depth', () => {
    const long = `a == "${'x'.repeat(EXPRESSION_MAX_LENGTH)}"`
    assert.deepEqual(parseExpression(long), {
      ok: false,
      at: EXPRESSION_MAX_LENGTH,
      error: `at ${EXPRESSION_MAX_LENGTH}: the expression is ${long.length} characters long; the limit is ${EXPRESSION_MAX_LENGTH}`,
    })
    const longest = `a == "${'x'.repeat(EXPRESSION_MAX_LENGTH - 7)}"`
    assert.equal(longest.length, EXPRESSION_MAX_LENGTH)
    assert.equal(parseExpression(longest).ok, true)
    const nested = (n: number): string => `${'('.repeat(n)}a${')'.repeat(n)}`
    assert.equal(parseExpression(nested(EXPRESSION_MAX_DEPTH)).ok, true)
    assert.deepEqual(parseExpression(nested(EXPRESSION_MAX_DEPTH + 1)), {
      ok: false,
      at: EXPRESSION_MAX_DEPTH,
      error: `at ${EXPRESSION_MAX_DEPTH}: nesting deeper than ${EXPRESSION_MAX_DEPTH} levels`,
    })
    const nots = '!'.repeat(EXPRESSION_MAX_DEPTH + 1) + 'a'
    assert.equal(parseExpression(nots).ok, false)
    const wide = Array.from({ length: 120 }, (_, i) => `f${i} == ${i}`).join(' || ')
    assert.equal(parseExpression(wide).ok, true, 'a long chain is not nesting')
  })

  it('string escapes: \\" \\\\ \\n, and other backslashes kept for regular expressions', () => {
    const quoted = subject(map({ s: str('say "hi"\\\n'), r: str('a.b') }))
    assert.equal(test('s == "say \\"hi\\"\\\\\\n"', quoted), true)
    assert.equal(test("s startsWith 'say \"'", quoted), true)
    assert.equal(test('r matches "^a\\.b$"', quoted), true)
    assert.equal(test('r matches "^a\\.c$"', quoted), false)
  })
})

describe('filter expressions: what they read', () => {
  it('pathsOf lists each decoded path once; reserved scalars need no decoding', () => {
    const expression = compile(
      'temp > 30 && (header.msg_type == "x" || !exists(items[0].id)) && frame[1].t < 0 && topic == "a" && ' +
        'size > 3 && socket == "b" && name matches "q" && temp < 90 && content.data["text/plain"] contains zip',
    )
    assert.deepEqual(pathsOf(expression), [
      ['temp'],
      ['header', 'msg_type'],
      ['items', '0', 'id'],
      ['frame', '1', 't'],
      ['name'],
      ['content', 'data', 'text/plain'],
      ['zip'],
    ])
  })

  it('keeps the source text; field names that look like object internals are plain fields', () => {
    const expression = compile('constructor == 1 || __proto__ == 2')
    assert.equal(expression.source, 'constructor == 1 || __proto__ == 2')
    assert.equal(evaluate(expression, subject(map({ constructor: num(1) }))), true)
    assert.equal(evaluate(expression, subject(map({}))), false)
  })
})
