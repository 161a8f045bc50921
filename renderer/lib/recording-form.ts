// The record and replay forms' fields as typed, and the requests they make. Pure: state/recordings.svelte.ts
// carries the requests out. The engine checks them again (names, limits) and its sentence is shown as it is.
import type { Request } from '../../contract/schemas'
import type { ReplayTiming } from '../../contract/recordings'
import type { SocketSummary, SocketType } from '../../contract/views'

const MiB = 1024 * 1024

export interface RecordForm {
  scope: 'all' | 'chosen'
  socketIds: string[]
  tapIds: string[]
  /** A file name in the host's recordings folder; empty = the engine picks a dated one. */
  name: string
  /** Rotation limits as typed; empty = no limit. */
  rotateMiB: string
  rotateMinutes: string
}

export type RecordingStartRequest = Request<'recording:start'>

export type Checked<T> = { kind: 'ok'; value: T } | { kind: 'invalid'; message: string }

function positive(text: string, what: string): Checked<number | undefined> {
  const trimmed = text.trim()
  if (trimmed === '') return { kind: 'ok', value: undefined }
  const value = Number(trimmed)
  if (!Number.isFinite(value) || value <= 0) return { kind: 'invalid', message: `${what}: type a number above 0` }
  return { kind: 'ok', value }
}

/** The request for recording:start; `file` 'ask' lets Electron's save dialog pick the file (the name is unused). */
export function recordingRequest(form: RecordForm, file: 'folder' | 'ask'): Checked<RecordingStartRequest> {
  if (form.scope === 'chosen' && form.socketIds.length + form.tapIds.length === 0) {
    return { kind: 'invalid', message: 'choose at least one socket or tap to record' }
  }
  const mib = positive(form.rotateMiB, 'new file every … MiB')
  if (mib.kind === 'invalid') return mib
  const minutes = positive(form.rotateMinutes, 'new file every … minutes')
  if (minutes.kind === 'invalid') return minutes
  if (mib.value !== undefined && mib.value < 1) return { kind: 'invalid', message: 'files rotate at 1 MiB or more' }
  const rotation: NonNullable<RecordingStartRequest['rotation']> = {}
  if (mib.value !== undefined) rotation.maxBytes = Math.round(mib.value * MiB)
  if (minutes.value !== undefined) rotation.maxSeconds = Math.max(1, Math.round(minutes.value * 60))
  const name = form.name.trim()
  return {
    kind: 'ok',
    value: {
      scope:
        form.scope === 'all'
          ? { kind: 'all' }
          : { kind: 'chosen', socketIds: [...form.socketIds], tapIds: [...form.tapIds] },
      file: file === 'ask' ? { kind: 'ask' } : name ? { kind: 'folder', name } : { kind: 'folder' },
      ...(Object.keys(rotation).length > 0 ? { rotation } : {}),
    },
  }
}

export type ReplayTarget =
  { kind: 'existing'; socketId: string } | { kind: 'new'; type: SocketType; mode: 'bind' | 'connect'; endpoint: string }

export interface ReplayForm {
  target: ReplayTarget
  timing: 'original' | 'speed' | 'fast'
  /** × speed as typed (used when timing is 'speed'). */
  factor: string
  loop: boolean
  /** Only the messages the log's filter shows. */
  filtered: boolean
}

/** Patterns a new replay socket may have: they send without having to receive first. */
export const REPLAY_SOCKET_TYPES: readonly SocketType[] = ['push', 'pub', 'dealer', 'pair']

export function replayTiming(form: Pick<ReplayForm, 'timing' | 'factor'>): Checked<ReplayTiming> {
  if (form.timing !== 'speed') return { kind: 'ok', value: { kind: form.timing } }
  const factor = Number(form.factor.trim())
  if (form.factor.trim() === '' || !Number.isFinite(factor) || factor < 0.01 || factor > 1000) {
    return { kind: 'invalid', message: 'speed: a factor from 0.01 to 1000 (2 = twice as fast)' }
  }
  return { kind: 'ok', value: { kind: 'speed', factor } }
}

/**
 * Sockets a replay can send from: open, able to send, not a tap's side (the tap forwards on those), and not a
 * REQ, whose lockstep would refuse the second message.
 */
export function replaySockets(sockets: SocketSummary[]): SocketSummary[] {
  return sockets.filter((s) => s.canSend && s.state.kind === 'open' && !s.tap && s.type !== 'req' && s.type !== 'rep')
}
