// Anything the app writes goes through writeFileAtomic: a writer killed with SIGKILL in the middle of a write
// leaves the previous file whole. Also the capture export built on it.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { removeStaleTemps } from '../../main/engine/atomic-file'
import { newEngine, txt } from '../helpers/probe'

function wholeGeneration(body: string): number {
  const lines = body.split('\n').filter(Boolean)
  const end = /^end (\d+)$/.exec(lines[lines.length - 1] ?? '')
  assert.ok(end, 'the file ends with its end marker')
  const n = Number(end[1])
  assert.equal(lines.length, 8193)
  assert.ok(
    lines.slice(0, -1).every((l) => l.startsWith(`generation ${n} `)),
    'every line is of the same generation',
  )
  return n
}

describe('persistence safety', () => {
  it('a writer killed mid-write leaves the previous file intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-atomic-'))
    const target = join(dir, 'settings.json')
    const script = fileURLToPath(new URL('../fixtures/atomic-writer.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', script, target], { stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = once(child, 'exit')
    let lastWritten = 0
    for await (const line of createInterface({ input: child.stdout })) {
      const wrote = /^wrote (\d+)$/.exec(line)
      if (wrote) lastWritten = Number(wrote[1])
      // Kill as soon as a write after the third has started: the body is being written right now.
      if (line === 'writing 4') {
        child.kill('SIGKILL')
        break
      }
    }
    await exited
    assert.equal(lastWritten, 3)
    const generation = wholeGeneration(readFileSync(target, 'utf8'))
    assert.ok(generation === 3 || generation === 4, `generation ${generation}`)
    // The killed write may leave its temp file; it is never mistaken for the real one and is cleaned up.
    await removeStaleTemps(dir)
    assert.deepEqual(readdirSync(dir), ['settings.json'])
  })

  it('exports the capture with full frames as JSON lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-export-'))
    const { engine, probe } = newEngine({ exportsDir: dir })
    try {
      const pull = engine.create('pull', 'inbox').id
      const address = (await engine.bind(pull, 'tcp://127.0.0.1:*')).endpoints[0]!.address
      const push = engine.create('push').id
      await engine.connect(push, address)
      await engine.send(push, [txt('a'), { enc: 'hex', data: 'ff00' }])
      await probe.receivedAtLeast(pull, 1)
      const result = await engine.exportLog({ socketId: pull })
      const lines = readFileSync(result.path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
      assert.equal(result.entries, 1)
      assert.equal(lines[0]!.socket, 'inbox')
      assert.deepEqual(lines[0]!.frames, ['YQ==', '/wA='])
    } finally {
      await engine.shutdown()
    }
  })
})
