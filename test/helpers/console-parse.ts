// The console parser's two outcomes, asserted: a command that must parse, and one that must be refused.
import assert from 'node:assert/strict'
import { parseCommand, type Parsed } from '../../renderer/console/parse'

export const command = (line: string) => {
  const parsed = parseCommand(line)
  assert.equal(parsed.kind, 'ok', `${line}: ${JSON.stringify(parsed)}`)
  return (parsed as Extract<Parsed, { kind: 'ok' }>).command
}

/** The sentence a refused command gets. */
export const error = (line: string): string => {
  const parsed = parseCommand(line)
  assert.equal(parsed.kind, 'error', `${line} should be refused`)
  return (parsed as Extract<Parsed, { kind: 'error' }>).message
}
