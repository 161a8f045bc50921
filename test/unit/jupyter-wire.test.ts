// The Jupyter wire protocol on hand-built messages: splitting, HMAC signatures, connection files, threading.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  endpointsOf,
  keyOf,
  parseConnectionFile,
  tappedConnection,
  type KernelConnection,
} from '../../main/engine/decode/jupyter-connection'
import { JupyterThreads, MAX_JUPYTER_THREADS } from '../../main/engine/decode/jupyter-threads'
import { decodeJupyter, type JupyterMessage } from '../../main/engine/decode/jupyter-wire'

const KEY = 'a0436f6c-1916-498b-8eb9-e81ab9368e84'
const SESSION = 'f5b1a6b6-5c3f-4d2a-9d0a-2b4c9d1e7f00'
const enc = (text: string): Uint8Array => new TextEncoder().encode(text)

interface Parts {
  identities?: Uint8Array[]
  header: object
  parent?: object
  metadata?: object
  content?: object
  buffers?: Uint8Array[]
  /** Sign with this key (hmac-sha256); '' leaves the signature empty. */
  signWith?: string
}

// The HMAC is computed here the way the spec describes it, independently of the code under test.
function wire(parts: Parts): Uint8Array[] {
  const json = [parts.header, parts.parent ?? {}, parts.metadata ?? {}, parts.content ?? {}].map((part) =>
    enc(JSON.stringify(part)),
  )
  const signWith = parts.signWith ?? KEY
  const signature = signWith === '' ? '' : createHmac('sha256', signWith).update(Buffer.concat(json)).digest('hex')
  return [...(parts.identities ?? []), enc('<IDS|MSG>'), enc(signature), ...json, ...(parts.buffers ?? [])]
}

const header = (msgType: string, msgId: string): object => ({
  msg_id: msgId,
  msg_type: msgType,
  session: SESSION,
  username: 'u',
  date: '2024-01-01T00:00:00.000000Z',
  version: '5.3',
})
const sha256 = { key: KEY, scheme: 'hmac-sha256' }

describe('Jupyter wire: splitting a message', () => {
  it('decodes identities, header fields, content as a tree and counts buffers', () => {
    const routing = Uint8Array.from([0x00, 0x6b, 0x8b, 0x45, 0x67])
    const frames = wire({
      identities: [routing, enc('kernel.abc.status')],
      header: header('comm_msg', 'm1'),
      parent: header('execute_request', 'r1'),
      content: { comm_id: 'c', data: { n: 1, ok: true, none: null, list: [1, 'x'] } },
      buffers: [Uint8Array.from([1, 2, 3]), Uint8Array.from([4])],
    })
    const message = decodeJupyter(frames, sha256, 'shell')
    assert.deepEqual(message.identities, ['0x006b8b4567', 'kernel.abc.status'])
    assert.deepEqual(message.signature, { kind: 'valid' })
    assert.equal(message.msgType, 'comm_msg')
    assert.equal(message.msgId, 'm1')
    assert.equal(message.parentMsgId, 'r1')
    assert.equal(message.parentMsgType, 'execute_request')
    assert.equal(message.session, SESSION)
    assert.equal(message.buffers, 2)
    assert.equal(message.channel, 'shell')
    assert.deepEqual(message.content, {
      t: 'map',
      entries: [
        { key: 'comm_id', value: { t: 'str', v: 'c' } },
        {
          key: 'data',
          value: {
            t: 'map',
            entries: [
              { key: 'n', value: { t: 'num', v: 1 } },
              { key: 'ok', value: { t: 'bool', v: true } },
              { key: 'none', value: { t: 'null' } },
              {
                key: 'list',
                value: {
                  t: 'list',
                  items: [
                    { t: 'num', v: 1 },
                    { t: 'str', v: 'x' },
                  ],
                },
              },
            ],
          },
        },
      ],
    })
  })

  it('an empty parent header has no parent id', () => {
    const message = decodeJupyter(wire({ header: header('kernel_info_request', 'k1') }), sha256)
    assert.equal(message.parentMsgId, undefined)
    assert.deepEqual(message.identities, [])
    assert.equal(message.buffers, 0)
  })

  it('says what is wrong with frames that are not a Jupyter message', () => {
    const good = wire({ header: header('status', 's1') })
    const cases: [Uint8Array[], RegExp][] = [
      [[enc('a'), enc('b'), enc('c')], /^no <IDS\|MSG> delimiter among 3 frames$/],
      [[enc('only')], /^no <IDS\|MSG> delimiter among 1 frame$/],
      [good.slice(0, 4), /delimiter at frame 0 is followed by 3 frames; a Jupyter message needs 5/],
      [[good[0]!, good[1]!, enc('{"msg_id": '), ...good.slice(3)], /^header is not JSON: /],
      [[...good.slice(0, 3), enc('nope'), ...good.slice(4)], /^parent_header is not JSON: /],
      [[...good.slice(0, 4), enc('[1]'), good[5]!], /^metadata is JSON but not an object \(it is a list\)$/],
      [[...good.slice(0, 5), enc('null')], /^content is JSON but not an object \(it is null\)$/],
      [wire({ header: { msg_id: 'x' } }), /^header has no msg_type string$/],
      [wire({ header: { msg_type: 'status', msg_id: 7 } }), /^header has no msg_id string$/],
    ]
    for (const [frames, message] of cases) assert.throws(() => decodeJupyter(frames, sha256), { message })
  })
})

