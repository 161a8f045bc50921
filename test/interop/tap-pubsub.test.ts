// A pub/sub tap (XSUB side to the publishers, XPUB side to the subscribers) between Debian pyzmq peers: an XPUB
// publisher the tap connects to, which prints every subscription that reaches it, and subscribers that connect
// to the tap. One subscriber is a SUB, as users have; one is an XSUB, which filters nothing itself, so what it
// gets is exactly what the tap's XPUB sent it.
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import type { TapSummary } from '../../contract/taps'
import type { Engine } from '../../main/engine/engine'
import type { Probe } from '../helpers/probe'
import { enginePerTest } from '../helpers/engine-per-test'
import type { PythonPeer } from '../helpers/python-peer'
import { digest, fullFrames, hexFrames, messages, pushed, tallyOf, tapMessage } from '../helpers/tap-peers'

/** A hung wait fails its own test by name, well inside the file's timeout. */
const PER_TEST = { timeout: 15_000 }

const suite = enginePerTest()
const peer = suite.peer
let engine: Engine
let probe: Probe
beforeEach(() => ({ engine, probe } = suite.current()))

const subscription = (prefix: string) => Buffer.concat([Buffer.from([1]), Buffer.from(prefix)])
/** The line the publisher prints when a subscription to `prefix` reaches it. */
const reached = (prefix: string) => new RegExp(`^sub ${subscription(prefix).toString('hex')}$`)

async function publisherAndTap(): Promise<{
  tap: TapSummary
  publisher: PythonPeer
  port: number
  xsub: string
  xpub: string
}> {
  const publisher = peer('tap_send.py', ['--type', 'xpub'])
  const port = await publisher.port()
  const tap = await engine.taps.create({
    family: 'pubsub',
    publishers: { mode: 'connect', endpoint: `tcp://127.0.0.1:${port}` },
    subscribers: { mode: 'bind', endpoint: 'tcp://127.0.0.1:*' },
  })
  assert.equal(tap.upstream.socketType, 'xsub')
  assert.equal(tap.downstream.socketType, 'xpub')
  return { tap, publisher, port, xsub: tap.upstream.socketId, xpub: tap.downstream.socketId }
}

function subscriber(tap: TapSummary, type: 'sub' | 'xsub', prefix: string, print = 0): PythonPeer {
  return peer('tap_recv.py', [
    '--type',
    type,
    '--subscribe',
    prefix,
    '--connect',
    tap.downstream.address,
    '--print',
    String(print),
  ])
}

function summary(tapId: string): TapSummary {
  const found = engine.taps.list().find((t) => t.id === tapId)
  assert.ok(found, `tap ${tapId} is listed`)
  return found
}

const framesOf = (socketId: string) => probe.received(socketId).map((e) => fullFrames(engine, e))
const heldReaches = (tapId: string, down: number, up: number) => () => {
  const flow = pushed(probe, tapId)?.flow
  return flow?.kind === 'paused' && flow.held.down === down && flow.held.up === up
}

