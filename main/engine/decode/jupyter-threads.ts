// Threads Jupyter messages by parent_header.msg_id: a request with what answered it (the reply, IOPub status,
// execute_input, stream output, results, errors) in arrival order.
import type { DecodedValue } from '../../../contract/decoders'
import type {
  JupyterChannel,
  JupyterMessage,
  JupyterThread,
  JupyterThreadMessage,
  JupyterThreadRequest,
} from '../../../contract/jupyter'

export type { JupyterThread, JupyterThreadMessage, JupyterThreadRequest } from '../../../contract/jupyter'

export const MAX_JUPYTER_THREADS = 1000
// A cell printing in a loop parents every stream message on one request: its thread keeps the first ones.
export const MAX_THREAD_CHILDREN = 5000
const SUMMARY_CHARS = 200

interface ThreadState extends JupyterThread {
  /** Every msg_id that maps to this thread, to forget them with it. */
  members: string[]
}

export class JupyterThreads {
  // Map order is creation order, so the first key is the oldest thread.
  private readonly byRoot = new Map<string, ThreadState>()
  /** msg_id of any threaded message -> its thread's root msg_id: input_reply's parent is input_request, a child. */
  private readonly rootOf = new Map<string, string>()
  private droppedThreads = 0
  /**
   * The thread of the last input_request not yet answered. jupyter_client sends its input_reply without a parent
   * header, so the reply is joined to the prompt it answers by this, not by msg_id.
   */
  private awaitingInput: string | undefined

  add(entryId: number, message: JupyterMessage, channel: JupyterChannel): void {
    const threaded: JupyterThreadMessage = {
      entryId,
      msgId: message.msgId,
      msgType: message.msgType,
      channel,
      summary: summarize(message),
    }
    if (message.parentMsgId === undefined && message.msgType === 'input_reply' && this.awaitingInput !== undefined) {
      const waiting = this.byRoot.get(this.awaitingInput)
      this.awaitingInput = undefined
      if (waiting !== undefined) {
        this.addChild(waiting, threaded, message.msgId, this.rootOf.get(waiting.members[0]!)!)
        return
      }
    }
    if (message.parentMsgId === undefined) {
      const existing = this.byRoot.get(message.msgId)
      if (existing) {
        existing.request = { kind: 'seen', ...threaded }
        return
      }
      this.create(message.msgId, { kind: 'seen', ...threaded })
      return
    }
    const root = this.rootOf.get(message.parentMsgId) ?? message.parentMsgId
    const thread =
      this.byRoot.get(root) ?? this.create(root, { kind: 'unseen', msgId: root, msgType: message.parentMsgType })
    if (message.msgType === 'input_request') this.awaitingInput = root
    this.addChild(thread, threaded, message.msgId, root)
  }

  private addChild(thread: ThreadState, threaded: JupyterThreadMessage, msgId: string, root: string): void {
    if (thread.children.length >= MAX_THREAD_CHILDREN) {
      thread.childrenDropped++
      return
    }
    thread.children.push(threaded)
    if (!this.rootOf.has(msgId)) {
      this.rootOf.set(msgId, root)
      thread.members.push(msgId)
    }
  }

  /** Oldest first. */
  threads(): JupyterThread[] {
    return [...this.byRoot.values()].map(({ request, children, childrenDropped }) => ({
      request,
      children: [...children],
      childrenDropped,
    }))
  }

  thread(requestMsgId: string): JupyterThread | undefined {
    const state = this.byRoot.get(this.rootOf.get(requestMsgId) ?? requestMsgId)
    return state && { request: state.request, children: [...state.children], childrenDropped: state.childrenDropped }
  }

  /** Threads forgotten to stay within MAX_JUPYTER_THREADS. */
  get dropped(): number {
    return this.droppedThreads
  }

  private create(root: string, request: JupyterThreadRequest): ThreadState {
    const state: ThreadState = { request, children: [], childrenDropped: 0, members: [root] }
    this.byRoot.set(root, state)
    this.rootOf.set(root, root)
    if (this.byRoot.size > MAX_JUPYTER_THREADS) {
      const [oldestRoot, oldest] = this.byRoot.entries().next().value as [string, ThreadState]
      this.byRoot.delete(oldestRoot)
      for (const member of oldest.members) this.rootOf.delete(member)
      this.droppedThreads++
    }
    return state
  }
}

/** One line saying what a message carries, for the thread tree. */
export function summarize(message: JupyterMessage): string {
  const content = message.content
  const text = (...path: string[]): string | undefined => textAt(content, path)
  switch (message.msgType) {
    case 'stream':
      return firstLine(text('text'))
    case 'status':
      return text('execution_state') ?? ''
    case 'execute_request':
    case 'execute_input':
      return firstLine(text('code'))
    case 'error':
      return errorLine(content)
    case 'execute_result':
    case 'display_data':
    case 'update_display_data':
      return firstLine(text('data', 'text/plain')) || mimeTypes(content)
    default:
      if (message.msgType.endsWith('_reply')) return replyLine(content)
      return ''
  }
}

function replyLine(content: DecodedValue): string {
  const status = textAt(content, ['status']) ?? ''
  const count = valueAt(content, ['execution_count'])
  const parts = [status]
  if (status === 'error') parts.push(errorLine(content))
  if (count?.t === 'num') parts.push(`execution_count ${count.v}`)
  return parts.filter((part) => part !== '').join(', ')
}

function errorLine(content: DecodedValue): string {
  const name = textAt(content, ['ename']) ?? ''
  const value = textAt(content, ['evalue']) ?? ''
  return clip(value === '' ? name : `${name}: ${value}`)
}

function mimeTypes(content: DecodedValue): string {
  const data = valueAt(content, ['data'])
  return data?.t === 'map' ? data.entries.map((entry) => entry.key).join(', ') : ''
}

function firstLine(text: string | undefined): string {
  return clip((text ?? '').replace(/^\n+/, '').split('\n')[0]!)
}

function clip(text: string): string {
  return text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS)}…` : text
}

function valueAt(value: DecodedValue, path: readonly string[]): DecodedValue | undefined {
  let at: DecodedValue | undefined = value
  for (const key of path) {
    if (at?.t !== 'map') return undefined
    at = at.entries.find((entry) => entry.key === key)?.value
  }
  return at
}

function textAt(value: DecodedValue, path: readonly string[]): string | undefined {
  const at = valueAt(value, path)
  return at?.t === 'str' ? at.v : undefined
}
