// Builds the app and packages it with electron-builder's `dir` target, using a stand-in Electron folder (no
// binary can be downloaded here). Checks what an installer would contain; it cannot run the result.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { before, describe, it } from 'node:test'
import { listPackage } from '@electron/asar'

const require = createRequire(import.meta.url)
const config = require('../../electron-builder.config.cjs') as {
  files: string[]
  asarUnpack: string[]
  npmRebuild: boolean
  directories: { output: string }
}
// The @electron/fuses that electron-builder itself loads, to read back what it wrote.
const fuses = require(
  require.resolve('@electron/fuses', { paths: [dirname(require.resolve('app-builder-lib/package.json'))] }),
) as typeof import('@electron/fuses')

/**
 * Electron's fuse wire as its binaries carry it: the sentinel, the wire version, the number of fuses, one byte
 * per fuse ('1' on, '0' off) with Electron's defaults (build/fuses/fuses.json5). The stand-in carries one after
 * its script so electron-builder flips the fuses in it exactly as in a real binary, and the test can read them.
 */
const FUSE_WIRE = Buffer.concat([
  Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
  Buffer.from([1, 8]),
  Buffer.from('10110001'),
])
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

/** Bare module specifiers a bundle loads at run time (import ... from 'x', import('x'), require('x')). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8')
  const found = new Set<string>()
  for (const match of source.matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']([^"'./][^"']*)["']/g)) {
    const specifier = match[1]!
    const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!
    if (!name.startsWith('node:') && !builtinModules.includes(name)) found.add(name)
  }
  return [...found]
}

describe('packaging', () => {
  const unpacked = join(config.directories.output, 'linux-unpacked')

  before(() => {
    const standIn = mkdtempSync(join(tmpdir(), 'zs-electron-dist-'))
    writeFileSync(
      join(standIn, 'electron'),
      Buffer.concat([Buffer.from('#!/bin/sh\necho "stand-in for the Electron binary"\nexit 0\n'), FUSE_WIRE]),
    )
    chmodSync(join(standIn, 'electron'), 0o755)
    rmSync(unpacked, { recursive: true, force: true })
    const result = spawnSync('npm', ['run', '-s', 'dist:dir'], {
      env: { ...process.env, ZEROSCOPE_ELECTRON_DIST: standIn },
      encoding: 'utf8',
    })
    rmSync(standIn, { recursive: true, force: true })
    assert.equal(result.status, 0, `dist:dir failed:\n${result.stdout}\n${result.stderr}`)
  })

  it('every module the built main process loads is a production dependency', () => {
    const needed = new Set(
      walk('out/main')
        .filter((f) => f.endsWith('.js'))
        .flatMap(runtimeImports),
    )
    needed.delete('electron')
    assert.ok(needed.has('zeromq') && needed.has('node-pty'), `found ${[...needed].join(', ')}`)
    for (const name of needed)
      assert.ok(name in pkg.dependencies, `${name} is loaded at run time but is not in dependencies`)
    assert.deepEqual(
      runtimeImports('out/preload/index.cjs'),
      ['electron'],
      'the sandboxed preload bundles everything but electron',
    )
    // The renderer is fully bundled: no import statement may point outside it.
    for (const file of walk('out/renderer').filter((f) => f.endsWith('.js'))) {
      assert.doesNotMatch(readFileSync(file, 'utf8'), /^\s*import\s[^;]*?from\s*["'][^./]/m, `${file} imports a module`)
    }
  })

  it('native modules are unpacked from the asar and rebuilding is off (N-API)', () => {
    assert.ok(config.asarUnpack.includes('**/*.node'))
    assert.equal(config.npmRebuild, false)
    const nativeFiles = ['zeromq', 'node-pty'].flatMap((dep) =>
      walk(join('node_modules', dep)).filter(
        (f) => f.endsWith('.node') && (f.includes(`/${process.platform}/`) || f.includes('/build/Release/')),
      ),
    )
    assert.ok(nativeFiles.length >= 2, nativeFiles.join(', '))
    for (const file of nativeFiles) {
      assert.ok(existsSync(join(unpacked, 'resources', 'app.asar.unpacked', file)), `${file} is unpacked`)
    }
  })

  it('the package holds the built app and production dependencies, not sources or tests', () => {
    const asar = join(unpacked, 'resources', 'app.asar')
    assert.ok(existsSync(asar))
    assert.ok(existsSync(join(unpacked, 'zeroscope')), 'the stand-in binary is renamed to the product executable')
    const entries = listPackage(asar, { isPack: false }).map((e) => e.replace(/\\/g, '/'))
    for (const needed of [
      '/out/main/index.js',
      '/out/main/serve.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/package.json',
    ]) {
      assert.ok(entries.includes(needed), `${needed} is packaged`)
    }
    for (const dep of Object.keys(pkg.dependencies))
      assert.ok(entries.includes(`/node_modules/${dep}`), `${dep} is packaged`)
    const tops = new Set(entries.map((e) => e.split('/')[1]))
    assert.deepEqual([...tops].sort(), ['node_modules', 'out', 'package.json'])
    for (const dev of ['electron', 'vite', 'svelte', '@playwright/test', 'typescript']) {
      assert.ok(!entries.includes(`/node_modules/${dev}`), `${dev} (dev) is not packaged`)
    }
    const ours = entries.filter((e) => e.startsWith('/out/'))
    assert.deepEqual(
      ours.filter((e) => e.endsWith('.map') || e.endsWith('.ts')),
      [],
      'no sources or source maps of ours',
    )
  })

  it('the packaged binary carries the fuses of the configuration', async () => {
    const { FuseV1Options } = fuses
    const [off, on] = [48, 49] // the bytes '0' and '1' on the wire
    const expected: Record<string, number> = {
      RunAsNode: off,
      EnableCookieEncryption: on,
      EnableNodeOptionsEnvironmentVariable: off,
      EnableNodeCliInspectArguments: off,
      EnableEmbeddedAsarIntegrityValidation: on,
      OnlyLoadAppFromAsar: on,
      LoadBrowserProcessSpecificV8Snapshot: off,
      // On: the renderer is loaded from inside app.asar over file:// (see the config's comment).
      GrantFileProtocolExtraPrivileges: on,
    }
    const wire = (await fuses.getCurrentFuseWire(join(unpacked, 'zeroscope'))) as unknown as Record<number, number>
    const found = Object.fromEntries(
      Object.keys(expected).map((name) => [name, wire[FuseV1Options[name as keyof typeof FuseV1Options]]]),
    )
    assert.deepEqual(found, expected)
  })
})
