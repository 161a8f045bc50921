// Builds what the benchmark runs: the C sender (bench/sender.c) against Debian's libzmq3-dev, installing the
// package first when running as root without it (like scripts/provision.mjs), and the bundled engine receiver.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync } from 'node:fs'

const SOURCE = 'bench/sender.c'
export const SENDER = 'out/bench/sender'

export function buildSender(): string {
  if (!existsSync('/usr/include/zmq.h') || !existsSync('/usr/bin/cc')) {
    if (process.getuid?.() !== 0)
      throw new Error(
        'the benchmark sender needs a C compiler and libzmq headers: sudo apt-get install -y gcc libzmq3-dev',
      )
    console.log('installing gcc and libzmq3-dev for the benchmark sender …')
    execFileSync('apt-get', ['install', '-y', '-q', 'gcc', 'libzmq3-dev'], { stdio: 'ignore' })
  }
  if (existsSync(SENDER) && statSync(SENDER).mtimeMs > statSync(SOURCE).mtimeMs) return SENDER
  mkdirSync('out/bench', { recursive: true })
  execFileSync('cc', ['-O2', '-Wall', '-o', SENDER, SOURCE, '-lzmq'], { stdio: 'inherit' })
  return SENDER
}

/** The engine's P1 receiver bundled the way electron-vite bundles the main process: plain JS, zeromq external. */
export async function buildEngineReceiver(): Promise<void> {
  const { build } = await import('esbuild')
  await build({
    entryPoints: ['bench/receiver-engine.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: 'out/bench/receiver-engine.mjs',
    external: ['zeromq', 'node-pty'],
    logLevel: 'warning',
  })
}
