// Reading a workspace file: every way it can be wrong gets a sentence naming the file — not JSON, not ours,
// from a newer version, or a field that does not hold (an unknown socket type, an invalid endpoint).
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import {
  MAX_WORKSPACE_BYTES,
  WORKSPACE_FORMAT,
  WORKSPACE_VERSION,
  workspaceFile,
  type WorkspaceFile,
} from '../../../contract/workspace-schema'
import { EngineError } from '../errors'
import { fromFs } from '../fs-errors'

export function parseWorkspace(name: string, text: string): WorkspaceFile {
  const bad = (problem: string): never => {
    throw new EngineError('BAD_FILE', `${name}: ${problem}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return bad(`not a workspace (not JSON: ${(error as Error).message})`)
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== WORKSPACE_FORMAT) {
    return bad(`not a ZeroScope workspace (no "format": "${WORKSPACE_FORMAT}")`)
  }
  const version = (json as { version?: unknown }).version
  if (typeof version === 'number' && version > WORKSPACE_VERSION) {
    return bad(
      `saved by a newer ZeroScope (workspace version ${version}); this one opens version ${WORKSPACE_VERSION}: update ZeroScope to open it`,
    )
  }
  const parsed = workspaceFile.safeParse(json)
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'file'}: ${i.message}`)
    return bad(issues.join('; '))
  }
  return parsed.data
}

export async function readWorkspace(path: string): Promise<WorkspaceFile> {
  try {
    const info = await stat(path)
    if (info.size > MAX_WORKSPACE_BYTES) {
      throw new EngineError(
        'BAD_FILE',
        `${basename(path)}: ${info.size} bytes is too large for a workspace (at most ${MAX_WORKSPACE_BYTES / 1024 / 1024} MiB)`,
      )
    }
    return parseWorkspace(basename(path), await readFile(path, 'utf8'))
  } catch (error) {
    throw fromFs(`cannot read the workspace ${path}`, error, 'check the path')
  }
}
