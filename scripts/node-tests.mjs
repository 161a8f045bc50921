// `npm run test:unit` and the other node:test suites: every *.test.ts of one folder, one file at a time. The files
// are listed here rather than by a shell glob because npm runs scripts under cmd.exe on Windows, which expands none.
// Usage: node scripts/node-tests.mjs <folder> <timeout-ms> [more node --test flags]
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const [folder, timeout, ...flags] = process.argv.slice(2)
if (!folder || !/^\d+$/.test(timeout ?? '')) {
  console.error('usage: node scripts/node-tests.mjs <folder> <timeout-ms> [node --test flags]')
  process.exit(2)
}
const files = readdirSync(folder)
  .filter((name) => name.endsWith('.test.ts'))
  .sort()
  .map((name) => join(folder, name))
if (files.length === 0) {
  console.error(`no *.test.ts files in ${folder}`)
  process.exit(1)
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${timeout}`, ...flags, ...files]
const result = spawnSync(process.execPath, args, { stdio: 'inherit' })
process.exit(result.status ?? 1)
