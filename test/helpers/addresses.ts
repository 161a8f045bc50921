// Unique addresses per test so tests never collide with each other or with a user's services.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type TestTransport = 'tcp' | 'ipc' | 'inproc'
export const TRANSPORTS: readonly TestTransport[] = (process.env.ZS_T?.split(',') as TestTransport[] | undefined) ?? [
  'tcp',
  'ipc',
  'inproc',
]

let counter = 0
const ipcDir = mkdtempSync(join(tmpdir(), 'zs-ipc-'))
process.on('exit', () => rmSync(ipcDir, { recursive: true, force: true }))

/** A bind address; tcp uses port "*" so the kernel picks a free one (the engine reports the resolved one). */
export function bindAddress(transport: TestTransport): string {
  counter++
  switch (transport) {
    case 'tcp':
      return 'tcp://127.0.0.1:*'
    case 'ipc':
      return `ipc://${ipcDir}/s${process.pid}-${counter}.sock`
    case 'inproc':
      return `inproc://zs-${process.pid}-${counter}`
  }
}
