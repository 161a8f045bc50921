// Jupyter sessions through the app's own channels, against a real kernel (Debian's python3-ipykernel) and a real
// frontend (jupyter_client): its IOPub observed, with signatures verified (and flagged under a wrong key); every
// channel tapped, with a frontend started from the tapped connection file working normally (stdin and heartbeat
// included) while the app threads its execute_request with the reply and the output; bad files refused by name.
import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import type { EntryDecode } from '../../contract/decoders'
import type { JupyterChannel, JupyterSession, JupyterThread, JupyterThreads } from '../../contract/jupyter'
import type { TapSummary } from '../../contract/taps'
import type { ContractError, LogEntryView, Result, SocketSummary } from '../../contract/views'
import { decodeJupyter, type JupyterMessage } from '../../main/engine/decode/jupyter-wire'
import { dispatch } from '../../main/host/dispatch'
import type { Services } from '../../main/host/services'
import { JupyterRig, type ConnectionFile } from '../helpers/jupyter-kernel'
import { newServices, testExportsDir, text, txt, type Probe } from '../helpers/probe'

let services: Services
let probe: Probe
let rig: JupyterRig

beforeEach(() => {
  ;({ services, probe } = newServices())
  rig = new JupyterRig()
})
afterEach(async () => {
  for (const session of await call<JupyterSession[]>(Channel.jupyterList, {})) {
    await call(Channel.jupyterClose, { sessionId: session.sessionId })
  }
  await services.shutdown()
  await rig.dispose()
})

async function answer(channel: string, payload: unknown): Promise<Result<unknown>> {
  return (await dispatch(services, channel, payload)) as Result<unknown>
}

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = await answer(channel, payload)
  assert.ok(result.ok, JSON.stringify(!result.ok && result.error))
  return result.value as T
}

async function refused(channel: string, payload: unknown): Promise<ContractError> {
  const result = await answer(channel, payload)
  assert.ok(!result.ok, `${channel} was expected to fail`)
  return result.error
}

const open = (file: ConnectionFile, mode: 'observe' | 'tap', content = file.text): Promise<JupyterSession> =>
  call<JupyterSession>(Channel.jupyterOpen, { name: file.name, content, mode })

/** The Jupyter message an entry delivered to the app carries (checked with no key: the app does the checking). */
function messageOf(entry: LogEntryView): JupyterMessage | undefined {
  try {
    return decodeJupyter(
      entry.frames.map((frame) => Buffer.from(frame.b64, 'base64')),
      undefined,
    )
  } catch {
    return undefined
  }
}

/** Resolves once an entry on one of `socketIds` carrying a message that `match`es has been delivered. */
function delivered(socketIds: readonly string[], match: (message: JupyterMessage) => boolean): Promise<void> {
  return probe.until(() =>
    probe.entries.some((entry) => {
      if (!socketIds.includes(entry.socketId)) return false
      const message = messageOf(entry)
      return message !== undefined && match(message)
    }),
  )
}

const replyTo = (msgId: string, msgType: string) => (m: JupyterMessage) =>
  m.parentMsgId === msgId && m.msgType === msgType
const statusOf = (msgId: string, state: string) => (m: JupyterMessage) =>
  replyTo(msgId, 'status')(m) && JSON.stringify(m.content).includes(`"v":"${state}"`)

function threadOf(threads: JupyterThreads, msgId: string): JupyterThread {
  const thread = threads.threads.find((t) => t.request.msgId === msgId)
  assert.ok(thread, `a thread for ${msgId} among ${threads.threads.length}`)
  return thread
}

const on = (thread: JupyterThread, channel: JupyterChannel): [string, string][] =>
  thread.children.filter((c) => c.channel === channel).map((c) => [c.msgType, c.summary])

async function decodeOf(entryId: number): Promise<EntryDecode> {
  return call<EntryDecode>(Channel.decodeEntry, { entryId })
}

function textField(message: JupyterMessage, key: string): string | undefined {
  const content = message.content
  const value = content.t === 'map' ? content.entries.find((e) => e.key === key)?.value : undefined
  return value?.t === 'str' ? value.v : undefined
}