describe('pub/sub tap between pyzmq peers', () => {
  it(
    'subscriptions reach the publisher through the tap and each subscriber gets only its prefix, byte-exact',
    PER_TEST,
    async () => {
      const { tap, publisher, xsub, xpub } = await publisherAndTap()
      const subA = subscriber(tap, 'sub', 'A.', 4)
      const subB = subscriber(tap, 'xsub', 'B.', 4)
      await publisher.line(reached('A.'))
      await publisher.line(reached('B.'))
      // The XPUB side captured both subscriptions as they came up, 0x01 + prefix, byte-exact.
      await probe.receivedAtLeast(xpub, 2)
      assert.deepEqual(
        framesOf(xpub)
          .map((f) => hexFrames(f))
          .sort(),
        [[subscription('A.')], [subscription('B.')]].map((f) => hexFrames(f)),
      )
      const sides = engine.list()
      assert.deepEqual(
        sides
          .find((s) => s.id === xsub)!
          .subscriptions.map((p) => p.text)
          .sort(),
        ['A.', 'B.'],
        'the XSUB side lists what went up',
      )

      // C. has no subscriber: the publisher, told so through the tap, never sends it.
      publisher.write('send 500 A. B. C.\n')
      await publisher.line(/^sent 500$/)
      const expectedA = messages('A.', 0, 500)
      const expectedB = messages('B.', 0, 500)
      assert.deepEqual(await tallyOf(subA, 500), { count: 500, digest: digest(expectedA), runs: '0-499', stray: 0 })
      assert.deepEqual(await tallyOf(subB, 500), { count: 500, digest: digest(expectedB), runs: '0-499', stray: 0 })

      const captured = (await probe.receivedAtLeast(xsub, 1000)).map((e) => fullFrames(engine, e))
      assert.equal(captured.length, 1000, 'one entry per forwarded publication')
      const topic = (f: Buffer[]) => f[0]!.toString().split(' ')[0]
      assert.equal(captured.filter((f) => topic(f) === 'C.').length, 0, 'no C. reached the tap')
      assert.equal(digest(captured.filter((f) => topic(f) === 'A.')), digest(expectedA))
      assert.equal(digest(captured.filter((f) => topic(f) === 'B.')), digest(expectedB))
      for (const [sub, tag] of [
        [subA, 'A.'],
        [subB, 'B.'],
      ] as const) {
        for (let k = 1; k <= 4; k++) {
          const [, hex] = await sub.line(new RegExp(`^msg ${k} (\\S*)$`))
          assert.equal(hex, hexFrames(tapMessage(tag, k - 1)), `${tag} ${k - 1} at its subscriber`)
          const entry = captured.find((f) => f[0]!.equals(Buffer.from(`${tag} ${k - 1}`)))
          assert.equal(hex, hexFrames(entry!), `${tag} ${k - 1} in the capture`)
        }
      }
      const after = summary(tap.id)
      assert.equal(after.forwarded.down.messages, 1000)
      assert.equal(after.forwarded.up.messages, 2)
      assert.equal(after.captureDrops, 0)
    },
  )

  it(
    'pause holds publications and a new subscription; resume delivers them all in order and the subscription takes',
    PER_TEST,
    async () => {
      const { tap, publisher, xsub, xpub } = await publisherAndTap()
      const subA = subscriber(tap, 'sub', 'A.')
      await publisher.line(reached('A.'))
      publisher.write('send 10 A.\n')
      assert.equal((await tallyOf(subA, 10)).runs, '0-9')

      engine.taps.pause(tap.id)
      publisher.write('send 30 A.\n')
      await probe.until(heldReaches(tap.id, 30, 0))
      assert.equal((await tallyOf(subA, 0)).count, 10, 'the subscriber got nothing while paused')
      // A subscriber joining a paused tap: its subscription is held too, and does not reach the publisher.
      const subC = subscriber(tap, 'xsub', 'C.')
      await probe.until(heldReaches(tap.id, 30, 1))
      assert.equal(summary(tap.id).forwarded.up.messages, 1, 'only A. went up so far')
      assert.equal(probe.received(xpub).length, 2, 'the held subscription is captured')
      assert.equal(hexFrames(framesOf(xpub)[1]!), hexFrames([subscription('C.')]))

      engine.taps.resume(tap.id)
      const got = await tallyOf(subA, 40)
      assert.deepEqual(got, { count: 40, digest: digest(messages('A.', 0, 40)), runs: '0-39', stray: 0 })
      await publisher.line(reached('C.'))
      publisher.write('send 5 A. C.\n')
      assert.deepEqual(await tallyOf(subC, 5), {
        count: 5,
        digest: digest(messages('C.', 40, 45)),
        runs: '40-44',
        stray: 0,
      })
      assert.equal((await tallyOf(subA, 45)).runs, '0-44')
      assert.equal((await probe.receivedAtLeast(xsub, 50)).length, 50)
      await probe.until(() => pushed(probe, tap.id)?.forwarded.down.messages === 50)
    },
  )

  it(
    'the publisher SIGKILLed and restarted on its port: the tap reconnects, resends the subscription, forwarding resumes',
    PER_TEST,
    async () => {
      const { tap, publisher, port, xsub, xpub } = await publisherAndTap()
      const subA = subscriber(tap, 'sub', 'A.')
      await publisher.line(reached('A.'))
      publisher.write('send 100 A. B.\n')
      assert.equal((await tallyOf(subA, 100)).runs, '0-99')
      await publisher.stop()
      await probe.timelineAtLeast(xsub, 'disconnect')

      const restarted = peer('tap_send.py', ['--type', 'xpub', '--port', String(port), '--start', '100'])
      await restarted.port()
      // The subscriber never resubscribed: the tap's XSUB gives the new publisher what its subscribers want.
      await restarted.line(reached('A.'))
      await probe.timelineAtLeast(xsub, 'connect', 2)
      assert.deepEqual(probe.kindsOf(xsub, ['connect', 'disconnect']), ['connect', 'disconnect', 'connect'])
      restarted.write('send 100 A. B.\n')
      const got = await tallyOf(subA, 200)
      assert.deepEqual(got, { count: 200, digest: digest(messages('A.', 0, 200)), runs: '0-199', stray: 0 })

      const captured = await probe.receivedAtLeast(xsub, 200)
      assert.equal(captured.length, 200, 'every publication the tap received is in the capture')
      assert.equal(digest(captured.map((e) => fullFrames(engine, e))), digest(messages('A.', 0, 200)))
      await probe.until(() => pushed(probe, tap.id)?.forwarded.down.messages === 200)
      assert.equal(probe.received(xpub).length, 1, 'one subscription came up; the resend is the XSUB side’s own')
      assert.equal(summary(tap.id).captureDrops, 0)
    },
  )
})
