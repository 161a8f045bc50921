// What App.svelte spreads onto the workspace's components: each object's getters read the state live (Svelte's
// spread props read them lazily), its functions carry out what the user asked. Wiring only, no state of its own.
import type { LogEntryView, SocketSummary } from '../../contract/views'
import type { ExportChoice } from '../lib/export-options'
import { frameInputOf, pickSender } from '../lib/workspace-messages'
import { composer } from './composer.svelte'
import { captureExports, type ExportRun, type FramesExport } from './exports.svelte'
import { logView, type LogFilter } from './log-view.svelte'
import { recordingView } from './recording-view.svelte'
import { savedMessages, type SavedEntry, type SavedSend } from './saved-messages.svelte'
import { settings } from './settings.svelte'
import { sockets } from './sockets.svelte'
import { taps } from './taps.svelte'
import {
  workspace,
  type FolderView,
  type OpenSource,
  type OpenWorkspace,
  type SaveTarget,
  type WorkspaceTask,
} from './workspace.svelte'

export interface WorkspacePanelProps {
  current: OpenWorkspace
  task: WorkspaceTask
  folder: FolderView
  open: boolean
  confirmingNew: boolean
  includeSecrets: boolean
  reopenLast: boolean
  /** Sockets and taps New would close. */
  setupSize: number
  onToggle: (open: boolean) => void
  onNew: () => void
  onConfirmNew: () => void
  onCancelNew: () => void
  onSave: (target: SaveTarget) => void
  onOpen: (source: OpenSource) => void
  onRefresh: () => void
  onSecrets: (include: boolean) => void
  onReopenLast: (reopen: boolean) => void
  onDismiss: () => void
}

export const workspacePanel: WorkspacePanelProps = {
  get current() {
    return workspace.current
  },
  get task() {
    return workspace.task
  },
  get folder() {
    return workspace.folder
  },
  get open() {
    return workspace.panelOpen
  },
  get confirmingNew() {
    return workspace.confirmingNew
  },
  get includeSecrets() {
    return workspace.includeSecrets
  },
  get reopenLast() {
    return settings.value.reopenLastWorkspace
  },
  get setupSize() {
    return sockets.list.filter((s) => !s.tap).length + taps.list.length
  },
  onToggle: (open) => {
    workspace.panelOpen = open
    if (!open) workspace.confirmingNew = false
    else void workspace.listFiles()
  },
  onNew: () => workspace.requestNew(),
  onConfirmNew: () => void workspace.startNew(),
  onCancelNew: () => (workspace.confirmingNew = false),
  onSave: (target) => void workspace.save(target),
  onOpen: (source) => void workspace.open(source),
  onRefresh: () => void workspace.listFiles(),
  onSecrets: (include) => (workspace.includeSecrets = include),
  onReopenLast: (reopen) => void settings.setReopenLast(reopen),
  onDismiss: () => workspace.dismissTask(),
}

export interface SavedMessagesProps {
  messages: SavedEntry[]
  send: SavedSend
  /** The socket a message would go out from now, or null when none can send. */
  senderName: (message: SavedEntry) => string | null
  onSend: (key: number) => void
  onLoad: (key: number) => void
  /** The problem with the new name, or null when renamed. */
  onRename: (key: number, name: string) => string | null
  onRemove: (key: number) => void
}

/** The composer's choice of sockets: the user's own that are open and can send. */
const sendable = (): SocketSummary[] => sockets.list.filter((s) => !s.tap && s.canSend && s.state.kind === 'open')
const senderOf = (message: SavedEntry) => pickSender(message.socketKey, sendable(), composer.chosen)

export const savedMessagesBar: SavedMessagesProps = {
  get messages() {
    return savedMessages.list
  },
  get send() {
    return savedMessages.send
  },
  senderName: (message) => senderOf(message)?.name ?? null,
  onSend: (key) => void savedMessages.sendOne(key, sendable(), composer.chosen),
  onLoad: (key) => {
    const message = savedMessages.list.find((m) => m.key === key)
    if (message) composer.loadFrames(message.frames, senderOf(message)?.id)
  },
  onRename: (key, name) => savedMessages.rename(key, name),
  onRemove: (key) => savedMessages.remove(key),
}

export interface LogExportProps {
  choice: ExportChoice
  run: ExportRun
  /** Whether the log's filter hides anything. */
  filtered: boolean
  onChoose: (patch: Partial<ExportChoice>) => void
  onExport: () => void
  onCancel: () => void
  onDismiss: () => void
}

function hidesSome(f: LogFilter): boolean {
  return f.text !== '' || f.socketId !== '' || f.dir !== 'any' || f.minSize > 0
}

export const logExport: LogExportProps = {
  get choice() {
    return captureExports.choice
  },
  get run() {
    return captureExports.run
  },
  get filtered() {
    return hidesSome(logView.filter)
  },
  onChoose: (patch) => captureExports.choose(patch),
  onExport: () => void captureExports.start(logView.filter),
  onCancel: () => void captureExports.cancel(),
  onDismiss: () => captureExports.dismiss(),
}

/** The same Export control on an opened recording: the host reads the file, with the filter its pages use. */
export const recordingExport: LogExportProps = {
  ...logExport,
  get choice() {
    return captureExports.choice
  },
  get run() {
    return captureExports.run
  },
  get filtered() {
    return hidesSome(recordingView.filter)
  },
  onExport: () => {
    const source = recordingView.source
    if (source.kind === 'open') void captureExports.start(recordingView.filter, source.recording.sourceId)
  },
}

export interface MessageToolsProps {
  saved: FramesExport
  onResend: (entry: LogEntryView, frames: Uint8Array[]) => void
  onSaveFrames: (entryId: number) => void
}

export const messageTools: MessageToolsProps = {
  get saved() {
    return captureExports.frames
  },
  // An outgoing message goes out again from its socket; an incoming one from whichever the composer has.
  onResend: (entry, frames) =>
    composer.loadFrames(frames.map(frameInputOf), entry.dir === 'out' ? entry.socketId : undefined),
  onSaveFrames: (entryId) => void captureExports.saveFrames(entryId),
}

export interface WorkspaceNoticesProps {
  problems: { name: string; problems: string[] } | null
  settingsNotice: string | null
  onDismissProblems: () => void
  onDismissNotice: () => void
}

export const workspaceNotices: WorkspaceNoticesProps = {
  get problems() {
    return workspace.problems
  },
  get settingsNotice() {
    return settings.notice
  },
  onDismissProblems: () => workspace.dismissProblems(),
  onDismissNotice: () => settings.dismissNotice(),
}