describe('Jupyter wire: signatures', () => {
  const message = { header: header('status', 's1'), content: { execution_state: 'idle' } }

  it('valid with the right key, invalid with another or when tampered, naming the scheme', () => {
    assert.deepEqual(decodeJupyter(wire(message), sha256).signature, { kind: 'valid' })
    const wrongKey = decodeJupyter(wire({ ...message, signWith: 'not the key' }), sha256).signature
    assert.equal(wrongKey.kind, 'invalid')
    assert.match(wrongKey.kind === 'invalid' ? wrongKey.reason : '', /hmac-sha256 signature does not match/)
    const tampered = wire(message)
    tampered[5] = enc('{"execution_state":"busy"}')
    const state = decodeJupyter(tampered, sha256).signature
    assert.equal(state.kind, 'invalid')
    if (state.kind === 'invalid') {
      assert.equal(
        state.expected,
        createHmac('sha256', KEY)
          .update(Buffer.concat(tampered.slice(2, 6)))
          .digest('hex'),
      )
      assert.ok(!JSON.stringify(state).includes(KEY), 'the state never carries the key')
    }
  })

  it('other hmac schemes Node computes: sha512 and Python-named sha3_256', () => {
    for (const [scheme, digest] of [
      ['hmac-sha512', 'sha512'],
      ['hmac-sha3_256', 'sha3-256'],
    ] as const) {
      const frames = wire({ ...message, signWith: '' })
      frames[1] = enc(
        createHmac(digest, KEY)
          .update(Buffer.concat(frames.slice(2, 6)))
          .digest('hex'),
      )
      assert.deepEqual(decodeJupyter(frames, { key: KEY, scheme }).signature, { kind: 'valid' }, scheme)
    }
  })

  it('unsigned when both signature and key are empty; invalid when only one side is', () => {
    assert.deepEqual(decodeJupyter(wire({ ...message, signWith: '' }), { key: '', scheme: '' }).signature, {
      kind: 'unsigned',
    })
    assert.match(
      JSON.stringify(decodeJupyter(wire({ ...message, signWith: '' }), sha256).signature),
      /"invalid".*unsigned but the connection file has a key/,
    )
    assert.match(
      JSON.stringify(decodeJupyter(wire(message), { key: '', scheme: '' }).signature),
      /"invalid".*signed but the connection file's key is empty/,
    )
  })

  it('unchecked when no key is known or the scheme is not computable', () => {
    assert.equal(decodeJupyter(wire(message), undefined).signature.kind, 'unchecked')
    const unknown = decodeJupyter(wire(message), { key: KEY, scheme: 'hmac-whirlpool9' }).signature
    assert.deepEqual(unknown, {
      kind: 'unchecked',
      reason: 'signature scheme "hmac-whirlpool9" is not one ZeroScope can compute',
    })
  })
})

