// An export folder that cannot take the file (disk full, read-only, a file in the way) answers IO_ERROR with a
// sentence naming the folder and what to do, leaves no temp file, and exporting works again once it is fixed.
// The full and read-only disks are real: small tmpfs mounts inside a temp dir (tests run as root here).
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { dispatch } from '../../main/host/dispatch'
import type { Services } from '../../main/host/services'
import { Channel } from '../../contract/channels'
import type { CaptureExport, Result } from '../../contract/views'
import { mountTmpfs, remount } from '../helpers/tmpfs'
import { bindAddress } from '../helpers/addresses'
import { newServices, txt } from '../helpers/probe'

let root: string
let cleanups: (() => unknown)[]

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zs-export-errors-'))
  cleanups = []
})
afterEach(async () => {
  // Newest first: the engine is shut down before the file system it wrote to is unmounted.
  for (const cleanup of cleanups.reverse()) await cleanup()
  rmSync(root, { recursive: true, force: true })
})

/** Services exporting to `exportsDir`, with a real capture of `count` messages of `size` bytes. */
async function capturing(
  exportsDir: string,
  count: number,
  size: number,
): Promise<{ services: Services; pull: string }> {
  const { services, engine, probe } = newServices({ exportsDir })
  cleanups.push(() => services.shutdown())
  const pull = engine.create('pull', 'inbox').id
  const address = (await engine.bind(pull, bindAddress('tcp'))).endpoints[0]!.address
  const push = engine.create('push').id
  await engine.connect(push, address)
  for (let i = 0; i < count; i++) await engine.send(push, [txt(`${i} `.padEnd(size, 'z'))])
  await probe.receivedAtLeast(pull, count)
  return { services, pull }
}

const exportLog = async (services: Services, socketId: string) =>
  (await dispatch(services, Channel.logExport, { socketId })) as Result<CaptureExport>

function assertIoError(result: Result<CaptureExport>, sentence: RegExp): void {
  assert.ok(!result.ok, 'the export is refused')
  assert.equal(result.error.code, 'IO_ERROR', result.error.message)
  assert.match(result.error.message, sentence)
}

function assertComplete(result: Result<CaptureExport>, entries: number): void {
  assert.ok(result.ok, JSON.stringify(!result.ok && result.error))
  assert.equal(result.value.entries, entries)
  assert.equal(statSync(result.value.path).size, result.value.bytes)
  assert.equal(readFileSync(result.value.path, 'utf8').trim().split('\n').length, entries)
}

describe('export folder errors', () => {
  it('a full disk answers IO_ERROR, leaves no temp file, and works once there is space', async (t) => {
    const point = mountTmpfs(t, root, 'size=64k', cleanups)
    if (!point) return
    // About 200 KiB of JSON lines: more than the file system holds.
    const { services, pull } = await capturing(point, 3, 48 * 1024)
    assertIoError(
      await exportLog(services, pull),
      new RegExp(`^cannot write the export to ${point}: the disk is full \\(ENOSPC\\); free some space`),
    )
    assert.deepEqual(readdirSync(point), [], 'no temp file and no partial export')
    remount(point, 'size=1m')
    assertComplete(await exportLog(services, pull), 3)
  })

  it('a read-only file system answers IO_ERROR and works once writable', async (t) => {
    const point = mountTmpfs(t, root, 'ro,size=64k', cleanups)
    if (!point) return
    const { services, pull } = await capturing(point, 1, 16)
    assertIoError(
      await exportLog(services, pull),
      new RegExp(`^cannot write the export to ${point}: the file system is read-only \\(EROFS\\); `),
    )
    remount(point, 'rw')
    assert.deepEqual(readdirSync(point), [])
    assertComplete(await exportLog(services, pull), 1)
  })

  it('a file where a folder should be answers IO_ERROR (ENOTDIR, EEXIST) and works once it is gone', async () => {
    const blocker = join(root, 'blocker')
    writeFileSync(blocker, 'not a folder')
    const under = await capturing(join(blocker, 'exports'), 1, 16)
    assertIoError(
      await exportLog(under.services, under.pull),
      new RegExp(
        `^cannot write the export to ${blocker}/exports: a part of that path is a file, not a folder \\(ENOTDIR\\); `,
      ),
    )
    const itself = await capturing(blocker, 1, 16)
    assertIoError(
      await exportLog(itself.services, itself.pull),
      new RegExp(`^cannot write the export to ${blocker}: that path is a file, not a folder \\(EEXIST\\); `),
    )
    rmSync(blocker)
    assertComplete(await exportLog(under.services, under.pull), 1)
    assert.deepEqual(readdirSync(join(blocker, 'exports')).length, 1, 'just the export, no temp file')
  })
})
