// The workspace: which one is open, saving and opening it (a name in the host's folder, a native dialog, an
// upload), New, and the page's half of it (layout and saved messages) sent on save and restored on open. The
// Electron File menu's commands land here.
import { Channel } from '../../contract/channels'
import type { MenuCommand, Result } from '../../contract/views'
import type {
  WorkspaceChange,
  WorkspaceCurrent,
  WorkspaceFolder,
  WorkspaceOpened,
  WorkspaceUi,
} from '../../contract/workspace-schema'
import { requireApi } from '../lib/api'
import { knownLayout } from '../lib/workspace-layout'
import { uploadName, uploadProblem, workspaceNameProblem } from '../lib/workspace-files'
import { layout } from './layout.svelte'
import { savedMessages } from './saved-messages.svelte'
import { settings } from './settings.svelte'
import { sockets } from './sockets.svelte'
import { taps } from './taps.svelte'
import { terminal } from './terminal.svelte'

export type OpenWorkspace = { kind: 'untitled' } | { kind: 'open'; name: string; path: string }

/** The last thing done to the workspace, for the control to say. */
export type WorkspaceTask =
  | { kind: 'idle' }
  | { kind: 'busy'; what: string }
  | { kind: 'done'; message: string; warnings: string[] }
  | { kind: 'failed'; message: string }

export type FolderView =
  | { kind: 'unknown' }
  | { kind: 'loading' }
  | { kind: 'listed'; folder: WorkspaceFolder }
  | { kind: 'failed'; message: string }

export type SaveTarget = { kind: 'current' } | { kind: 'named'; name: string } | { kind: 'ask' }
export type OpenSource = { kind: 'folder'; name: string } | { kind: 'ask' } | { kind: 'upload'; file: File }

class WorkspaceState {
  current = $state.raw<OpenWorkspace>({ kind: 'untitled' })
  task = $state.raw<WorkspaceTask>({ kind: 'idle' })
  folder = $state.raw<FolderView>({ kind: 'unknown' })
  /** What an opened workspace could not restore as saved, until dismissed. */
  problems = $state.raw<{ name: string; problems: string[] } | null>(null)
  includeSecrets = $state(false)
  panelOpen = $state(false)
  /** "New" asked while sockets or taps exist: closing them all waits for a yes. */
  confirmingNew = $state(false)
  /** Whether this page took the engine's current workspace yet (a reload or a restarted host takes it again). */
  private adopted = false

  /** The page's part of the workspace. */
  ui(): WorkspaceUi {
    return {
      savedMessages: savedMessages.asUi(),
      layout: { ...layout.values(), ...terminal.layoutValues() },
    }
  }

  /**
   * On (re)connect: the engine's current workspace. A page that already holds it keeps its own saved messages
   * (newer than the engine's copy); a fresh page, or one whose host restarted, takes them. The layout comes
   * from the settings, which are newer than the file's.
   */
  adopt(current: WorkspaceCurrent): void {
    this.current =
      current.kind === 'open' ? { kind: 'open', name: current.name, path: current.path } : { kind: 'untitled' }
    if (this.adopted) return
    this.adopted = true
    if (current.kind === 'open') savedMessages.replace(current.ui.savedMessages)
  }

  /**
   * Another page (or this one) opened, saved or cleared the engine's workspace: the title follows, and an open
   * or a New replaces the saved messages, since the sockets they name were replaced too.
   */
  changed(change: WorkspaceChange): void {
    if (change.kind === 'cleared') {
      this.current = { kind: 'untitled' }
      savedMessages.replace([])
      return
    }
    this.current = { kind: 'open', name: change.name, path: change.path }
    if (change.kind === 'opened') savedMessages.replace(change.ui.savedMessages)
    if (this.folder.kind === 'listed') void this.listFiles()
  }

  /** The host restarted: what this page held of its workspace is taken again from the new one. */
  forget(): void {
    this.adopted = false
  }

  async listFiles(): Promise<void> {
    if (this.folder.kind !== 'listed') this.folder = { kind: 'loading' }
    const result = await requireApi().call(Channel.workspaceFiles, {})
    this.folder = result.ok
      ? { kind: 'listed', folder: result.value }
      : { kind: 'failed', message: result.error.message }
  }

  async save(target: SaveTarget): Promise<void> {
    if (target.kind === 'named') {
      const problem = workspaceNameProblem(target.name)
      if (problem) return this.fail(problem)
    }
    this.task = { kind: 'busy', what: 'saving…' }
    const file = target.kind === 'named' ? { kind: 'folder' as const, name: target.name.trim() } : { kind: target.kind }
    const result = await requireApi().call(Channel.workspaceSave, {
      file,
      includeSecrets: this.includeSecrets,
      ui: this.ui(),
    })
    if (!result.ok) return this.fail(result.error.message)
    if (result.value.kind === 'cancelled') {
      this.task = { kind: 'idle' }
      return
    }
    this.current = { kind: 'open', name: result.value.name, path: result.value.path }
    this.task = { kind: 'done', message: `saved to ${result.value.path}`, warnings: result.value.warnings }
    if (this.folder.kind !== 'unknown') void this.listFiles()
  }

