// The console tab works only through what it is handed (API, socket list, create action): no page state, so it
// runs here without a session, against fakes that record what it asked for.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SocketSummary } from '../../contract/views'
import { ConsoleSession, type ConsoleContext } from '../../renderer/console/console-session'
import type { SocketSpec } from '../../renderer/lib/socket-spec'

function harness(sockets: SocketSummary[] = []) {
  const calls: { channel: string; request: unknown }[] = []
  const created: SocketSpec[] = []
  let screen = ''
  const context: ConsoleContext = {
    api: {
      host: 'browser',
      call: (async (channel: string, request: unknown) => {
        calls.push({ channel, request })
        return { ok: true, value: { entryId: 1 } }
      }) as ConsoleContext['api']['call'],
      onEvent: () => () => {},
      onLink: () => () => {},
      close() {},
    },
    sockets: () => sockets,
    taps: () => [],
    currentTap: () => null,
    async createSocket(spec) {
      created.push(spec)
      return {
        kind: 'done',
        socket: { id: 's9', name: spec.name ?? '', endpoints: [], subscriptions: [] } as unknown as SocketSummary,
      }
    },
  }
  const session = new ConsoleSession(context)
  let drawn: (() => void) | undefined
  session.attach((data) => {
    screen += data
    drawn?.()
  })
  // Commands run asynchronously; the prompt is drawn again once one is done.
  const run = async (line: string): Promise<string> => {
    const typed = screen.length
    session.input(`${line}\r`)
    // Typing echoes (redrawing the prompt) up to the Enter's line break; what the command prints comes after it.
    const before = screen.indexOf('\r\n', typed) + 2
    // Resolved by the write that draws the next prompt, not by polling the screen.
    await new Promise<void>((resolve) => {
      drawn = () => {
        if (!screen.slice(before).includes('zs>')) return
        drawn = undefined
        resolve()
      }
      drawn()
    })
    return screen.slice(before)
  }
  return { calls, created, run }
}

describe('console session', () => {
  it('creates sockets through the action it was given, naming them after their type', async () => {
    const { created, run } = harness()
    const out = await run('sub tcp://127.0.0.1:5556 --topic 10001')
    assert.deepEqual(created, [
      {
        type: 'sub',
        name: 'sub1',
        mode: 'connect',
        endpoints: ['tcp://127.0.0.1:5556'],
        subscriptions: [{ enc: 'text', data: '10001' }],
      },
    ])
    assert.match(out, /sub1 \(s9\): SUB connect/)
  })

  it('checks frames as the composer does, base64 included, and sends nothing invalid', async () => {
    const socket = { id: 's1', name: 'push1' } as unknown as SocketSummary
    const { calls, run } = harness([socket])
    assert.match(await run('send push1 --base64 a'), /"a" is not base64: not valid base64/)
    assert.match(await run('send push1 --hex abc'), /even number of digits/)
    assert.equal(calls.length, 0)
    await run('send push1 --base64 aGk=')
    assert.deepEqual(calls, [
      { channel: 'socket:send', request: { socketId: 's1', frames: [{ enc: 'base64', data: 'aGk=' }] } },
    ])
  })
})
