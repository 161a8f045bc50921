import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'
import type { Plugin } from 'vite'
import { CSP_META } from './contract/csp'

/** index.html states the policy from the contract's one copy (contract/csp.ts), never its own. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'zeroscope-csp',
    transformIndexHtml: (html) => {
      if (!html.includes('%ZEROSCOPE_CSP%')) throw new Error('index.html has no %ZEROSCOPE_CSP% placeholder')
      return html.replace('%ZEROSCOPE_CSP%', CSP_META)
    },
  }
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The browser host (serve) is built beside the Electron main: same engine, second entry.
        // Recording workers are entries of their own: a worker thread loads a file, not a chunk.
        input: {
          index: resolve('main/index.ts'),
          serve: resolve('main/serve.ts'),
          'record-writer': resolve('main/engine/record/writer-worker.ts'),
          'record-reader': resolve('main/engine/record/reader-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() packages: bundle everything into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    build: {
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), contentSecurityPolicy()],
  },
})
