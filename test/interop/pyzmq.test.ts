// The engine against pyzmq peers (the system's or pip's pyzmq, with a libzmq that is not zeromq.js's) running the
// ZeroMQ guide's classic topologies.
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import { text, txt, type Probe } from '../helpers/probe'
import { enginePerTest } from '../helpers/engine-per-test'

const suite = enginePerTest()
const peer = suite.peer
let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = suite.current()))

describe('interop with pyzmq', () => {
  it('hello world: the guide REP server answers the engine REQ', async () => {
    const server = peer('hwserver.py')
    const port = await server.port()
    const req = engine.create('req', 'hello client').id
    await engine.connect(req, `tcp://localhost:${port}`)
    for (let i = 1; i <= 5; i++) {
      await engine.send(req, [txt('Hello')])
      const replies = await probe.receivedAtLeast(req, i)
      assert.equal(text(replies[i - 1]!), 'World')
    }
    await server.line(/^served 5 Hello$/)
  })

  it('weather: a SUB filtered on "10001" receives only matching updates', async () => {
    const server = peer('wuserver.py', ['--zip-min', '9990', '--zip-max', '10010'])
    const port = await server.port()
    const sub = engine.create('sub', 'weather client').id
    engine.subscribe(sub, txt('10001'))
    await engine.connect(sub, `tcp://localhost:${port}`)
    const updates = await probe.receivedAtLeast(sub, 50)
    for (const update of updates) assert.match(text(update), /^10001 -?\d+ \d+$/)
    const temperatures = updates.map((u) => Number(text(u).split(' ')[1]))
    const average = temperatures.reduce((a, b) => a + b, 0) / temperatures.length
    assert.ok(average >= -80 && average <= 134, `average temperature ${average}`)
  })

  it('pipeline: ventilator -> 3 engine workers -> sink, with the load spread over the workers', async () => {
    const tasks = 90
    const sink = peer('tasksink.py', ['--tasks', String(tasks)])
    const sinkAddress = `tcp://127.0.0.1:${await sink.port()}`
    const ventilator = peer('taskvent.py', ['--tasks', String(tasks), '--sink', sinkAddress])
    const ventAddress = `tcp://127.0.0.1:${await ventilator.port()}`
    const workers: { name: string; pull: string; push: string }[] = []
    for (const name of ['w1', 'w2', 'w3']) {
      const pull = engine.create('pull', `${name} in`).id
      const push = engine.create('push', `${name} out`).id
      await engine.connect(pull, ventAddress)
      await engine.connect(push, sinkAddress)
      workers.push({ name, pull, push })
    }
    // The guide's ventilator waits for "workers ready" so the first worker does not take every task.
    for (const w of workers) await probe.timelineAtLeast(w.pull, 'handshake')
    for (const w of workers) await probe.timelineAtLeast(w.push, 'handshake')
    // Each worker does what the guide's worker does: take a task from its PULL, push a result to the sink.
    probe.onEntry((entry) => {
      const worker = workers.find((w) => w.pull === entry.socketId && entry.dir === 'in')
      if (worker) void engine.sendBytes(worker.push, [Buffer.from(`${worker.name} ${text(entry)}`)])
    })
    ventilator.write('go\n')
    const [, summary] = await sink.line(/^done (.*)$/)
    const perWorker = Object.fromEntries(summary!.split(' ').map((kv) => kv.split('=') as [string, string]))
    const counts = workers.map((w) => engine.list().find((s) => s.id === w.pull)!.counters.msgsIn)
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      tasks,
    )
    assert.deepEqual(
      workers.map((w) => Number(perWorker[w.name])),
      counts,
      'the sink saw what each worker took',
    )
    for (const count of counts) assert.ok(count > 0, `every worker got tasks: ${counts.join(', ')}`)
  })
})
