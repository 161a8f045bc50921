// `npm start`: builds and opens the Electron app. Electron's own install script is off (so `npm install`
// works offline), so the binary is fetched here on first start; if that cannot happen, say exactly what is
// missing and open the same app in the browser instead.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const args = process.argv.slice(2)

function electronBinary() {
  try {
    const path = require('electron')
    return typeof path === 'string' && existsSync(path) ? path : undefined
  } catch {
    return undefined
  }
}

function run(command, commandArgs) {
  return spawnSync(command, commandArgs, { stdio: 'inherit' }).status === 0
}

if (!run(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'])) process.exit(1)

let binary = electronBinary()
if (!binary) {
  console.log('ZeroScope: first start, fetching the Electron binary (node node_modules/electron/install.js)…')
  const download = spawnSync(process.execPath, ['node_modules/electron/install.js'], {
    stdio: ['ignore', 'inherit', 'pipe'],
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
    encoding: 'utf8',
  })
  binary = electronBinary()
  // The installer's failure is a stack trace; its first line is the reason a user can act on.
  const reason = (download.stderr ?? '').split('\n').find((line) => /error/i.test(line))
  if (!binary && reason) console.error(`ZeroScope: download failed: ${reason.trim()}`)
}

if (!binary) {
  console.error(
    '\nZeroScope: the Electron binary is missing and could not be downloaded.\n' +
      '  It lives in node_modules/electron/dist and comes from GitHub releases (or $ELECTRON_MIRROR).\n' +
      '  Fetch it with:   node node_modules/electron/install.js\n' +
      '  Behind a mirror: ELECTRON_MIRROR=https://your.mirror/electron/ node node_modules/electron/install.js\n' +
      '\nStarting the same app in your browser instead (npm run serve):\n',
  )
  const serve = spawn(process.execPath, ['out/main/serve.js', ...args], { stdio: 'inherit' })
  serve.on('exit', (code) => process.exit(code ?? 0))
} else {
  const app = spawn(binary, ['.', ...args], { stdio: 'inherit' })
  app.on('exit', (code) => process.exit(code ?? 0))
}