const goodFile = {
  shell_port: 50001,
  iopub_port: 50002,
  stdin_port: 50003,
  control_port: 50004,
  hb_port: 50005,
  ip: '127.0.0.1',
  key: KEY,
  transport: 'tcp',
  signature_scheme: 'hmac-sha256',
  kernel_name: 'python3',
  jupyter_session: '/home/u/notebook.ipynb',
}

function parsed(file: object): KernelConnection {
  const result = parseConnectionFile(JSON.stringify(file), 'kernel-1.json')
  assert.ok(result.ok, result.ok ? '' : result.error)
  return result.connection
}
function failure(text: string): string {
  const result = parseConnectionFile(text, 'kernel-123.json')
  assert.equal(result.ok, false, text)
  return result.ok ? '' : result.error
}
const without = (field: string): string => JSON.stringify({ ...goodFile, [field]: undefined })
const withField = (field: string, value: unknown): string => JSON.stringify({ ...goodFile, [field]: value })

describe('Jupyter connection files', () => {
  it('parses a good file, keeps unknown fields and gives tcp endpoints', () => {
    const connection = parsed(goodFile)
    assert.equal(connection.jupyter_session, '/home/u/notebook.ipynb')
    assert.deepEqual(keyOf(connection), sha256)
    assert.deepEqual(endpointsOf(connection), {
      shell: 'tcp://127.0.0.1:50001',
      iopub: 'tcp://127.0.0.1:50002',
      stdin: 'tcp://127.0.0.1:50003',
      control: 'tcp://127.0.0.1:50004',
      hb: 'tcp://127.0.0.1:50005',
    })
    assert.equal(endpointsOf(parsed({ ...goodFile, ip: '::1' })).shell, 'tcp://[::1]:50001')
  })

  it('defaults what old files leave out as jupyter_client does; kernel_name is optional', () => {
    const connection = parsed({
      ...goodFile,
      transport: undefined,
      signature_scheme: undefined,
      kernel_name: undefined,
    })
    assert.equal(connection.transport, 'tcp')
    assert.equal(connection.signature_scheme, 'hmac-sha256')
    assert.equal(connection.kernel_name, undefined)
  })

  it('ipc transport: ports are path suffixes, endpoints ipc://<ip>-<n>', () => {
    const connection = parsed({ ...goodFile, transport: 'ipc', ip: '/tmp/kernel-x-ipc', shell_port: 1, hb_port: 5 })
    assert.equal(endpointsOf(connection).shell, 'ipc:///tmp/kernel-x-ipc-1')
    assert.equal(endpointsOf(connection).hb, 'ipc:///tmp/kernel-x-ipc-5')
  })

  it('an empty key means no signing, with any scheme or none', () => {
    assert.equal(parsed({ ...goodFile, key: '', signature_scheme: '' }).key, '')
  })

  it('names the file and the field that is missing or wrong', () => {
    for (const field of ['ip', 'shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port', 'key']) {
      assert.equal(failure(without(field)), `kernel-123.json: ${field} is missing`)
    }
    assert.equal(
      failure(withField('shell_port', 70000)),
      'kernel-123.json: shell_port must be a tcp port 1..65535, got 70000',
    )
    assert.equal(failure(withField('hb_port', 0)), 'kernel-123.json: hb_port must be a tcp port 1..65535, got 0')
    assert.equal(failure(withField('iopub_port', '5')), 'kernel-123.json: iopub_port must be an integer, got "5"')
    assert.equal(failure(withField('stdin_port', 1.5)), 'kernel-123.json: stdin_port must be an integer, got 1.5')
    assert.equal(failure(withField('ip', '')), 'kernel-123.json: ip is empty')
    assert.equal(failure(withField('key', 42)), 'kernel-123.json: key must be a string (empty for no signing), got 42')
    assert.equal(failure(withField('transport', 'udp')), 'kernel-123.json: transport must be "tcp" or "ipc", got "udp"')
    assert.equal(
      failure(withField('signature_scheme', '')),
      'kernel-123.json: signature_scheme is empty but key is set',
    )
    assert.match(
      failure(withField('signature_scheme', 'sha256')),
      /^kernel-123\.json: signature_scheme "sha256" is not one of hmac-md5, .*hmac-sha256/,
    )
    assert.equal(failure(withField('kernel_name', 3)), 'kernel-123.json: kernel_name must be a string, got 3')
    assert.equal(
      failure(JSON.stringify({ ...goodFile, transport: 'ipc', control_port: -1 })),
      'kernel-123.json: control_port must be a non-negative ipc path suffix, got -1',
    )
  })

  it('says where a file is not JSON, or that it is not an object', () => {
    assert.match(failure('{\n  "ip": "127.0.0.1",,\n}'), /^kernel-123\.json: not JSON at line 2 column 21 \(/)
    assert.match(
      failure('{\n  "ip": '),
      /^kernel-123\.json: not JSON at line 2 column 9 \(Unexpected end of JSON input\)$/,
    )
    assert.equal(failure('  \n'), 'kernel-123.json: the file is empty')
    assert.equal(failure('[1, 2]'), "kernel-123.json: is JSON but not an object with the kernel's ports and key")
  })

  it('a tapped connection file: tap ports and ip, same key, scheme and other fields', () => {
    const taps = { shell: 61001, iopub: 61002, stdin: 61003, control: 61004, hb: 61005 }
    const tapped = tappedConnection(parsed(goodFile), taps, '127.0.0.2')
    assert.deepEqual(tapped, {
      ...goodFile,
      ip: '127.0.0.2',
      shell_port: 61001,
      iopub_port: 61002,
      stdin_port: 61003,
      control_port: 61004,
      hb_port: 61005,
    })
    // A frontend reading it back finds the taps.
    assert.equal(endpointsOf(parsed(tapped)).iopub, 'tcp://127.0.0.2:61002')
    const fromIpc = tappedConnection(parsed({ ...goodFile, transport: 'ipc', ip: '/tmp/k' }), taps, '127.0.0.1')
    assert.equal(fromIpc.transport, 'tcp')
  })
})

function message(msgType: string, msgId: string, parent?: [string, string], content: object = {}): JupyterMessage {
  return decodeJupyter(
    wire({ header: header(msgType, msgId), parent: parent && header(parent[0], parent[1]), content }),
    sha256,
  )
}

describe('Jupyter threads', () => {
  const request = message('execute_request', 'r1', undefined, { code: 'print(6*7)\nx = 1' })
  const parent: [string, string] = ['execute_request', 'r1']
  const children = [
    message('status', 's1', parent, { execution_state: 'busy' }),
    message('execute_input', 'i1', parent, { code: 'print(6*7)\nx = 1', execution_count: 1 }),
    message('stream', 'o1', parent, { name: 'stdout', text: '42\nmore\n' }),
    message('error', 'e1', parent, { ename: 'NameError', evalue: "name 'y' is not defined", traceback: [] }),
    message('execute_result', 'x1', parent, { data: { 'text/plain': '7', 'text/html': '<b>7</b>' } }),
    message('display_data', 'd1', parent, { data: { 'image/png': 'iVBOR' } }),
    message('execute_reply', 'p1', parent, { status: 'ok', execution_count: 1 }),
    message('status', 's2', parent, { execution_state: 'idle' }),
  ]
  const expected = [
    ['status', 'busy'],
    ['execute_input', 'print(6*7)'],
    ['stream', '42'],
    ['error', "NameError: name 'y' is not defined"],
    ['execute_result', '7'],
    ['display_data', 'image/png'],
    ['execute_reply', 'ok, execution_count 1'],
    ['status', 'idle'],
  ]
  const shape = (threads: JupyterThreads) =>
    threads.threads().map((t) => ({ request: t.request, children: t.children.map((c) => [c.msgType, c.summary]) }))

  it('a request with its children in arrival order, each one summarized', () => {
    const threads = new JupyterThreads()
    threads.add(1, request, 'shell')
    children.forEach((child, i) => threads.add(2 + i, child, child.msgType === 'execute_reply' ? 'shell' : 'iopub'))
    const [thread, ...rest] = threads.threads()
    assert.equal(rest.length, 0)
    assert.deepEqual(thread!.request, {
      kind: 'seen',
      entryId: 1,
      msgId: 'r1',
      msgType: 'execute_request',
      channel: 'shell',
      summary: 'print(6*7)',
    })
    assert.deepEqual(
      thread!.children.map((c) => [c.msgType, c.summary]),
      expected,
    )
    assert.deepEqual(thread!.children.map((c) => [c.entryId, c.channel]).slice(5), [
      [7, 'iopub'],
      [8, 'shell'],
      [9, 'iopub'],
    ])
    const failed = message('execute_reply', 'p2', parent, {
      status: 'error',
      ename: 'E',
      evalue: 'v',
      execution_count: 2,
    })
    threads.add(10, failed, 'shell')
    assert.equal(threads.thread('r1')!.children.at(-1)!.summary, 'error, E: v, execution_count 2')
  })

  it('children before their request form an unseen-request thread, which the request fills in later', () => {
    const threads = new JupyterThreads()
    threads.add(1, children[0]!, 'iopub')
    threads.add(2, children[6]!, 'shell')
    assert.deepEqual(shape(threads), [
      { request: { kind: 'unseen', msgId: 'r1', msgType: 'execute_request' }, children: [expected[0], expected[6]] },
    ])
    threads.add(3, request, 'shell')
    const [thread] = threads.threads()
    assert.equal(thread!.request.kind, 'seen')
    assert.equal(thread!.request.kind === 'seen' && thread!.request.entryId, 3)
    assert.equal(thread!.children.length, 2)
  })

  it("a reply to a child (input_reply to the kernel's input_request) joins the request's thread", () => {
    const threads = new JupyterThreads()
    threads.add(1, request, 'shell')
    threads.add(2, message('input_request', 'ask', parent, { prompt: 'name? ' }), 'stdin')
    threads.add(3, message('input_reply', 'ans', ['input_request', 'ask'], { value: 'Ada' }), 'stdin')
    assert.deepEqual(
      threads.threads().map((t) => t.children.map((c) => c.msgType)),
      [['input_request', 'input_reply']],
    )
  })

  it("an input_reply without a parent header (as jupyter_client sends it) joins the prompt's thread", () => {
    const threads = new JupyterThreads()
    threads.add(1, request, 'shell')
    threads.add(2, message('input_request', 'ask', parent, { prompt: 'name? ' }), 'stdin')
    threads.add(3, message('input_reply', 'ans', undefined, { value: 'Ada' }), 'stdin')
    // Only one reply per prompt: a second parentless reply roots its own thread.
    threads.add(4, message('input_reply', 'again', undefined, { value: 'Bob' }), 'stdin')
    assert.deepEqual(
      threads.threads().map((t) => [t.request.msgType, t.children.map((c) => c.msgType)]),
      [
        ['execute_request', ['input_request', 'input_reply']],
        ['input_reply', []],
      ],
    )
  })

  it(`keeps at most ${MAX_JUPYTER_THREADS} threads, dropping and counting the oldest`, () => {
    const threads = new JupyterThreads()
    for (let i = 0; i < MAX_JUPYTER_THREADS + 5; i++) threads.add(i, message('kernel_info_request', `k${i}`), 'shell')
    const kept = threads.threads()
    assert.equal(kept.length, MAX_JUPYTER_THREADS)
    assert.equal(threads.dropped, 5)
    assert.equal(kept[0]!.request.msgId, 'k5')
    assert.equal(kept.at(-1)!.request.msgId, `k${MAX_JUPYTER_THREADS + 4}`)
    assert.equal(threads.thread('k0'), undefined)
  })
})
