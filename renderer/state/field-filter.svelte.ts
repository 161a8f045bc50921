// The log's field filter ("temp > 30"): the engine decodes and evaluates (decoders and the expression language
// live there, under no CSP), the page asks about the rows it holds, in batches, and keeps the answers per id.
// New rows are asked about as they arrive; a new expression starts over.
import { Channel } from '../../contract/channels'
import { MAX_MATCH_IDS } from '../../contract/decoder-schemas'
import type { LogEntryView } from '../../contract/views'
import { requireApi } from '../lib/api'

export type FieldFilterState =
  | { kind: 'off' }
  | { kind: 'checking'; expression: string }
  | { kind: 'ready'; expression: string }
  | { kind: 'invalid'; expression: string; message: string }

class FieldFilter {
  state = $state.raw<FieldFilterState>({ kind: 'off' })
  /** Bumped when answers arrive, so what the log shows is derived again; the answers themselves are not reactive. */
  version = $state(0)
  private answers = new Map<number, boolean>()
  private asking = false
  private rows: readonly LogEntryView[] = []

  /** Whether the row matches: undefined while the engine has not answered for it yet. */
  matches(id: number): boolean | undefined {
    return this.answers.get(id)
  }

  /** Follows the filter bar and the log's rows; cheap when nothing changed. */
  sync(expression: string, rows: readonly LogEntryView[]): void {
    this.rows = rows
    const current = this.state
    if (expression.trim() === '') {
      if (current.kind !== 'off') this.reset({ kind: 'off' })
      return
    }
    if (current.kind === 'off' || current.expression !== expression) this.reset({ kind: 'checking', expression })
    void this.ask()
  }

  private reset(state: FieldFilterState): void {
    this.state = state
    this.answers = new Map()
    this.version++
  }

  private async ask(): Promise<void> {
    if (this.asking) return
    this.asking = true
    try {
      for (;;) {
        const state = this.state
        if (state.kind !== 'checking' && state.kind !== 'ready') return
        const ids: number[] = []
        // Newest first: what the list shows at the top is answered first.
        for (let i = this.rows.length - 1; i >= 0 && ids.length < MAX_MATCH_IDS; i--) {
          const id = this.rows[i]!.id
          if (!this.answers.has(id)) ids.push(id)
        }
        if (ids.length === 0) {
          if (state.kind === 'checking') this.state = { kind: 'ready', expression: state.expression }
          return
        }
        const result = await requireApi().call(Channel.logMatch, { expression: state.expression, ids })
        if (this.state !== state && (this.state.kind === 'off' || this.state.expression !== state.expression)) continue
        if (!result.ok) {
          this.state = { kind: 'invalid', expression: state.expression, message: result.error.message }
          return
        }
        const matched = new Set(result.value.ids)
        for (const id of ids) this.answers.set(id, matched.has(id))
        this.version++
      }
    } finally {
      this.asking = false
    }
  }
}

export const fieldFilter = new FieldFilter()
