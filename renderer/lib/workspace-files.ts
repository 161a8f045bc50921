// Workspace files as the page names them: a name in the host's workspaces folder (checked as the contract
// checks it, said in the page's words), an uploaded file's name made acceptable, the browser host's download
// link, and a folder listing's dates. Pure.
import { WORKSPACES_PATH } from '../../contract/channels'
import { MAX_WORKSPACE_BYTES, WORKSPACE_EXTENSION } from '../../contract/workspace-schema'

/** contract/recording-schemas.ts plainFileName: a plain file name, no folders. */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_. ()+,=@-]*$/
const MAX_FILE_NAME = 200

/** Why `name` cannot name a workspace in the folder, or null. */
export function workspaceNameProblem(name: string): string | null {
  const trimmed = name.trim()
  if (trimmed === '') return 'give the workspace a name'
  if (trimmed.length > MAX_FILE_NAME) return `a workspace name is at most ${MAX_FILE_NAME} characters`
  if (!FILE_NAME.test(trimmed)) {
    return 'a workspace name is a plain file name: letters, digits, spaces and . _ - ( ) + , = @ (not first), no folders'
  }
  return null
}

/** An uploaded file's name as the contract takes it: other characters become "_", a folder part is dropped. */
export function uploadName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? ''
  let name = base.replace(/[^A-Za-z0-9_. ()+,=@-]/g, '_').slice(0, MAX_FILE_NAME)
  if (!/^[A-Za-z0-9_]/.test(name)) name = `_${name}`.slice(0, MAX_FILE_NAME)
  return name === '_' ? `upload${WORKSPACE_EXTENSION}` : name
}

/** Why a file picked for upload cannot be one of ours, before it is read; or null. */
export function uploadProblem(file: { name: string; size: number }): string | null {
  if (file.size > MAX_WORKSPACE_BYTES) {
    return `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MiB; a workspace file is at most ${MAX_WORKSPACE_BYTES / 1024 / 1024} MiB`
  }
  return null
}

/** The browser host serves the workspaces folder's files here (same origin, same access as the page). */
export function downloadHref(name: string): string {
  return WORKSPACES_PATH + encodeURIComponent(name)
}

/** Whether `path` is a file directly in `folder` (so the browser host can serve it), whatever the separator. */
export function inFolder(path: string, folder: string): boolean {
  const trimmed = folder.replace(/[\\/]+$/, '')
  if (!path.startsWith(trimmed) || trimmed === '') return false
  const rest = path.slice(trimmed.length)
  return /^[\\/][^\\/]+$/.test(rest)
}

/** "2025-03-14 09:26" in local time: a folder listing's modification date. */
export function formatModified(wall: number): string {
  const d = new Date(wall)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}
