// After engine shutdown nothing keeps the process alive: a child that used every resource exits by itself.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

describe('engine lifecycle', () => {
  it('the process exits by itself after engine shutdown (no leaked handles)', async () => {
    const script = fileURLToPath(new URL('../fixtures/engine-lifecycle.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const [code] = (await once(child, 'exit')) as [number | null]
    assert.equal(code, 0)
    assert.match(output, /closed 14 sockets/)
  })
})
