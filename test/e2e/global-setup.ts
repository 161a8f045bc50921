// Runs once: checks the build exists and prints the single Electron skip line where no binary exists.
import { existsSync } from 'node:fs'
import { chromiumExecutable, electronExecutable } from './hosts'

export default function globalSetup(): void {
  if (!existsSync('out/main/serve.js') || !existsSync('out/renderer/index.html')) {
    throw new Error('the app is not built: run "npm run build" first (npm test does it for you)')
  }
  if (!chromiumExecutable()) {
    throw new Error('no Chromium found: apt-get install chromium, or set ZEROSCOPE_CHROMIUM=/path/to/chromium')
  }
  if (!electronExecutable()) {
    console.log(
      '[electron] SKIPPED: no Electron binary (node_modules/electron/dist is missing: its download was skipped ' +
        'or unreachable). The same specs ran on the browser host. To run them under Electron: node node_modules/electron/install.js',
    )
  }
}
