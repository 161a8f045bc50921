// `npm run serve`: the browser host. Loopback by default; prints a URL carrying a random token.
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startPreset } from './engine/presets'
import { shellLaunchFrom } from './terminal/terminal'
import { startBrowserHost, WeakTokenError } from './host/browser-host'
import { openAtStart } from './host/open-at-start'

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '5610' },
    host: { type: 'string', default: '127.0.0.1' },
    'no-demo': { type: 'boolean', default: false },
    'no-shell': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})

if (values.help) {
  process.stdout.write(
    'usage: npm run serve -- [--port N] [--host ADDR] [--no-demo] [--no-shell] [FILE.zeroscope | FILE.mcap]\n' +
      '  --port N      port to listen on (default 5610; 0 picks a free one)\n' +
      '  --host ADDR   address to listen on (default 127.0.0.1). Anything but loopback exposes the engine\n' +
      '                to the network (token-gated); prefer an SSH tunnel: ssh -L 5610:127.0.0.1:5610 server\n' +
      '  --no-demo     do not start the weather demo topology\n' +
      '  --no-shell    refuse to open shell terminals (the inspector console still works)\n' +
      '  FILE.zeroscope  open this workspace at start (instead of the demo)\n' +
      '  FILE.mcap       open this recording at start (listed under the recordings)\n',
  )
  process.exit(0)
}

const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be 0-65535, got ${values.port}\n`)
  process.exit(2)
}
const host = values.host === 'localhost' ? '127.0.0.1' : values.host
if (!LOOPBACK.has(host)) {
  process.stderr.write(
    `WARNING: listening on ${host}, not loopback. Anyone who can reach this port and learns the token can ` +
      'create sockets and send messages from this machine. Prefer an SSH tunnel to a loopback host.\n',
  )
}

const rendererRoot = fileURLToPath(new URL('../renderer', import.meta.url))
const shell = values['no-shell']
  ? ({ kind: 'disabled', reason: 'shell terminals are disabled on this host (--no-shell)' } as const)
  : ({ kind: 'enabled' } as const)
const exportsDir = process.env.ZEROSCOPE_EXPORTS_DIR
const recordingsDir = process.env.ZEROSCOPE_RECORDINGS_DIR
const workspacesDir = process.env.ZEROSCOPE_WORKSPACES_DIR
const jupyterDir = process.env.ZEROSCOPE_JUPYTER_DIR
const settingsPath = process.env.ZEROSCOPE_SETTINGS
const running = await startBrowserHost({
  host,
  port,
  rendererRoot,
  token: process.env.ZEROSCOPE_TOKEN,
  shell,
  shellLaunch: shellLaunchFrom(process.env.ZEROSCOPE_SHELL),
  ...(exportsDir ? { exportsDir } : {}),
  ...(recordingsDir ? { recordingsDir } : {}),
  ...(workspacesDir ? { workspacesDir } : {}),
  ...(jupyterDir ? { jupyterDir } : {}),
  ...(settingsPath ? { settingsPath } : {}),
}).catch((error: unknown) => {
  if (error instanceof WeakTokenError) {
    process.stderr.write(`ZEROSCOPE_TOKEN: ${error.message}\n`)
    process.exit(2)
  }
  process.stderr.write(`cannot listen on ${host}:${port}: ${(error as Error).message}\n`)
  process.exit(1)
})
// The last line of defence: a bug reached by one request must cost that request, not every user's sockets
// and captures. Each handler in the host already answers its own failures; this logs what slipped through.
process.on('uncaughtException', (error) => {
  process.stderr.write(`browser host: uncaught exception (still serving): ${error.stack ?? String(error)}\n`)
})
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`browser host: unhandled rejection (still serving): ${String(reason)}\n`)
})
const log = (line: string): void => void process.stderr.write(`${line}\n`)
const opened = await openAtStart(running.services, positionals, log)
if (!opened && !values['no-demo']) await startPreset(running.services.engine, 'weather')
process.stdout.write(`ZeroScope browser host: ${running.url}\n`)

const stop = (): void => {
  void running.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
