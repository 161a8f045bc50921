// The socket cap: configured or derived from the fd limit and libzmq's context, answered as LIMIT.
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { afterEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import {
  deriveSocketCap,
  FDS_PER_SOCKET,
  parseMaxOpenFiles,
  processFdLimit,
  ZMQ_SOCKETS_PER_SOCKET,
} from '../../main/engine/fd-limit'
import { newEngine, text, txt } from '../helpers/probe'

let engine: Engine | undefined
afterEach(() => engine?.shutdown())

describe('socket cap', () => {
  it('maxSockets 3: the 4th create is LIMIT, and after a close sockets work again', async () => {
    const { engine: e, probe } = newEngine({ maxSockets: 3 })
    engine = e
    const ids = [e.create('pull').id, e.create('push').id, e.create('pub').id]
    assert.throws(() => e.create('sub'), {
      code: 'LIMIT',
      message: /ZeroScope has 3 sockets open, the most it is configured to hold \(maxSockets 3\)/,
    })
    assert.equal(e.list().length, 3)
    await e.close(ids[2]!)
    const pull = ids[0]!
    const address = (await e.bind(pull, 'tcp://127.0.0.1:*')).endpoints[0]!.address
    const push = e.create('push').id
    await e.connect(push, address)
    await e.send(push, [txt('after the cap')])
    const [entry] = await probe.receivedAtLeast(pull, 1)
    assert.equal(text(entry!), 'after the cap')
    assert.throws(() => e.create('sub'), { code: 'LIMIT' })
  })

  it('the default cap stops creation before libzmq runs out of sockets', () => {
    const { engine: e } = newEngine()
    engine = e
    let error: unknown
    for (let i = 0; i < 100_000 && error === undefined; i++) {
      try {
        e.create('pull')
      } catch (caught) {
        error = caught
      }
    }
    const open = e.list().length
    assert.ok(open > 0)
    assert.match(String((error as Error).message), new RegExp(`^ZeroScope has ${open} sockets open, the most`))
    assert.equal((error as { code?: string }).code, 'LIMIT')
  })

  it(`a socket with its monitor and a bind costs at most ${FDS_PER_SOCKET} fds`, async (t) => {
    if (process.platform !== 'linux') return t.skip('counting open fds needs /proc/self/fd')
    const { engine: e } = newEngine()
    engine = e
    const warm = e.create('pull').id // the context's own threads and fds come with the first socket
    await e.bind(warm, 'tcp://127.0.0.1:*')
    const before = readdirSync('/proc/self/fd').length
    const count = 20
    for (let i = 0; i < count; i++) await e.bind(e.create('pull').id, 'tcp://127.0.0.1:*')
    const perSocket = (readdirSync('/proc/self/fd').length - before) / count
    assert.ok(perSocket <= FDS_PER_SOCKET, `measured ${perSocket} fds per socket`)
  })

  it('derives the cap from the soft fd limit and ZMQ_MAX_SOCKETS, whichever is smaller', () => {
    const limits = [
      'Limit                     Soft Limit           Hard Limit           Units     ',
      'Max processes             63453                63453                processes ',
      'Max open files            1024                 524288               files     ',
    ].join('\n')
    assert.deepEqual(parseMaxOpenFiles(limits), { kind: 'measured', soft: 1024 })
    assert.deepEqual(parseMaxOpenFiles('Max open files  unlimited  unlimited  files'), { kind: 'unlimited' })
    assert.equal(parseMaxOpenFiles('nothing here'), undefined)
    if (process.platform === 'linux') assert.equal(processFdLimit().kind, 'measured')

    const at1024 = deriveSocketCap({ kind: 'measured', soft: 1024 }, 1023)
    assert.equal(at1024.kind, 'fd-limit')
    assert.ok(at1024.max * FDS_PER_SOCKET <= 1024 * 0.75, `cap ${at1024.max} leaves a quarter of the fds`)
    const roomy = deriveSocketCap({ kind: 'measured', soft: 1_000_000 }, 1023)
    assert.equal(roomy.kind, 'zmq-context')
    assert.ok(roomy.max * ZMQ_SOCKETS_PER_SOCKET < 1023, `cap ${roomy.max} stays under ZMQ_MAX_SOCKETS`)
    assert.equal(deriveSocketCap({ kind: 'unlimited' }, 1023).kind, 'zmq-context')
    assert.equal(deriveSocketCap({ kind: 'measured', soft: 64 }, 1023).max, 0)
  })
})
