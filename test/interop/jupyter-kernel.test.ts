// A real kernel (Debian's python3-ipykernel) started from a connection file we write, observed on its IOPub with a
// zeromq.js SUB while a real frontend (jupyter_client) runs print(6*7): every message decodes, every signature
// verifies with the file's key, and the messages thread under the frontend's execute_request.
import assert from 'node:assert/strict'
import { createHmac, randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Subscriber } from 'zeromq'
import type { DecodedValue } from '../../contract/decoders'
import { endpointsOf, keyOf, parseConnectionFile } from '../../main/engine/decode/jupyter-connection'
import { JupyterThreads } from '../../main/engine/decode/jupyter-threads'
import { decodeJupyter, type JupyterMessage } from '../../main/engine/decode/jupyter-wire'
import { JupyterRig } from '../helpers/jupyter-kernel'

interface Observed {
  frames: Buffer[]
  message: JupyterMessage
}

/** Decodes every IOPub message as it arrives; tests await the one they need, or fail at the first undecodable one. */
class IopubWatch {
  readonly observed: Observed[] = []
  private failure: Error | undefined
  private waiters: { match: (m: JupyterMessage) => boolean; resolve: () => void; reject: (e: Error) => void }[] = []

  constructor(sub: Subscriber, key: { key: string; scheme: string }) {
    void (async () => {
      for await (const frames of sub) {
        let message: JupyterMessage
        try {
          message = decodeJupyter(frames, key, 'iopub')
        } catch (error) {
          this.failure ??= new Error(`IOPub message ${this.observed.length + 1}: ${(error as Error).message}`)
          for (const waiter of this.waiters) waiter.reject(this.failure)
          this.waiters = []
          continue
        }
        this.observed.push({ frames, message })
        const met = this.waiters.filter((w) => w.match(message))
        this.waiters = this.waiters.filter((w) => !met.includes(w))
        for (const waiter of met) waiter.resolve()
      }
    })()
  }

  until(match: (m: JupyterMessage) => boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.observed.some((o) => match(o.message))) return Promise.resolve()
    return new Promise((resolve, reject) => this.waiters.push({ match, resolve, reject }))
  }

  /** Undecodable messages so far: none, or the first one's error. */
  get firstFailure(): string | undefined {
    return this.failure?.message
  }
}

function field(value: DecodedValue, key: string): DecodedValue | undefined {
  return value.t === 'map' ? value.entries.find((entry) => entry.key === key)?.value : undefined
}

describe('a real Jupyter kernel observed through its IOPub', () => {
  let rig: JupyterRig
  let sub: Subscriber | undefined

  beforeEach(() => {
    rig = new JupyterRig()
  })

  afterEach(async () => {
    sub?.close()
    sub = undefined
    await rig.dispose()
  })

  it('decodes, verifies and threads what an execute_request from jupyter_client makes the kernel publish', async () => {
    const { path: file, text } = await rig.connectionFile()
    const parsed = parseConnectionFile(text, 'kernel.json')
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error)
    const key = keyOf(parsed.connection)

    // Subscribed and connecting before the kernel binds: zeromq reconnects until it is there.
    sub = new Subscriber()
    sub.subscribe()
    const handshake = new Promise<void>((resolve) => sub!.events.on('handshake', () => resolve()))
    sub.connect(endpointsOf(parsed.connection).iopub)
    const watch = new IopubWatch(sub, key)

    const { exited: kernelDone } = rig.startKernel(file)
    // The SUB's subscription reaches the kernel right after the handshake; the frontend, which takes far longer to
    // start than that, makes its request only then.
    await Promise.race([handshake, kernelDone.then(() => assert.fail('the kernel exited before IOPub was up'))])

    const frontend = rig.run('jupyter_execute.py', [file])
    const reply = JSON.parse(await frontend.exited) as {
      msg_id: string
      reply_msg_type: string
      status: string
      execution_count: number
    }
    assert.deepEqual([reply.reply_msg_type, reply.status], ['execute_reply', 'ok'])
    await watch.until((m) => m.parentMsgId === reply.msg_id && m.msgType === 'status' && idle(m))
    // The frontend asked for shutdown; its exit is not awaited: ipykernel 6.17 now and then hangs in its own
    // shutdown (about 1 run in 80 here), and dispose() ends it anyway.

    assert.equal(watch.firstFailure, undefined, 'every IOPub message is a Jupyter message')
    assert.ok(watch.observed.length >= 4, `${watch.observed.length} IOPub messages`)
    for (const { message } of watch.observed) assert.deepEqual(message.signature, { kind: 'valid' }, message.msgType)

    const threads = new JupyterThreads()
    watch.observed.forEach(({ message }, entryId) => threads.add(entryId, message, 'iopub'))
    const thread = threads.thread(reply.msg_id)
    assert.ok(thread)
    // Only IOPub is watched: the request itself went over shell, unseen, but the children's parent header names it.
    assert.deepEqual(thread.request, { kind: 'unseen', msgId: reply.msg_id, msgType: 'execute_request' })
    assert.deepEqual(
      thread.children.map((c) => [c.msgType, c.summary]),
      [
        ['status', 'busy'],
        ['execute_input', 'print(6*7)'],
        ['stream', '42'],
        ['status', 'idle'],
      ],
    )
    // wait_for_ready's kernel_info_request (or requests, if the first went unanswered) threads the same way.
    const kernelInfo = threads.threads().filter((t) => t.request.msgType === 'kernel_info_request')
    assert.ok(kernelInfo.length >= 1, 'the frontend waited for the kernel with kernel_info_request')
    for (const t of kernelInfo)
      assert.deepEqual(
        t.children.map((c) => c.summary),
        ['busy', 'idle'],
      )
    const stream = watch.observed.find((o) => o.message.msgType === 'stream')!
    assert.deepEqual(field(stream.message.content, 'text'), { t: 'str', v: '42\n' })
    assert.deepEqual(field(stream.message.content, 'name'), { t: 'str', v: 'stdout' })
    assert.match(stream.message.identities[0] ?? '', /stream/, 'the IOPub topic is the identity frame')
    const input = watch.observed.find((o) => o.message.msgType === 'execute_input')!.message
    assert.deepEqual(field(input.content, 'execution_count'), { t: 'num', v: reply.execution_count })

    // The same message re-signed with another key, or checked with another key, is flagged.
    const at = stream.frames.findIndex((frame) => frame.toString() === '<IDS|MSG>')
    const forged = [...stream.frames]
    forged[at + 1] = Buffer.from(
      createHmac('sha256', 'not the kernel key')
        .update(Buffer.concat(stream.frames.slice(at + 2, at + 6)))
        .digest('hex'),
    )
    assert.equal(decodeJupyter(forged, key).signature.kind, 'invalid')
    assert.equal(decodeJupyter(stream.frames, { ...key, key: randomUUID() }).signature.kind, 'invalid')
  })
})

function idle(message: JupyterMessage): boolean {
  const state = field(message.content, 'execution_state')
  return state?.t === 'str' && state.v === 'idle'
}
