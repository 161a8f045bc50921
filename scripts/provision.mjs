// Makes sure the machine has what the tests use from outside npm: a Chromium for the e2e specs and Debian's
// pyzmq (a libzmq no one here wrote), python3-protobuf with protoc, and a Jupyter kernel and client for the
// interop specs; with --bench also a C compiler and libzmq's headers
// for the benchmark's sender. As root on Debian it installs them; elsewhere it names exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const PYTHON = process.env.ZEROSCOPE_PYTHON ?? '/usr/bin/python3'

const imports = (module) => spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0

/** Debian package -> whether what it provides is here. */
const REQUIREMENTS = {
  chromium: () =>
    [process.env.ZEROSCOPE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].some((c) => c && existsSync(c)),
  'python3-zmq': () => imports('zmq'),
  // Real protobuf producers (python3-protobuf, with protoc compiling the .proto) and a real Jupyter kernel and
  // client, for the decoder interop specs.
  'python3-protobuf': () => imports('google.protobuf'),
  'protobuf-compiler': () => spawnSync('protoc', ['--version'], { stdio: 'ignore' }).status === 0,
  'python3-ipykernel': () => imports('ipykernel'),
  'python3-jupyter-client': () => imports('jupyter_client'),
}
const BENCH_REQUIREMENTS = {
  gcc: () => existsSync('/usr/bin/cc'),
  'libzmq3-dev': () => existsSync('/usr/include/zmq.h'),
}

const wanted = process.argv.includes('--bench') ? { ...REQUIREMENTS, ...BENCH_REQUIREMENTS } : REQUIREMENTS
const names = Object.keys(wanted)
const missingNow = () => names.filter((name) => !wanted[name]())

const missing = missingNow()
if (missing.length === 0) {
  console.log(`provision: ${names.join(', ')} present`)
  process.exit(0)
}

const isRoot = process.getuid?.() === 0
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log(`provision: installing ${missing.join(', ')} from Debian`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env })
  const still = missingNow()
  if (still.length > 0) {
    console.error(`provision: install finished but ${still.join(', ')} is still missing`)
    process.exit(1)
  }
  process.exit(0)
}

/** What to do without apt (macOS, Windows, other Linux), per Debian package name. */
const ELSEWHERE = {
  chromium: 'set ZEROSCOPE_CHROMIUM to a Chrome or Chromium executable',
  'python3-zmq': 'pip install pyzmq, and set ZEROSCOPE_PYTHON to that python executable',
  'python3-protobuf': 'pip install protobuf (into the ZEROSCOPE_PYTHON python)',
  'protobuf-compiler': 'install protoc (brew install protobuf; or the release from github.com/protocolbuffers)',
  'python3-ipykernel': 'pip install ipykernel (into the ZEROSCOPE_PYTHON python)',
  'python3-jupyter-client': 'pip install jupyter_client (into the ZEROSCOPE_PYTHON python)',
  gcc: 'install a C compiler as cc',
  'libzmq3-dev': "install libzmq's headers (zmq.h)",
}
console.error(
  existsSync('/usr/bin/apt-get')
    ? `provision: missing ${missing.join(' and ')}. Install with:\n` +
        `  sudo apt-get install -y ${missing.join(' ')}\n` +
        'or point the tests elsewhere: ZEROSCOPE_CHROMIUM=/path/to/chromium, ZEROSCOPE_PYTHON=/path/to/python-with-pyzmq'
    : `provision: missing ${missing.join(' and ')} (${process.platform}, no apt-get here):\n` +
        missing.map((name) => `  ${name}: ${ELSEWHERE[name]}`).join('\n'),
)
process.exit(1)
