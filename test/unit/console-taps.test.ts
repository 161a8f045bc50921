// The console's tap commands: every documented form parses to the request tap:create takes, the family's own
// side words only; a side of another family, a missing side or a bad endpoint is refused by name.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseRequest } from '../../contract/schemas'
import { Channel } from '../../contract/channels'
import type { TapSummary } from '../../contract/taps'
import { ConsoleSession, type ConsoleContext } from '../../renderer/console/console-session'
import { complete, HELP } from '../../renderer/console/parse'
import { command, error } from '../helpers/console-parse'

describe('console tap commands', () => {
  it('makes the tap:create request of each family, modes from the defaults or the prefix', () => {
    assert.deepEqual(command('tap reqrep --clients tcp://*:5555 --service tcp://127.0.0.1:6555'), {
      kind: 'tap-create',
      request: {
        family: 'reqrep',
        clients: { mode: 'bind', endpoint: 'tcp://*:5555' },
        service: { mode: 'connect', endpoint: 'tcp://127.0.0.1:6555' },
      },
    })
    assert.deepEqual(
      command('tap pubsub --subscribers tcp://*:6556 --publishers tcp://127.0.0.1:5556 --name weather'),
      {
        kind: 'tap-create',
        request: {
          family: 'pubsub',
          name: 'weather',
          publishers: { mode: 'connect', endpoint: 'tcp://127.0.0.1:5556' },
          subscribers: { mode: 'bind', endpoint: 'tcp://*:6556' },
        },
      },
    )
    assert.deepEqual(command('tap pipeline --producers bind:ipc:///tmp/tasks --consumers connect:tcp://h:5558'), {
      kind: 'tap-create',
      request: {
        family: 'pipeline',
        producers: { mode: 'bind', endpoint: 'ipc:///tmp/tasks' },
        consumers: { mode: 'connect', endpoint: 'tcp://h:5558' },
      },
    })
    const timed = command('tap reqrep --clients tcp://*:1 --service tcp://a:2 --timeout 250')
    assert.equal(timed.kind === 'tap-create' && timed.request.family === 'reqrep' && timed.request.replyTimeoutMs, 250)
  })

  it('parses requests the contract accepts', () => {
    for (const line of [
      'tap reqrep --clients tcp://*:5555 --service tcp://127.0.0.1:6555 --timeout 1000 --name t',
      'tap pubsub --publishers tcp://127.0.0.1:5556 --subscribers tcp://*:6556',
      'tap pipeline --producers tcp://127.0.0.1:5557 --consumers bind:tcp://127.0.0.1:*',
    ]) {
      const parsed = command(line)
      assert.equal(parsed.kind, 'tap-create')
      if (parsed.kind !== 'tap-create') continue
      const checked = parseRequest(Channel.tapCreate, parsed.request)
      assert.ok(checked.ok, `${line}: ${JSON.stringify(checked)}`)
    }
  })

  it('parses close, pause, resume, step and taps', () => {
    assert.deepEqual(command('tap close tap2'), { kind: 'tap-close', tap: 'tap2' })
    assert.deepEqual(command('pause'), { kind: 'tap-flow', action: 'pause' })
    assert.deepEqual(command('resume tap1'), { kind: 'tap-flow', action: 'resume', tap: 'tap1' })
    assert.deepEqual(command('step "my tap"'), { kind: 'tap-flow', action: 'step', tap: 'my tap' })
    assert.deepEqual(command('taps'), { kind: 'taps' })
    // "close tap3" stays a close: the session closes the tap of that id or name, else the socket.
    assert.deepEqual(command('close tap3'), { kind: 'close', socket: 'tap3' })
  })

  it('refuses a side of another family, naming both', () => {
    assert.equal(
      error('tap reqrep --publishers tcp://127.0.0.1:1 --service tcp://127.0.0.1:2'),
      'a reqrep tap has --clients and --service; --publishers is a side of a pubsub tap',
    )
    assert.match(
      error('tap pipeline --clients tcp://*:1'),
      /--producers and --consumers; --clients is a side of a reqrep/,
    )
    assert.match(error('tap --clients tcp://*:1'), /unknown tap family "--clients".*side of a reqrep tap/)
  })

  it('refuses what is missing or malformed, saying what', () => {
    assert.match(error('tap'), /tap needs a family: reqrep, pubsub, pipeline/)
    assert.match(error('tap zmq --a b'), /unknown tap family "zmq"/)
    assert.equal(error('tap reqrep --clients tcp://*:5555'), 'tap reqrep needs --service <endpoint>')
    assert.match(error('tap reqrep --service tcp://*:6555 --clients tcp://*:1'), /--service: cannot connect to "\*"/)
    assert.match(error('tap reqrep --clients connect:tcp://*:1 --service tcp://a:1'), /--clients: cannot connect/)
    assert.match(error('tap reqrep --clients tcp://*:1 --service'), /--service needs a value/)
    assert.match(error('tap reqrep tcp://*:1'), /is not an option/)
    assert.match(error('tap pubsub --publishers tcp://a:1 --subscribers tcp://*:2 --timeout 5'), /reqrep taps only/)
    assert.match(error('tap reqrep --clients tcp://*:1 --service tcp://a:2 --timeout soon'), /whole number/)
    assert.match(error('tap reqrep --constructor x'), /unknown option --constructor/)
    assert.match(error('tap close'), /tap close takes one argument/)
    assert.match(error('pause a b'), /pause takes at most one argument/)
    assert.match(error('taps -a'), /taps takes no arguments/)
  })

  it('documents every tap command in help and completes families, sides and tap ids', () => {
    for (const topic of ['tap', 'taps', 'pause', 'resume', 'step']) assert.ok(HELP[topic], topic)
    assert.match(HELP.tap!, /reqrep --clients and --service/)
    assert.match(HELP.tap!, /clients bind, service connect/)
    assert.deepEqual(complete('tap ', []).candidates, ['reqrep', 'pubsub', 'pipeline', 'close'])
    assert.deepEqual(complete('tap reqrep --', []).candidates, ['--clients', '--service', '--name', '--timeout'])
    assert.deepEqual(complete('tap pubsub --s', []).candidates, ['--subscribers'])
    assert.deepEqual(complete('step t', ['s1'], ['tap1', 'tap2']).candidates, ['tap1', 'tap2'])
    assert.deepEqual(complete('close ', ['pub1'], ['tap1']).candidates, ['pub1', 'tap1'])
    assert.deepEqual(complete('ta', []).candidates, ['tap', 'taps'])
  })
})

