// Running out of file descriptors: under a real `ulimit -n`, socket creation ends with LIMIT and a sentence,
// never with INTERNAL or a libzmq abort, and the engine keeps working once some sockets are closed.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

interface Step {
  step: string
  created?: number
  received?: string
  error?: { code: string; message: string; zmqCode?: string }
}

async function runUnder(fdLimit: number): Promise<{ code: number | null; signal: string | null; steps: Step[] }> {
  const fixture = fileURLToPath(new URL('../fixtures/fd-exhaust.ts', import.meta.url))
  // bash's `ulimit -n` sets both the soft and the hard limit, so Node cannot raise it again at start-up.
  const child = spawn(
    'bash',
    ['-c', `ulimit -n ${fdLimit} && exec "$0" --import tsx "$1"`, process.execPath, fixture],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null]
  const steps = output
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Step)
  return { code, signal, steps }
}

for (const fdLimit of [256, 1024]) {
  describe(`ulimit -n ${fdLimit}`, () => {
    it('creation stops with LIMIT, the process survives, and messages still flow', async () => {
      const { code, signal, steps } = await runUnder(fdLimit)
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, JSON.stringify(steps))
      const capped = steps.find((s) => s.step === 'default-cap' && s.error)
      assert.equal(capped?.error?.code, 'LIMIT', JSON.stringify(capped))
      assert.match(capped.error.message, new RegExp(`file-descriptor limit of ${fdLimit} \\(ulimit -n\\)`))
      assert.match(capped.error.message, new RegExp(`has ${capped.created} sockets open`))
      assert.ok(capped.created! > 0, 'some sockets fit')
      assert.ok(steps.some((s) => s.step === 'default-cap' && s.received === 'round trip default-cap'))

      // Past the engine's cap, zeromq's own EMFILE is answered as LIMIT too.
      const exhausted = steps.find((s) => s.step === 'emfile' && s.error)
      assert.equal(exhausted?.error?.code, 'LIMIT', JSON.stringify(exhausted))
      assert.equal(exhausted.error.zmqCode, 'EMFILE')
      assert.match(exhausted.error.message, /out of file descriptors/)
      assert.ok(steps.some((s) => s.step === 'emfile' && s.received === 'round trip emfile'))
      assert.equal(steps.at(-1)?.step, 'done')
    })
  })
}
