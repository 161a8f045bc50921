// Jupyter kernels as the app sees them: the wire protocol's parts of one message, threads of a request and what
// answered it, and a kernel session (observed through its IOPub, or tapped on every channel). Types only.
import type { DecodedValue } from './decoded-value'

export type JupyterChannel = 'shell' | 'iopub' | 'stdin' | 'control' | 'hb'
export const JUPYTER_CHANNELS: readonly JupyterChannel[] = ['shell', 'iopub', 'stdin', 'control', 'hb']

export type SignatureState =
  | { kind: 'valid' }
  /** `expected` is the digest the key gives for these frames: it says which message was tampered, not the key. */
  | { kind: 'invalid'; reason: string; got: string; expected?: string }
  /** An empty signature, and the connection file's key is empty too: Jupyter's "no signing". */
  | { kind: 'unsigned' }
  | { kind: 'unchecked'; reason: string }

export interface JupyterMessage {
  /** Frames before the delimiter: ROUTER routing ids on shell/control/stdin, the topic on IOPub. */
  identities: string[]
  signature: SignatureState
  header: DecodedValue
  parentHeader: DecodedValue
  metadata: DecodedValue
  content: DecodedValue
  /** Extra binary frames after content (widgets, arrays); counted, not decoded. */
  buffers: number
  msgType: string
  msgId: string
  parentMsgId: string | undefined
  /** The request's type as the parent header names it, so a thread whose request was not seen can still say it. */
  parentMsgType: string | undefined
  session: string | undefined
  channel?: JupyterChannel
}

export interface JupyterThreadMessage {
  entryId: number
  msgId: string
  msgType: string
  channel: JupyterChannel
  summary: string
}

/**
 * A thread's root. 'unseen': only its children were observed (normal when only IOPub is watched, or when the
 * children arrive first); their parent header still names the request's type.
 */
export type JupyterThreadRequest =
  ({ kind: 'seen' } & JupyterThreadMessage) | { kind: 'unseen'; msgId: string; msgType: string | undefined }

export interface JupyterThread {
  request: JupyterThreadRequest
  children: JupyterThreadMessage[]
  /** Children past MAX_THREAD_CHILDREN, counted not kept. */
  childrenDropped: number
}

/** How the app meets a kernel: its IOPub observed, or every channel through taps a frontend connects to. */
export type JupyterMode = 'observe' | 'tap'

export interface JupyterSession {
  sessionId: string
  /** The connection file's name. */
  name: string
  mode: JupyterMode
  /** The kernel's endpoints per channel, from its connection file. */
  kernel: Record<JupyterChannel, string>
  /** The app's sockets that see this kernel's traffic, per channel (tap sides in tap mode). */
  sockets: { channel: JupyterChannel; socketId: string }[]
  /** Tap mode: the connection file a frontend starts with (`jupyter console --existing PATH`). */
  tappedFile?: string
  /** Messages decoded, and how many failed their signature check. */
  messages: number
  badSignatures: number
}

/** A session's threads, newest last; `dropped` older ones were let go. */
export interface JupyterThreads {
  sessionId: string
  threads: JupyterThread[]
  dropped: number
}