describe('a Jupyter kernel observed through its IOPub', () => {
  it('threads what an execute_request makes the kernel publish, every signature valid, and flags a wrong key', async () => {
    const file = await rig.connectionFile()
    const session = await open(file, 'observe')
    assert.equal(session.sessionId, 'jup1')
    assert.equal(session.mode, 'observe')
    assert.equal(session.sockets.length, 1)
    const [{ channel, socketId }] = session.sockets as [JupyterSession['sockets'][number]]
    assert.equal(channel, 'iopub')
    assert.equal(services.engine.describe(socketId).name, 'python3 iopub')
    // The same kernel with a key that is not its own: everything still decodes, every signature is flagged.
    const wrongKey = JSON.stringify({ ...(JSON.parse(file.text) as object), key: randomUUID() })
    const forged = await open(file, 'observe', wrongKey)
    const forgedSocket = forged.sockets[0]!.socketId

    const kernel = rig.startKernel(file.path)
    // The subscription reaches the kernel right after the handshake; the frontend, which takes far longer to
    // start than that, makes its request only then.
    const up = Promise.all([socketId, forgedSocket].map((id) => probe.timelineAtLeast(id, 'handshake')))
    await Promise.race([up, kernel.exited.then(() => assert.fail('the kernel exited before IOPub was up'))])

    const frontend = rig.run('jupyter_execute.py', [file.path])
    const reply = JSON.parse(await frontend.exited) as { msg_id: string; status: string }
    assert.equal(reply.status, 'ok')
    await delivered([socketId], statusOf(reply.msg_id, 'idle'))
    await delivered([forgedSocket], statusOf(reply.msg_id, 'idle'))

    const threads = await call<JupyterThreads>(Channel.jupyterThreads, { sessionId: 'jup1' })
    assert.equal(threads.sessionId, 'jup1')
    const thread = threadOf(threads, reply.msg_id)
    // Only IOPub is watched: the request went over shell, unseen, but its children's parent header names it.
    assert.deepEqual(thread.request, { kind: 'unseen', msgId: reply.msg_id, msgType: 'execute_request' })
    assert.deepEqual(on(thread, 'iopub'), [
      ['status', 'busy'],
      ['execute_input', 'print(6*7)'],
      ['stream', '42'],
      ['status', 'idle'],
    ])
    assert.equal(thread.children.length, 4)

    const stream = await decodeOf(thread.children[2]!.entryId)
    assert.equal(stream.jupyter?.kind, 'decoded')
    const message = (stream.jupyter as { message: JupyterMessage }).message
    assert.deepEqual(message.signature, { kind: 'valid' })
    assert.equal(message.channel, 'iopub')
    assert.equal(textField(message, 'text'), '42\n')

    // The session list follows the counts (at most once a second), so the app's view catches up unasked with
    // every message delivered (the kernel's last ones, its shutdown_reply among them, may still be on their way).
    await probe.until(() => {
      const latest = probe.events.findLast((e) => e.type === 'jupyter')
      const jup1 = latest?.type === 'jupyter' ? latest.sessions.find((s) => s.sessionId === 'jup1') : undefined
      return jup1 !== undefined && jup1.messages === probe.received(socketId).length
    })
    // Every IOPub message the session's socket received decodes with a valid signature.
    const received = probe.received(socketId)
    for (const entry of received) {
      const decoded = await decodeOf(entry.id)
      assert.equal(decoded.jupyter?.kind, 'decoded', JSON.stringify(decoded.jupyter))
      assert.deepEqual((decoded.jupyter as { message: JupyterMessage }).message.signature, { kind: 'valid' })
    }
    const sessions = await call<JupyterSession[]>(Channel.jupyterList, {})
    const byId = new Map(sessions.map((s) => [s.sessionId, s]))
    assert.ok(byId.get('jup1')!.messages >= received.length)
    assert.equal(byId.get('jup1')!.badSignatures, 0)
    const flagged = byId.get('jup2')!
    assert.ok(flagged.messages >= 4, `${flagged.messages} messages under the wrong key`)
    assert.equal(flagged.badSignatures, flagged.messages)
    const forgedDecode = await decodeOf(probe.received(forgedSocket)[0]!.id)
    assert.equal((forgedDecode.jupyter as { message: JupyterMessage }).message.signature.kind, 'invalid')

    // A closed session's socket goes with it.
    await call(Channel.jupyterClose, { sessionId: 'jup2' })
    assert.ok(!services.engine.list().some((s) => s.id === forgedSocket))
    assert.deepEqual((await refused(Channel.jupyterThreads, { sessionId: 'jup2' })).code, 'INVALID_REQUEST')
  })
})

