// P6's engine process bundled like the app's main process (plain JS, no TypeScript loader in the measured
// process), with the recorder's worker threads beside it under the names main/engine/record/workers.ts looks
// for next to a built bundle. The wasm codecs stay external: they load their .wasm from their own package.
import { build, type BuildOptions } from 'esbuild'

export const RECORDER_BUNDLE = 'out/bench/recorder-engine.mjs'

export async function buildRecorderBundles(): Promise<void> {
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: 'out/bench',
    external: ['zeromq', 'node-pty', '@foxglove/wasm-zstd', '@foxglove/wasm-lz4', '@foxglove/wasm-bz2'],
    logLevel: 'warning',
  }
  await build({
    ...common,
    entryPoints: { 'recorder-engine': 'bench/recorder-engine.ts' },
    outExtension: { '.js': '.mjs' },
  })
  // workers.ts resolves `./record-writer.js` beside the bundle's entry (package.json says "type": "module").
  await build({
    ...common,
    entryPoints: {
      'record-writer': 'main/engine/record/writer-worker.ts',
      'record-reader': 'main/engine/record/reader-worker.ts',
    },
  })
}
