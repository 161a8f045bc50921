// Recordings as the engine reports them (the 'recordings' event and recording:list), the host's recordings
// folder (listed while the list is shown, again on every change), replays of an opened recording (the 'replays'
// event), and what the user does to them. Actions never touch the lists: the engine answers with events.
import { Channel } from '../../contract/channels'
import type { RecordingFile, RecordingFolder, RecordingSummary, ReplaySummary } from '../../contract/recordings'
import { requireApi } from '../lib/api'
import { recordingRequest, replayTiming, type RecordForm, type ReplayForm } from '../lib/recording-form'
import { recordingView } from './recording-view.svelte'
import { createSocket } from './socket-actions'

export type FolderView =
  | { kind: 'hidden' }
  | { kind: 'loading' }
  | { kind: 'loaded'; folder: RecordingFolder; problem: string | null }
  | { kind: 'failed'; message: string }

export type Outcome = { kind: 'done' } | { kind: 'cancelled' } | { kind: 'failed'; message: string }

class RecordingsState {
  list = $state.raw<RecordingSummary[]>([])
  replays = $state.raw<ReplaySummary[]>([])
  folder = $state.raw<FolderView>({ kind: 'hidden' })
  /** The recording in progress, if one is. */
  active = $derived(this.list.find((r) => r.state.kind === 'recording'))
  private listing = false
  private again = false
  /** A finished replay the user dismissed from the banner. */
  private dismissed = $state<string | null>(null)

  replace(list: RecordingSummary[]): void {
    this.list = list
    if (this.folder.kind !== 'hidden') void this.refresh()
  }

  replaceReplays(list: ReplaySummary[]): void {
    this.replays = list
  }

  /** The latest replay of an opened recording, running or how it ended (until dismissed). */
  replayOf(sourceId: string): ReplaySummary | undefined {
    const latest = this.replays.findLast((r) => r.sourceId === sourceId)
    return latest?.id === this.dismissed ? undefined : latest
  }

  dismissReplay(replayId: string): void {
    this.dismissed = replayId
  }

  /** Another engine (the host restarted): its ids name other recordings and replays. */
  forget(): void {
    this.list = []
    this.replays = []
  }

  showFolder(shown: boolean): void {
    if (!shown) {
      this.folder = { kind: 'hidden' }
      return
    }
    if (this.folder.kind === 'hidden') this.folder = { kind: 'loading' }
    void this.refresh()
  }

  /** Lists the folder; an ask while one runs is done once more after it (the folder may have changed since). */
  async refresh(): Promise<void> {
    if (this.listing) {
      this.again = true
      return
    }
    this.listing = true
    try {
      do {
        this.again = false
        const result = await requireApi().call(Channel.recordingFiles, {})
        const shown = this.folder
        if (shown.kind === 'hidden') return
        if (result.ok) this.folder = { kind: 'loaded', folder: result.value, problem: null }
        else if (shown.kind === 'loaded') this.folder = { ...shown, problem: result.error.message }
        else this.folder = { kind: 'failed', message: result.error.message }
      } while (this.again)
    } finally {
      this.listing = false
    }
  }
}

export const recordings = new RecordingsState()

function outcome(result: { ok: true } | { ok: false; error: { message: string } }): Outcome {
  return result.ok ? { kind: 'done' } : { kind: 'failed', message: result.error.message }
}

export async function startRecording(form: RecordForm, file: 'folder' | 'ask'): Promise<Outcome> {
  const request = recordingRequest(form, file)
  if (request.kind === 'invalid') return { kind: 'failed', message: request.message }
  const result = await requireApi().call(Channel.recordingStart, request.value)
  if (result.ok && result.value.kind === 'cancelled') return { kind: 'cancelled' }
  return outcome(result)
}

export async function stopRecording(recordingId: string): Promise<Outcome> {
  return outcome(await requireApi().call(Channel.recordingStop, { recordingId }))
}

/** Opens a file of the list (or shows it, if it is the one open); the list closes once it is open. */
export async function openListed(file: RecordingFile): Promise<void> {
  if (recordingView.open?.path === file.path) recordingView.show(true)
  else if ((await recordingView.openFile({ kind: 'folder', name: file.name }, file.name)).kind !== 'done') return
  recordings.showFolder(false)
}

/** Electron: a file picked in the native dialog. */
export async function openAsked(): Promise<void> {
  if ((await recordingView.openFile({ kind: 'ask' }, 'the chosen file')).kind === 'done') recordings.showFolder(false)
}

/**
 * Replays the opened recording from a socket of the app, a new one made first when asked (a new socket that
 * cannot bind or connect is closed again), everything or what the log's filter shows; the dialog closes once
 * it runs.
 */
export async function startReplay(form: ReplayForm): Promise<Outcome> {
  const opened = recordingView.open
  if (!opened) return { kind: 'failed', message: 'no recording is open' }
  const compiled = recordingView.compiled
  const filter = compiled.kind === 'filter' ? compiled.filter : undefined
  const timing = replayTiming(form)
  if (timing.kind === 'invalid') return { kind: 'failed', message: timing.message }
  let socketId: string
  if (form.target.kind === 'new') {
    const created = await createSocket({
      type: form.target.type,
      name: `replay ${form.target.type}`,
      mode: form.target.mode,
      endpoints: [form.target.endpoint.trim()],
      subscriptions: [],
    })
    if (created.kind === 'failed') return created
    socketId = created.socket.id
  } else socketId = form.target.socketId
  const result = await requireApi().call(Channel.replayStart, {
    sourceId: opened.sourceId,
    socketId,
    timing: timing.value,
    ...(form.loop ? { loop: true } : {}),
    ...(form.filtered && filter ? { filter } : {}),
  })
  if (result.ok && recordingView.open === opened) recordingView.replaying = false
  return outcome(result)
}

export async function stopReplay(replayId: string): Promise<Outcome> {
  return outcome(await requireApi().call(Channel.replayStop, { replayId }))
}