describe('a Jupyter kernel tapped on every channel', () => {
  it('lets a frontend started from the tapped file work while the app threads shell, stdin, control and IOPub', async () => {
    const file = await rig.connectionFile()
    const kernel = rig.startKernel(file.path)
    await rig.kernelUp(file, kernel)
    const session = await open(file, 'tap')
    assert.equal(session.mode, 'tap')
    assert.ok(session.tappedFile !== undefined)
    assert.equal(session.tappedFile, join(testExportsDir(), 'jupyter', `tapped-${file.name}`))
    assert.equal(statSync(session.tappedFile).mode & 0o777, 0o600, 'the tapped file holds the key')
    const original = JSON.parse(file.text) as Record<string, unknown>
    const tapped = JSON.parse(readFileSync(session.tappedFile, 'utf8')) as Record<string, unknown>
    assert.deepEqual([tapped.key, tapped.signature_scheme, tapped.ip], [original.key, 'hmac-sha256', '127.0.0.1'])
    for (const port of ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port']) {
      assert.notEqual(tapped[port], original[port], `${port} leads through a tap`)
    }
    const socketsOf = (channel: JupyterChannel): string[] =>
      session.sockets.filter((s) => s.channel === channel).map((s) => s.socketId)
    for (const channel of ['shell', 'iopub', 'stdin', 'control', 'hb'] as const) {
      assert.equal(socketsOf(channel).length, 2, `both sides of the ${channel} tap`)
    }

    // A frontend takes a heartbeat unanswered for a second as a dead kernel, and a tap holds pings until the
    // kernel is there: every tap's kernel side is connected first, as with a kernel a user already runs.
    const kernelSides = (await call<TapSummary[]>(Channel.tapList, {})).map((tap) =>
      tap.upstream.mode === 'connect' ? tap.upstream.socketId : tap.downstream.socketId,
    )
    assert.equal(kernelSides.length, 5)
    const up = Promise.all(kernelSides.map((id) => probe.timelineAtLeast(id, 'handshake')))
    await Promise.race([up, kernel.exited.then(() => assert.fail('the kernel exited before its sockets were up'))])

    const frontend = rig.run('jupyter_console_client.py', [session.tappedFile])
    const out = JSON.parse(await frontend.exited) as {
      execute: { msg_id: string; reply_msg_type: string; status: string; execution_count: number }
      input: { msg_id: string; request_msg_type: string; prompt: string; status: string }
    }
    assert.deepEqual([out.execute.reply_msg_type, out.execute.status], ['execute_reply', 'ok'])
    assert.deepEqual(
      [out.input.request_msg_type, out.input.prompt, out.input.status],
      ['input_request', 'name? ', 'ok'],
    )
    // Not awaiting the kernel's exit: ipykernel 6.17 now and then hangs in its own shutdown (seen with nothing
    // but SUBs attached); the shutdown_reply through the control tap below is what this test is about.
    await delivered(socketsOf('shell'), replyTo(out.execute.msg_id, 'execute_reply'))
    await delivered(socketsOf('iopub'), statusOf(out.execute.msg_id, 'idle'))
    await delivered(socketsOf('iopub'), statusOf(out.input.msg_id, 'idle'))
    await delivered(socketsOf('control'), (m) => m.msgType === 'shutdown_reply')

    const threads = await call<JupyterThreads>(Channel.jupyterThreads, { sessionId: session.sessionId })
    const execute = threadOf(threads, out.execute.msg_id)
    assert.equal(execute.request.kind, 'seen')
    assert.deepEqual(
      [execute.request.msgType, (execute.request as { channel: string }).channel],
      ['execute_request', 'shell'],
    )
    assert.deepEqual(on(execute, 'shell'), [['execute_reply', `ok, execution_count ${out.execute.execution_count}`]])
    assert.deepEqual(on(execute, 'iopub'), [
      ['status', 'busy'],
      ['execute_input', 'print(6*7)'],
      ['stream', '42'],
      ['status', 'idle'],
    ])
    const input = threadOf(threads, out.input.msg_id)
    assert.equal(input.request.kind, 'seen')
    assert.deepEqual(
      input.children.filter((c) => c.channel === 'stdin').map((c) => c.msgType),
      ['input_request', 'input_reply'],
    )
    // jupyter_client sends input_reply without a parent header: it joins the prompt it answers, not a thread of
    // its own.
    assert.equal(
      threads.threads.find((t) => t.request.msgType === 'input_reply'),
      undefined,
    )
    assert.deepEqual(
      on(input, 'iopub').filter(([type]) => type === 'stream'),
      [['stream', 'hello zeroscope']],
    )
    const kernelInfo = threads.threads.filter((t) => t.request.msgType === 'kernel_info_request')
    assert.ok(kernelInfo.some((t) => t.request.kind === 'seen' && on(t, 'shell')[0]?.[0] === 'kernel_info_reply'))
    const shutdown = threads.threads.find((t) => t.request.msgType === 'shutdown_request')
    assert.deepEqual(shutdown && [(shutdown.request as { channel: string }).channel, on(shutdown, 'control')[0]?.[0]], [
      'control',
      'shutdown_reply',
    ])

    // The reply as the app decodes it: through the shell tap's service side, the frontend's identity before it.
    const replyEntry = execute.children.find((c) => c.msgType === 'execute_reply')!
    const reply = await decodeOf(replyEntry.entryId)
    assert.equal(reply.jupyter?.kind, 'decoded')
    const replyMessage = (reply.jupyter as { message: JupyterMessage }).message
    assert.deepEqual(replyMessage.signature, { kind: 'valid' })
    assert.equal(replyMessage.identities.length, 1)
    const [listed] = (await call<JupyterSession[]>(Channel.jupyterList, {})).filter(
      (s) => s.sessionId === session.sessionId,
    )
    assert.ok(listed!.messages >= 15, `${listed!.messages} messages`)
    assert.equal(listed!.badSignatures, 0)

    // Heartbeat pings went through their tap and came back; they are raw bytes, not Jupyter messages.
    const taps = await call<TapSummary[]>(Channel.tapList, {})
    const hb = taps.find((t) => t.name === 'python3 hb')!
    assert.ok(hb.forwarded.down.messages >= 1 && hb.forwarded.up.messages >= 1, JSON.stringify(hb.forwarded))
    const ping = probe.received(hb.upstream.socketId)[0]!
    assert.equal(text(ping, ping.frames.length - 1), 'ping')
    assert.equal((await decodeOf(ping.id)).jupyter, undefined)

    // Closing the session closes its taps and removes the file with the key.
    await call(Channel.jupyterClose, { sessionId: session.sessionId })
    assert.deepEqual(await call<TapSummary[]>(Channel.tapList, {}), [])
    assert.throws(() => statSync(session.tappedFile!), /ENOENT/)
  })
  it('gives two tapped sessions of one file their own tapped files, and removes them on close', async () => {
    const file = await rig.connectionFile()
    await rig.kernelUp(file, rig.startKernel(file.path))
    const first = await open(file, 'tap')
    const second = await open(file, 'tap')
    assert.equal(first.tappedFile, join(testExportsDir(), 'jupyter', `tapped-${file.name}`))
    assert.equal(second.tappedFile, join(testExportsDir(), 'jupyter', `tapped-2-${file.name}`))
    const port = (path: string): unknown =>
      (JSON.parse(readFileSync(path, 'utf8')) as { shell_port: unknown }).shell_port
    assert.notEqual(port(first.tappedFile!), port(second.tappedFile!))
    assert.equal((await call<TapSummary[]>(Channel.tapList, {})).length, 10)
    await call(Channel.jupyterClose, { sessionId: first.sessionId })
    assert.throws(() => statSync(first.tappedFile!), /ENOENT/)
    assert.equal((await call<TapSummary[]>(Channel.tapList, {})).length, 5)
    assert.ok(statSync(second.tappedFile!).isFile())
  })
})

