// IPv6 endpoints: the validator accepts tcp://[::1]:port, so the engine must turn on the socket's ipv6 option.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { afterEach, before, beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import { newEngine, text, txt, type Probe } from '../helpers/probe'

/** Why IPv6 loopback cannot be tested here, or undefined when ::1 can be listened on. */
async function noLoopbackV6(): Promise<string | undefined> {
  const server = createServer()
  try {
    server.listen(0, '::1')
    await once(server, 'listening')
    return undefined
  } catch (error) {
    return `this machine has no IPv6 loopback (listen on ::1: ${(error as NodeJS.ErrnoException).code})`
  } finally {
    server.close()
  }
}

let skip: string | undefined
let engine: Engine
let probe: Probe
before(async () => (skip = await noLoopbackV6()))
beforeEach(() => ({ engine, probe } = newEngine()))
afterEach(() => engine.shutdown())

describe('IPv6 endpoints', () => {
  it('a PULL bound on tcp://[::1]:* receives from a PUSH connected to the resolved address', async (t) => {
    if (skip) return t.skip(skip)
    const pull = engine.create('pull').id
    const address = (await engine.bind(pull, 'tcp://[::1]:*')).endpoints[0]!.address
    assert.match(address, /^tcp:\/\/\[::1\]:\d+$/)
    const push = engine.create('push').id
    await engine.connect(push, address)
    await engine.send(push, [txt('over IPv6')])
    const [entry] = await probe.receivedAtLeast(pull, 1)
    assert.equal(text(entry!), 'over IPv6')
  })

  it('a socket with an IPv6 endpoint still binds IPv4 ones', async (t) => {
    if (skip) return t.skip(skip)
    const pull = engine.create('pull').id
    await engine.bind(pull, 'tcp://[::1]:*')
    const v4 = (await engine.bind(pull, 'tcp://127.0.0.1:*')).endpoints[1]!.address
    const push = engine.create('push').id
    await engine.connect(push, v4)
    await engine.send(push, [txt('over IPv4')])
    const [entry] = await probe.receivedAtLeast(pull, 1)
    assert.equal(text(entry!), 'over IPv4')
  })
})
