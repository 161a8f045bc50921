// An ipc bind never destroys what is at its path: libzmq unlinks it first, so the engine checks before binding.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, beforeEach, describe, it } from 'node:test'
import type { Engine } from '../../main/engine/engine'
import { newEngine, text, txt, type Probe } from '../helpers/probe'
import { PythonPeer } from '../helpers/python-peer'

const dir = mkdtempSync(join(tmpdir(), 'zs-ipc-guard-'))
after(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0
const fresh = (name: string): string => join(dir, `${name}-${++counter}`)

let engine: Engine
let probe: Probe
const peers: PythonPeer[] = []
beforeEach(() => ({ engine, probe } = newEngine()))
afterEach(async () => {
  await engine.shutdown()
  await Promise.all(peers.splice(0).map((p) => p.stop()))
})

function peer(path: string): PythonPeer {
  const started = new PythonPeer('ipc_rep.py', [path])
  peers.push(started)
  return started
}

describe('ipc bind over an existing path', () => {
  it('refuses a regular file and leaves it byte-for-byte intact', async () => {
    const path = fresh('notes.txt')
    const content = Buffer.from([0, 1, 2, 255, ...Buffer.from(' precious data\n')])
    writeFileSync(path, content)
    const pull = engine.create('pull').id
    await assert.rejects(engine.bind(pull, `ipc://${path}`), {
      code: 'NOT_ALLOWED',
      message: new RegExp(`${path} is an existing regular file \\(${content.length} bytes\\)`),
    })
    assert.deepEqual(readFileSync(path), content)
    assert.equal(engine.describe(pull).endpoints.length, 0)
  })

  it('resolves a relative path, and even an abstract "@name", against the cwd, as libzmq does', async () => {
    const cwd = fresh('cwd')
    mkdirSync(cwd)
    writeFileSync(join(cwd, 'relative.sock'), 'keep me')
    // libzmq unlinks a file of the literal name "@name" in the cwd before it binds the abstract socket.
    const abstract = `@zs-abstract-${process.pid}-${counter}`
    writeFileSync(join(cwd, abstract), 'keep me too')
    const previous = process.cwd()
    process.chdir(cwd)
    try {
      const pull = engine.create('pull').id
      await assert.rejects(engine.bind(pull, 'ipc://relative.sock'), { code: 'NOT_ALLOWED', message: /regular file/ })
      await assert.rejects(engine.bind(pull, `ipc://${abstract}`), { code: 'NOT_ALLOWED', message: /regular file/ })
    } finally {
      process.chdir(previous)
    }
    assert.equal(readFileSync(join(cwd, 'relative.sock'), 'utf8'), 'keep me')
    assert.equal(readFileSync(join(cwd, abstract), 'utf8'), 'keep me too')
  })

  it('refuses a directory and a symbolic link', async () => {
    const directory = fresh('a-directory')
    mkdirSync(directory)
    const target = fresh('target.txt')
    writeFileSync(target, 'target')
    const link = fresh('link.sock')
    symlinkSync(target, link)
    const pull = engine.create('pull').id
    await assert.rejects(engine.bind(pull, `ipc://${directory}`), {
      code: 'NOT_ALLOWED',
      message: /is an existing directory/,
    })
    await assert.rejects(engine.bind(pull, `ipc://${link}`), { code: 'NOT_ALLOWED', message: /is a symbolic link/ })
    assert.ok(statSync(directory).isDirectory())
    assert.equal(readFileSync(link, 'utf8'), 'target')
  })

  it('refuses the live socket of another process, whose service keeps answering', async () => {
    const path = fresh('service.sock')
    const service = peer(path)
    await service.line(/^ready$/)
    const rep = engine.create('rep').id
    await assert.rejects(engine.bind(rep, `ipc://${path}`), {
      code: 'NOT_ALLOWED',
      message: /in use by another process/,
    })
    const req = engine.create('req').id
    await engine.connect(req, `ipc://${path}`)
    await engine.send(req, [txt('ping')])
    const [reply] = await probe.receivedAtLeast(req, 1)
    assert.equal(text(reply!), 'pong ping')
  })

  it('replaces a stale socket file left by a killed process, and says so on the timeline', async () => {
    const path = fresh('stale.sock')
    const killed = peer(path)
    await killed.line(/^ready$/)
    await killed.stop() // SIGKILL: libzmq never gets to unlink its socket file
    assert.ok(statSync(path).isSocket())
    const pull = engine.create('pull').id
    await engine.bind(pull, `ipc://${path}`)
    await probe.timelineAtLeast(pull, 'ipc:stale-replaced')
    assert.equal(probe.eventsOf(pull, 'ipc:stale-replaced')[0]!.address, `ipc://${path}`)
    const push = engine.create('push').id
    await engine.connect(push, `ipc://${path}`)
    await engine.send(push, [txt('after the stale socket')])
    const [entry] = await probe.receivedAtLeast(pull, 1)
    assert.equal(text(entry!), 'after the stale socket')
  })

  it('binds a fresh path and ipc://* without a stale-socket event', async () => {
    const pull = engine.create('pull').id
    await engine.bind(pull, `ipc://${fresh('new.sock')}`)
    await engine.bind(pull, 'ipc://*')
    await probe.timelineAtLeast(pull, 'bind', 2)
    assert.equal(probe.eventsOf(pull, 'ipc:stale-replaced').length, 0)
  })
})
