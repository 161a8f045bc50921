// Makes sure the machine has what the tests use from outside npm: a Chromium for the e2e specs and Debian's
// pyzmq (a libzmq no one here wrote) for the interop specs. As root on Debian it installs them; elsewhere it
// names exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const PYTHON = process.env.ZEROSCOPE_PYTHON ?? '/usr/bin/python3'

function hasChromium() {
  const candidates = [process.env.ZEROSCOPE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  return candidates.some((c) => c && existsSync(c))
}

function hasPyzmq() {
  return spawnSync(PYTHON, ['-c', 'import zmq'], { stdio: 'ignore' }).status === 0
}

const missing = []
if (!hasChromium()) missing.push('chromium')
if (!hasPyzmq()) missing.push('python3-zmq')

if (missing.length === 0) {
  console.log('provision: chromium and python3-zmq present')
  process.exit(0)
}

const isRoot = process.getuid?.() === 0
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log(`provision: installing ${missing.join(', ')} from Debian`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env })
  if (!hasChromium() || !hasPyzmq()) {
    console.error('provision: install finished but chromium or python3-zmq is still missing')
    process.exit(1)
  }
  process.exit(0)
}

console.error(
  `provision: missing ${missing.join(' and ')}. Install with:\n` +
    `  sudo apt-get install -y ${missing.join(' ')}\n` +
    'or point the tests elsewhere: ZEROSCOPE_CHROMIUM=/path/to/chromium, ZEROSCOPE_PYTHON=/path/to/python-with-pyzmq',
)
process.exit(1)
