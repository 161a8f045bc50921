// `npm test`: every check, in order, stopping at the first failure. The same command runs in CI.
import { spawnSync } from 'node:child_process'

const steps = [
  ['provision', 'node scripts/provision.mjs'],
  ['typecheck', 'npm run -s typecheck'],
  ['lint', 'npm run -s lint'],
  ['build', 'npm run -s build'],
  ['unit', 'npm run -s test:unit'],
  ['interop', 'npm run -s test:interop'],
  ['hardening', 'npm run -s test:hardening'],
  ['e2e', 'npm run -s test:e2e'],
  ['packaging', 'npm run -s test:packaging'],
]

const only = process.argv.slice(2)
const started = Date.now()
for (const [name, command] of steps) {
  if (only.length > 0 && !only.includes(name)) continue
  const t0 = Date.now()
  console.log(`\n== ${name}: ${command}`)
  const result = spawnSync(command, { shell: true, stdio: 'inherit' })
  const seconds = ((Date.now() - t0) / 1000).toFixed(1)
  if (result.status !== 0) {
    console.error(`\n== ${name} FAILED after ${seconds}s (exit ${result.status ?? result.signal})`)
    process.exit(1)
  }
  console.log(`== ${name} ok (${seconds}s)`)
}
console.log(`\nall checks passed in ${((Date.now() - started) / 1000).toFixed(0)}s`)
