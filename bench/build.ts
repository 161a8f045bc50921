// Builds what the benchmark runs: the C sender (bench/sender.c, against libzmq's headers, which
// `scripts/provision.mjs --bench` installs) and the engine's receiver bundled like the app's main process.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync } from 'node:fs'

const SOURCE = 'bench/sender.c'
export const SENDER = 'out/bench/sender'

export function buildSender(): string {
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
