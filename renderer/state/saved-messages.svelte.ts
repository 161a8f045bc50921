// The workspace's saved messages: frames kept under a name, each sent again in one click from its socket (or
// the composer's when that socket is gone). Saved with the workspace; a workspace opened brings its own.
import { Channel } from '../../contract/channels'
import type { FrameInput } from '../../contract/schemas'
import type { SocketSummary } from '../../contract/views'
import type { SavedMessage } from '../../contract/workspace-schema'
import { requireApi } from '../lib/api'
import { composedFrames, MAX_SAVED_MESSAGES, pickSender, savedMessageProblem } from '../lib/workspace-messages'
import { composer, fillPlaceholders } from './composer.svelte'

export interface SavedEntry {
  key: number
  name: string
  /** The id of the socket it is usually sent from. */
  socketKey?: string
  frames: FrameInput[]
}

/** The last one-click send, shown beside the message it concerns. */
export type SavedSend =
  | { kind: 'idle' }
  | { kind: 'sending'; key: number }
  | { kind: 'sent'; key: number; socketName: string }
  | { kind: 'failed'; key: number; message: string }

class SavedMessagesState {
  list = $state.raw<SavedEntry[]>([])
  send = $state.raw<SavedSend>({ kind: 'idle' })
  private nextKey = 1

  /** A workspace's collection (opened, or this engine's current one after a reload). */
  replace(messages: readonly SavedMessage[]): void {
    this.list = messages.map((m) => ({ key: this.nextKey++, ...m, frames: m.frames.map((f) => ({ ...f })) }))
    this.send = { kind: 'idle' }
  }

  asUi(): SavedMessage[] {
    return this.list.map(({ name, socketKey, frames }) =>
      socketKey === undefined ? { name, frames } : { name, socketKey, frames },
    )
  }

  /** Saves `frames` under `name`; one already saved under that name is replaced. The problem, or null. */
  save(name: string, frames: FrameInput[], socketKey: string | undefined): string | null {
    const problem = savedMessageProblem(name, frames)
    if (problem) return problem
    const trimmed = name.trim()
    const entry: SavedEntry = {
      key: this.nextKey++,
      name: trimmed,
      frames,
      ...(socketKey === undefined ? {} : { socketKey }),
    }
    const index = this.list.findIndex((m) => m.name === trimmed)
    if (index < 0 && this.list.length >= MAX_SAVED_MESSAGES) {
      return `a workspace keeps at most ${MAX_SAVED_MESSAGES} saved messages; delete some first`
    }
    this.list = index < 0 ? [...this.list, entry] : this.list.map((m, i) => (i === index ? entry : m))
    return null
  }

  rename(key: number, name: string): string | null {
    const entry = this.list.find((m) => m.key === key)
    if (!entry) return null
    const problem = savedMessageProblem(name, entry.frames)
    if (problem) return problem
    const trimmed = name.trim()
    if (this.list.some((m) => m.key !== key && m.name === trimmed)) return `another message is saved as “${trimmed}”`
    this.list = this.list.map((m) => (m.key === key ? { ...m, name: trimmed } : m))
    return null
  }

  remove(key: number): void {
    this.list = this.list.filter((m) => m.key !== key)
    if (this.send.kind !== 'idle' && this.send.key === key) this.send = { kind: 'idle' }
  }

  /** Sends the message once, {n} as 1 and {ts} as now, as the composer would. */
  async sendOne(key: number, sendable: readonly SocketSummary[], chosen: string | null): Promise<void> {
    const entry = this.list.find((m) => m.key === key)
    if (!entry) return
    const from = pickSender(entry.socketKey, sendable, chosen)
    if (!from) {
      this.send = { kind: 'failed', key, message: 'no open socket can send; create one first' }
      return
    }
    this.send = { kind: 'sending', key }
    const now = new Date()
    const frames = entry.frames.map((f, i) => fillPlaceholders({ key: i, ...f }, 1, now))
    const result = await requireApi().call(Channel.socketSend, { socketId: from.id, frames })
    this.send = result.ok
      ? { kind: 'sent', key, socketName: from.name }
      : { kind: 'failed', key, message: result.error.message }
  }
}

export const savedMessages = new SavedMessagesState()

/** Saves the composer's frames as they would go to `target` (a ROUTER's picked peer first). */
export function saveComposed(name: string, target: SocketSummary | undefined): string | null {
  const peer = target?.type === 'router' ? composer.peer : ''
  return savedMessages.save(name, composedFrames(composer.frames, peer), target?.id)
}
