// Real full and read-only disks for the hardening tests: small tmpfs mounts inside a test's temp dir (the tests
// run as root here; elsewhere the test is skipped, saying why).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { TestContext } from 'node:test'

/**
 * Mounts a tmpfs of `options` at `<parent>/mnt`, or skips the test saying why. The unmount is pushed onto
 * `cleanups`, which the test file runs newest first (so an engine that wrote there shuts down before).
 */
export function mountTmpfs(
  t: TestContext,
  parent: string,
  options: string,
  cleanups: (() => unknown)[],
): string | undefined {
  const point = join(parent, 'mnt')
  mkdirSync(point)
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', point], { encoding: 'utf8' })
  if (mounted.status !== 0) {
    t.skip(`cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): ${mounted.stderr || mounted.error?.message}`)
    return undefined
  }
  cleanups.push(() => spawnSync('umount', [point]))
  return point
}

export const remount = (point: string, options: string): void =>
  assert.equal(spawnSync('mount', ['-o', `remount,${options}`, point]).status, 0, `remount ${options}`)