describe('console tap session', () => {
  const tap = (id: string, name: string) =>
    ({
      id,
      name,
      family: 'reqrep',
      flow: { kind: 'paused', held: { down: 2, up: 0 }, heldBytes: 20, full: false },
      upstream: {
        role: 'clients',
        mode: 'bind',
        address: 'tcp://127.0.0.1:5555',
        socketId: 's1',
        flow: { kind: 'idle' },
      },
      downstream: {
        role: 'service',
        mode: 'connect',
        address: 'tcp://127.0.0.1:6555',
        socketId: 's2',
        flow: { kind: 'idle' },
      },
      forwarded: { down: { messages: 3, bytes: 30 }, up: { messages: 3, bytes: 30 } },
      rewiring: 'point your clients at tcp://127.0.0.1:5555; the tap connects to your service at tcp://127.0.0.1:6555',
    }) as unknown as TapSummary

  function harness(taps: TapSummary[], current: string | null) {
    const calls: { channel: string; request: unknown }[] = []
    let screen = ''
    let drawn: (() => void) | undefined
    const session = new ConsoleSession({
      api: {
        host: 'browser',
        call: (async (channel: string, request: unknown) => {
          calls.push({ channel, request })
          return { ok: true, value: channel === Channel.tapClose ? null : taps[0] }
        }) as ConsoleContext['api']['call'],
        onEvent: () => () => {},
        onLink: () => () => {},
        close() {},
      },
      sockets: () => [],
      taps: () => taps,
      currentTap: () => current,
      createSocket: async () => ({ kind: 'failed', message: 'not here' }),
    })
    session.attach((data) => {
      screen += data
      drawn?.()
    })
    const run = async (line: string): Promise<string> => {
      const before = screen.length
      session.input(`${line}\r`)
      const from = screen.indexOf('\r\n', before) + 2
      await new Promise<void>((resolve) => {
        drawn = () => {
          if (!screen.slice(from).includes('zs>')) return
          drawn = undefined
          resolve()
        }
        drawn()
      })
      return screen.slice(from)
    }
    return { calls, run }
  }

  it('acts on the current tap without a name, refuses to guess among several, and closes taps by id', async () => {
    const one = harness([tap('tap1', 'hello')], 'tap1')
    assert.match(await one.run('pause'), /hello: paused, holding ↓2 ↑0/)
    assert.deepEqual(one.calls.at(-1), { channel: Channel.tapPause, request: { tapId: 'tap1' } })
    assert.match(await one.run('close tap1'), /closed tap hello \(tap1\)/)
    assert.deepEqual(one.calls.at(-1), { channel: Channel.tapClose, request: { tapId: 'tap1' } })
    assert.match(await one.run('taps'), /tap1\s+REQREP\s+hello\s+clients bind tcp:\/\/127\.0\.0\.1:5555/)
    assert.match(await one.run('ls'), /taps:.*\r\ntap1 /s)

    const two = harness([tap('tap1', 'a'), tap('tap2', 'b')], null)
    assert.match(await two.run('step'), /error: 2 taps are open: say which \(tap1, tap2\)/)
    assert.match(await two.run('resume nope'), /error: no tap "nope"/)
    assert.equal(two.calls.length, 0)
  })

  it('prints the rewiring sentence of a tap it made', async () => {
    const made = harness([tap('tap1', 'hello')], null)
    const out = await made.run('tap reqrep --clients tcp://*:5555 --service tcp://127.0.0.1:6555')
    assert.match(out, /hello \(tap1\): reqrep tap, watching client → service and service → client/)
    assert.match(out, /point your clients at tcp:\/\/127\.0\.0\.1:5555/)
    assert.equal(made.calls[0]!.channel, Channel.tapCreate)
  })
})
