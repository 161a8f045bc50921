// Where a worker thread's script is: beside this module when run from source (tsx), beside the bundle's
// entry when built (electron-vite emits each worker as its own entry in out/main).
import { existsSync } from 'node:fs'
import { Worker } from 'node:worker_threads'

const SOURCES = { 'record-writer': './writer-worker.ts', 'record-reader': './reader-worker.ts' } as const
export type WorkerName = keyof typeof SOURCES

function scriptOf(name: WorkerName): URL {
  if (import.meta.url.endsWith('.ts')) return new URL(SOURCES[name], import.meta.url)
  // Built: this code sits in out/main/ or out/main/chunks/; the worker entries in out/main/.
  for (const candidate of [`./${name}.js`, `../${name}.js`]) {
    const url = new URL(candidate, import.meta.url)
    if (existsSync(url)) return url
  }
  throw new Error(`the ${name} worker script is missing beside ${import.meta.url}`)
}

export function startWorker(name: WorkerName): Worker {
  const script = scriptOf(name)
  if (!script.pathname.endsWith('.ts')) return new Worker(script)
  // From source (tests, the bench): module hooks do not reach worker threads, so the worker registers tsx
  // itself before loading its TypeScript. Built code never takes this path.
  const tsx = import.meta.resolve('tsx/esm/api')
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(script.href)});`
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`))
}