  async open(source: OpenSource): Promise<void> {
    let file: { kind: 'folder'; name: string } | { kind: 'ask' } | { kind: 'upload'; name: string; content: string }
    if (source.kind === 'upload') {
      const problem = uploadProblem(source.file)
      if (problem) return this.fail(problem)
      let content: string
      try {
        content = await source.file.text()
      } catch (error) {
        return this.fail(`${source.file.name} could not be read: ${(error as Error).message}`)
      }
      file = { kind: 'upload', name: uploadName(source.file.name), content }
    } else file = source
    this.task = { kind: 'busy', what: 'opening…' }
    this.restored(await requireApi().call(Channel.workspaceOpen, { file }))
  }

  /** New: asks first when there is something to lose. */
  requestNew(): void {
    if (sockets.list.length > 0 || taps.list.length > 0) {
      this.panelOpen = true
      this.confirmingNew = true
    } else void this.startNew()
  }

  async startNew(): Promise<void> {
    this.confirmingNew = false
    this.task = { kind: 'busy', what: 'closing every socket and tap…' }
    const result = await requireApi().call(Channel.workspaceNew, {})
    if (!result.ok) return this.fail(result.error.message)
    savedMessages.replace([])
    this.current = { kind: 'untitled' }
    this.problems = null
    this.task = { kind: 'done', message: 'new workspace: every socket and tap closed', warnings: [] }
  }

  /** Electron's File menu. Save without a file (and Save As) go through the host's dialog. */
  command(command: MenuCommand): void {
    switch (command.kind) {
      case 'workspace-new':
        return this.requestNew()
      case 'workspace-open':
        return void this.open({ kind: 'ask' })
      case 'workspace-save':
        return void this.save(this.current.kind === 'open' ? { kind: 'current' } : { kind: 'ask' })
      case 'workspace-save-as':
        return void this.save({ kind: 'ask' })
      case 'workspace-opened':
        return void this.openedByHost()
      case 'recording-open':
        return
    }
  }

  dismissProblems(): void {
    this.problems = null
  }

  dismissTask(): void {
    this.task = { kind: 'idle' }
  }

  /** The host opened a workspace itself (Open Recent, a file given at start): the page takes its part. */
  private async openedByHost(): Promise<void> {
    const result = await requireApi().call(Channel.workspaceCurrent, {})
    if (!result.ok) return this.fail(result.error.message)
    if (result.value.kind !== 'open') return
    this.current = { kind: 'open', name: result.value.name, path: result.value.path }
    this.restoreUi(result.value.ui)
    this.task = { kind: 'done', message: `opened ${result.value.path}`, warnings: [] }
  }

  private restored(result: Result<WorkspaceOpened>): void {
    if (!result.ok) return this.fail(result.error.message)
    const opened = result.value
    if (opened.kind === 'cancelled') {
      this.task = { kind: 'idle' }
      return
    }
    this.current = { kind: 'open', name: opened.name, path: opened.path }
    this.restoreUi(opened.ui)
    this.problems = opened.problems.length > 0 ? { name: opened.name, problems: opened.problems } : null
    this.task = {
      kind: 'done',
      message: `opened ${opened.path}${opened.problems.length > 0 ? ` (${opened.problems.length} not restored as saved)` : ''}`,
      warnings: [],
    }
    this.adopted = true
  }

  private restoreUi(ui: WorkspaceUi): void {
    savedMessages.replace(ui.savedMessages)
    layout.apply(ui.layout)
    terminal.applyLayout(ui.layout)
    // The workspace's layout is now the user's: the next start (and other pages) see it too.
    const known = knownLayout(ui.layout)
    if (Object.keys(known).length > 0) settings.remember({ ...layout.values(), ...terminal.layoutValues() })
  }

  private fail(message: string): void {
    this.task = { kind: 'failed', message }
  }
}

export const workspace = new WorkspaceState()

/**
 * A failed endpoint (its port was taken, its secret left out): bind or connect it again. The host answers with
 * why when it still fails; the endpoint then stays failed with the old reason.
 */
export async function retryEndpoint(
  socketId: string,
  mode: 'bind' | 'connect',
  endpoint: string,
): Promise<string | null> {
  const channel = mode === 'bind' ? Channel.socketBind : Channel.socketConnect
  const result = await requireApi().call(channel, { socketId, endpoint })
  return result.ok ? null : result.error.message
}

/** Unbinding or disconnecting a failed endpoint removes it from the socket. */
export async function removeEndpoint(
  socketId: string,
  mode: 'bind' | 'connect',
  endpoint: string,
): Promise<string | null> {
  const channel = mode === 'bind' ? Channel.socketUnbind : Channel.socketDisconnect
  const result = await requireApi().call(channel, { socketId, endpoint })
  return result.ok ? null : result.error.message
}
