// The inspector console's parser: every documented command parses; bad ones are refused by name.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { complete, parseCommand } from '../../renderer/console/parse'
import { tokenize } from '../../renderer/console/tokenize'
import { command, error } from '../helpers/console-parse'

describe('console tokenizer', () => {
  it('splits words, honours quotes and escapes', () => {
    assert.deepEqual(tokenize(`send s1 "hello world" 'a "b"' x\\y "\\x00\\n"`), {
      kind: 'ok',
      words: ['send', 's1', 'hello world', 'a "b"', 'x\\y', '\0\n'],
    })
    assert.deepEqual(tokenize('send s1 ""'), { kind: 'ok', words: ['send', 's1', ''] })
    assert.match((tokenize('send "oops') as { message: string }).message, /unterminated " quote starting at column 6/)
    assert.match((tokenize('send "\\q"') as { message: string }).message, /unknown escape \\q/)
  })
})

describe('console commands', () => {
  it('parses every documented command', () => {
    assert.deepEqual(command('sub tcp://localhost:5556 --topic 10001'), {
      kind: 'create',
      type: 'sub',
      mode: 'connect',
      endpoints: ['tcp://localhost:5556'],
      topics: [{ enc: 'text', data: '10001' }],
    })
    assert.deepEqual(command('push --bind tcp://*:5557 --name vent'), {
      kind: 'create',
      type: 'push',
      mode: 'bind',
      endpoints: ['tcp://*:5557'],
      name: 'vent',
      topics: [],
    })
    assert.deepEqual(command('req tcp://127.0.0.1:5555'), {
      kind: 'create',
      type: 'req',
      mode: 'connect',
      endpoints: ['tcp://127.0.0.1:5555'],
      topics: [],
    })
    assert.deepEqual(command('send req1 Hello'), {
      kind: 'send',
      socket: 'req1',
      frames: [{ enc: 'text', data: 'Hello' }],
    })
    assert.deepEqual(command(`send router1 --hex 0a0b --text "job 1" --json '{"a":1}'`), {
      kind: 'send',
      socket: 'router1',
      frames: [
        { enc: 'hex', data: '0a0b' },
        { enc: 'text', data: 'job 1' },
        { enc: 'json', data: '{"a":1}' },
      ],
    })
    assert.deepEqual(command('ls'), { kind: 'ls' })
    assert.deepEqual(command('stats'), { kind: 'stats' })
    assert.deepEqual(command('clear'), { kind: 'clear' })
    assert.deepEqual(command('help'), { kind: 'help' })
    assert.deepEqual(command('help send'), { kind: 'help', topic: 'send' })
    assert.deepEqual(command('close s3'), { kind: 'close', socket: 's3' })
    assert.deepEqual(command('bind pub1 tcp://*:5556'), {
      kind: 'attach',
      verb: 'bind',
      socket: 'pub1',
      endpoint: 'tcp://*:5556',
    })
    assert.deepEqual(command('connect sub1 ipc:///tmp/feed'), {
      kind: 'attach',
      verb: 'connect',
      socket: 'sub1',
      endpoint: 'ipc:///tmp/feed',
    })
    assert.deepEqual(command('subscribe sub1 ""'), {
      kind: 'subscribe',
      socket: 'sub1',
      prefix: { enc: 'text', data: '' },
    })
    assert.deepEqual(command('unsubscribe sub1 --hex 01ff'), {
      kind: 'unsubscribe',
      socket: 'sub1',
      prefix: { enc: 'hex', data: '01ff' },
    })
    assert.deepEqual(command('watch all'), { kind: 'watch', target: 'all' })
    assert.deepEqual(command('unwatch s2'), { kind: 'unwatch', target: 's2' })
    assert.equal(parseCommand('   ').kind, 'empty')
  })

  it('refuses bad commands with a message naming the problem', () => {
    assert.match(error('frobnicate'), /unknown command "frobnicate"/)
    assert.match(error('sub tcp://*:5556'), /only makes sense for bind/)
    assert.match(error('push --bind ftp://x:1'), /unsupported transport "ftp"/)
    assert.match(error('pub --topic x tcp://*:1 --bind'), /--topic only applies to sub and xsub/)
    assert.match(error('sub --name'), /--name needs a value/)
    assert.match(error('req --verbose tcp://a:1'), /unknown option --verbose/)
    assert.match(error('send'), /send needs a socket/)
    assert.match(error('send s1'), /needs at least one frame/)
    assert.match(error('send s1 --hex zz'), /"zz" is not hex/)
    assert.match(error('send s1 --hex abc'), /even number of digits/)
    assert.match(error('send s1 --json {nope'), /not valid JSON/)
    assert.match(error('close'), /close takes one argument/)
    assert.match(error('bind s1'), /bind takes 2 arguments/)
    assert.match(error('connect s1 tcp://localhost'), /host:port/)
    assert.match(error('ls -l'), /ls takes no arguments/)
    assert.match(error('subscribe s1'), /needs a socket and a prefix/)
    assert.match(error('send s1 "unterminated'), /unterminated/)
  })
})

describe('console completion', () => {
  it('completes commands, socket names and options', () => {
    assert.deepEqual(complete('se', []).candidates, ['send', 'server'])
    assert.deepEqual(complete('su', []).candidates, ['subscribe', 'sub'])
    assert.deepEqual(complete('send req', ['req1', 'rep1', 'pub1']).candidates, ['req1'])
    assert.deepEqual(complete('watch ', ['s1']).candidates, ['all', 's1'])
    assert.deepEqual(complete('push --b', []).candidates, ['--bind'])
    assert.deepEqual(complete('send req1 --h', ['req1']).candidates, ['--hex'])
  })
})
