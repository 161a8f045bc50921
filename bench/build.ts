// Builds what the benchmark runs: the C programs (against libzmq's headers, which `scripts/provision.mjs --bench`
// installs) and the engine's bench processes bundled like the app's main process.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync } from 'node:fs'

/** bench/NAME.c -> out/bench/NAME: the sender (P1–P5), P5's receiver, zmq_proxy and the REQ/REP pair. */
export const C_PROGRAMS = ['sender', 'receiver', 'proxy', 'reqclient', 'repserver'] as const
export type CProgram = (typeof C_PROGRAMS)[number]
export const SENDER = 'out/bench/sender'

export function buildC(name: CProgram): string {
  const source = `bench/${name}.c`
  const binary = `out/bench/${name}`
  if (existsSync(binary) && statSync(binary).mtimeMs > statSync(source).mtimeMs) return binary
  mkdirSync('out/bench', { recursive: true })
  execFileSync('cc', ['-O2', '-Wall', '-pthread', '-o', binary, source, '-lzmq'], { stdio: 'inherit' })
  return binary
}

export function buildSender(): string {
  return buildC('sender')
}

export function buildPrograms(): Record<CProgram, string> {
  return Object.fromEntries(C_PROGRAMS.map((name) => [name, buildC(name)])) as Record<CProgram, string>
}

/**
 * The engine's P1 receiver and P5 tap forwarder, bundled the way electron-vite bundles the main process: plain
 * JS, zeromq external, so no TypeScript loader runs in the measured process.
 */
export async function buildEngineBundles(): Promise<void> {
  const { build } = await import('esbuild')
  await build({
    entryPoints: {
      'receiver-engine': 'bench/receiver-engine.ts',
      'forwarder-tap': 'bench/forwarder-tap.ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: 'out/bench',
    outExtension: { '.js': '.mjs' },
    external: ['zeromq', 'node-pty'],
    logLevel: 'warning',
  })
}