describe('connection files that are not one', () => {
  it('refuses a file missing shell_port and one that is not JSON, naming the file; capture goes on', async () => {
    const pull = await call<SocketSummary>(Channel.socketCreate, { type: 'pull', name: 'still here' })
    const bound = await call<SocketSummary>(Channel.socketBind, { socketId: pull.id, endpoint: 'tcp://127.0.0.1:*' })
    const push = await call<SocketSummary>(Channel.socketCreate, { type: 'push' })
    await call(Channel.socketConnect, { socketId: push.id, endpoint: bound.endpoints[0]!.address })
    const sockets = services.engine.list().length

    const file = await rig.connectionFile()
    const { shell_port: _, ...noShell } = JSON.parse(file.text) as Record<string, unknown>
    void _
    const missing = await refused(Channel.jupyterOpen, {
      name: 'kernel-missing.json',
      content: JSON.stringify(noShell),
      mode: 'observe',
    })
    assert.equal(missing.code, 'INVALID_REQUEST')
    assert.match(missing.message, /^kernel-missing\.json: shell_port is missing/)
    const notJson = await refused(Channel.jupyterOpen, {
      name: 'kernel-broken.json',
      content: '{"shell_port": 1,\n  oops',
      mode: 'tap',
    })
    assert.equal(notJson.code, 'INVALID_REQUEST')
    assert.match(notJson.message, /^kernel-broken\.json: not JSON at line 2/)
    assert.deepEqual(await call<JupyterSession[]>(Channel.jupyterList, {}), [])
    assert.equal(services.engine.list().length, sockets, 'nothing was left half made')
    assert.deepEqual(await call<TapSummary[]>(Channel.tapList, {}), [])

    await call(Channel.socketSend, { socketId: push.id, frames: [txt('after the bad files')] })
    const [entry] = await probe.receivedAtLeast(pull.id, 1)
    assert.equal(text(entry!), 'after the bad files')
  })
})
