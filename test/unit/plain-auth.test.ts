// PLAIN security: the engine's ZAP handler accepts or refuses clients by user list, each decision on the
// server's timeline.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import { newEngine, text, txt, type Probe } from '../helpers/probe'

let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = newEngine()))
afterEach(() => engine.shutdown())

const bound = async (socketId: string) => (await engine.bind(socketId, 'tcp://127.0.0.1:*')).endpoints[0]!.address

describe('PLAIN security', () => {
  it('a client with credentials talks to a PLAIN server', async () => {
    const rep = engine.create('rep', undefined, { plain: { role: 'server' } }).id
    const req = engine.create('req', undefined, { plain: { role: 'client', username: 'admin', password: 'secret' } }).id
    await engine.connect(req, await bound(rep))
    await engine.send(req, [txt('knock')])
    const [request] = await probe.receivedAtLeast(rep, 1)
    assert.equal(text(request!), 'knock')
    assert.match(probe.eventsOf(rep, 'auth:accepted')[0]!.error!, /admin/)
  })

  it('a server with a user list refuses wrong passwords, visibly', async () => {
    const users = [{ username: 'admin', password: 'secret' }]
    const rep = engine.create('rep', undefined, { plain: { role: 'server', users } }).id
    const address = await bound(rep)
    const guess = engine.create('req', undefined, { plain: { role: 'client', username: 'admin', password: 'guess' } })
    await engine.connect(guess.id, address)
    await probe.timelineAtLeast(rep, 'auth:refused')
    assert.match(probe.eventsOf(rep, 'auth:refused')[0]!.error!, /PLAIN user "admin"/)
    await probe.until(() => probe.timeline.some((t) => t.socketId === guess.id && t.kind.startsWith('handshake:error')))
    assert.equal(probe.eventsOf(rep, 'auth:accepted').length, 0)
    // The same server lets the right password in: it is the password that was refused.
    const right = engine.create('req', undefined, { plain: { role: 'client', username: 'admin', password: 'secret' } })
    await engine.connect(right.id, address)
    await engine.send(right.id, [txt('let me in')])
    const [request] = await probe.receivedAtLeast(rep, 1)
    assert.equal(text(request!), 'let me in')
    assert.equal(probe.eventsOf(rep, 'auth:accepted').length, 1)
  })
})
