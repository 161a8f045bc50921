// Workspaces: save the engine's setup (with the page's layout and saved messages) to a file and open one
// again, replacing the setup — only once the file has been read and validated whole, so a bad file leaves
// everything as it was. Files live in the host's workspaces folder, or where a native dialog says.
import { mkdir, readdir, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import {
  WORKSPACE_EXTENSION,
  type WorkspaceFile,
  type WorkspaceFolder,
  type WorkspaceChange,
  type WorkspaceCurrent,
  type WorkspaceUi,
} from '../../../contract/workspace-schema'
import { writeFileAtomic } from '../atomic-file'
import { fromFs } from '../fs-errors'
import { restore, type SetupTarget } from './restore'
import { snapshot, type SetupSource } from './snapshot'
import { parseWorkspace, readWorkspace } from './workspace-file'

const ELSEWHERE = 'set ZEROSCOPE_WORKSPACES_DIR to another folder'

export type WorkspaceTarget = { kind: 'folder'; name?: string } | { kind: 'path'; path: string }
export type WorkspaceSource = WorkspaceTarget | { kind: 'upload'; name: string; content: string }

export interface WorkspaceHost extends SetupSource, SetupTarget {
  /** Closes every socket and tap of the current setup. */
  clear(): Promise<void>
}

export class Workspaces {
  private last: WorkspaceCurrent = { kind: 'none' }

  constructor(
    readonly folder: string,
    private readonly host: WorkspaceHost,
    private readonly changed: (change: WorkspaceChange) => void,
  ) {}

  async save(target: WorkspaceTarget, includeSecrets: boolean, ui: WorkspaceUi) {
    const path = await this.pathOf(target)
    const { file, warnings } = snapshot(this.host, includeSecrets, ui)
    try {
      await writeFileAtomic(path, [`${JSON.stringify(file, null, 2)}\n`])
    } catch (error) {
      throw fromFs(`cannot save the workspace to ${path}`, error, ELSEWHERE)
    }
    this.last = { kind: 'open', name: basename(path), path, ui }
    this.changed({ kind: 'saved', name: basename(path), path })
    return { kind: 'saved' as const, path, name: basename(path), warnings }
  }

  async open(source: WorkspaceSource) {
    let file: WorkspaceFile
    let path: string
    if (source.kind === 'upload') {
      file = parseWorkspace(source.name, source.content)
      path = source.name
    } else {
      path = source.kind === 'path' ? source.path : join(this.folder, withExtension(source.name ?? ''))
      file = await readWorkspace(path)
    }
    await this.host.clear()
    const { socketIds, problems } = await restore(file, this.host)
    const ui = {
      layout: file.ui.layout,
      // Saved messages name their socket by its new id from here on.
      savedMessages: file.ui.savedMessages.map((m) =>
        m.socketKey === undefined ? m : { ...m, socketKey: socketIds[m.socketKey] ?? m.socketKey },
      ),
    }
    this.last = { kind: 'open', name: basename(path), path, ui }
    this.changed({ kind: 'opened', name: basename(path), path, ui })
    return { kind: 'opened' as const, path, name: basename(path), ui, socketIds, problems }
  }

  /** "New": every socket and tap of the current setup closed. */
  async clearSetup(): Promise<void> {
    await this.host.clear()
    this.last = { kind: 'none' }
    this.changed({ kind: 'cleared' })
  }

  current(): WorkspaceCurrent {
    return this.last
  }

  async files(): Promise<WorkspaceFolder> {
    let names: string[]
    try {
      names = await readdir(this.folder)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path: this.folder, files: [] }
      throw fromFs(`cannot list the workspaces in ${this.folder}`, error, ELSEWHERE)
    }
    const files: WorkspaceFolder['files'] = []
    for (const name of names.filter((n) => extname(n) === WORKSPACE_EXTENSION && !n.startsWith('.'))) {
      const path = join(this.folder, name)
      const info = await stat(path).catch(() => undefined)
      if (info?.isFile()) files.push({ name, path, bytes: info.size, modifiedWall: info.mtimeMs })
    }
    return { path: this.folder, files: files.sort((a, b) => b.modifiedWall - a.modifiedWall) }
  }

  private async pathOf(target: WorkspaceTarget): Promise<string> {
    if (target.kind === 'path') return withExtension(target.path)
    await mkdir(this.folder, { recursive: true }).catch((error: unknown) => {
      throw fromFs(`cannot create the workspaces folder ${this.folder}`, error, ELSEWHERE)
    })
    const stamp = new Date().toISOString().slice(0, 10)
    return join(this.folder, withExtension(target.name ?? `workspace-${stamp}`))
  }
}

export function withExtension(name: string): string {
  return extname(name) === WORKSPACE_EXTENSION ? name : `${name}${WORKSPACE_EXTENSION}`
}
