// The browser host's downloads: a file of its recordings folder (RECORDINGS_PATH + name) or of its workspaces
// folder (WORKSPACES_PATH + name), after the same access check as every request. Only plain names of those
// folders, of the kinds they hold, are served: no path, no other folder.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import { RECORDINGS_PATH, WORKSPACES_PATH } from '../../contract/channels'
import { WORKSPACE_EXTENSION } from '../../contract/workspace-schema'
import { plainFileName } from '../../contract/recording-schemas'
import { formatOf } from '../engine/record/recordings'

const downloadName = plainFileName('file')

export interface Folders {
  recordings: string
  workspaces: string
}

/** Whether the path is a download; then it is answered (a 404 for anything that is not a file of ours). */
export async function serveDownload(folders: Folders, pathname: string, response: ServerResponse): Promise<boolean> {
  if (pathname.startsWith(RECORDINGS_PATH)) {
    await serveFile(
      folders.recordings,
      pathname.slice(RECORDINGS_PATH.length),
      (n) => formatOf(n) !== undefined,
      response,
    )
    return true
  }
  if (pathname.startsWith(WORKSPACES_PATH)) {
    await serveFile(
      folders.workspaces,
      pathname.slice(WORKSPACES_PATH.length),
      (n) => n.endsWith(WORKSPACE_EXTENSION),
      response,
    )
    return true
  }
  return false
}

async function serveFile(
  folder: string,
  encoded: string,
  ours: (name: string) => boolean,
  response: ServerResponse,
): Promise<void> {
  let name: string
  try {
    name = decodeURIComponent(encoded)
  } catch {
    name = ''
  }
  if (!downloadName.safeParse(name).success || !ours(name)) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('no such recording')
    return
  }
  const path = join(folder, name)
  const info = await stat(path).catch(() => undefined)
  if (!info?.isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('no such recording')
    return
  }
  response.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(info.size),
    'content-disposition': `attachment; filename="${name.replace(/"/g, '')}"`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  })
  // A file still being written (a recording in progress) is sent as far as it is written now.
  const stream = createReadStream(path, { end: info.size - 1 })
  stream.on('error', () => response.destroy())
  stream.pipe(response)
}
