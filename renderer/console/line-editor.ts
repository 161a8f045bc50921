// A small readline for the console tab: editing, history, completion, drawn with ANSI sequences into xterm.

export interface LineEditorHost {
  write(data: string): void
  submit(line: string): void
  complete(line: string): { word: string; candidates: string[] }
}

const PROMPT = '\x1b[36mzs>\x1b[0m '
const HISTORY_LIMIT = 500

export class LineEditor {
  private buffer = ''
  private cursor = 0
  private readonly history: string[] = []
  private historyIndex = 0
  /** While a command runs there is no prompt on screen to redraw under printed output. */
  private mode: 'editing' | 'running' = 'editing'

  constructor(private readonly host: LineEditorHost) {}

  prompt(): void {
    this.mode = 'editing'
    this.redraw()
  }

  /** Prints output above the line being edited, then redraws the prompt and the line. */
  print(text: string): void {
    this.host.write(`\r\x1b[2K${text.replace(/\n/g, '\r\n')}\r\n`)
    if (this.mode === 'editing') this.redraw()
  }

  input(data: string): void {
    if (this.mode === 'running') return
    // xterm hands over whole pastes and escape sequences as one string; split into keys.
    // eslint-disable-next-line no-control-regex
    const keys = data.match(/\x1b\[[0-9;]*[A-Za-z~]|\x1bO[A-Za-z]|[\s\S]/g) ?? []
    for (const key of keys) this.key(key)
  }

  private key(key: string): void {
    switch (key) {
      case '\r':
      case '\n':
        return this.enter()
      case '\x7f':
      case '\b':
        if (this.cursor > 0)
          this.edit(this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor), this.cursor - 1)
        return
      case '\x1b[3~':
        return this.edit(this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1), this.cursor)
      case '\x1b[D':
        return this.edit(this.buffer, Math.max(0, this.cursor - 1))
      case '\x1b[C':
        return this.edit(this.buffer, Math.min(this.buffer.length, this.cursor + 1))
      case '\x1b[H':
      case '\x01':
        return this.edit(this.buffer, 0)
      case '\x1b[F':
      case '\x05':
        return this.edit(this.buffer, this.buffer.length)
      case '\x1b[A':
        return this.recall(-1)
      case '\x1b[B':
        return this.recall(1)
      case '\x03':
        this.host.write('^C\r\n')
        this.buffer = ''
        this.cursor = 0
        return this.prompt()
      case '\x15':
        return this.edit('', 0)
      case '\x0c':
        this.host.write('\x1b[2J\x1b[H')
        return this.redraw()
      case '\t':
        return this.completeWord()
      default:
        if (key.length === 1 && key >= ' ')
          this.edit(this.buffer.slice(0, this.cursor) + key + this.buffer.slice(this.cursor), this.cursor + 1)
    }
  }

  private enter(): void {
    const line = this.buffer
    this.host.write('\r\n')
    this.buffer = ''
    this.cursor = 0
    if (line.trim() && this.history[this.history.length - 1] !== line) {
      this.history.push(line)
      if (this.history.length > HISTORY_LIMIT) this.history.shift()
    }
    this.historyIndex = this.history.length
    this.mode = 'running'
    this.host.submit(line)
  }

  private recall(step: number): void {
    const index = Math.min(this.history.length, Math.max(0, this.historyIndex + step))
    if (index === this.historyIndex) return
    this.historyIndex = index
    const line = this.history[index] ?? ''
    this.edit(line, line.length)
  }

  private completeWord(): void {
    const before = this.buffer.slice(0, this.cursor)
    const { word, candidates } = this.host.complete(before)
    if (candidates.length === 0) return
    if (candidates.length === 1) {
      const insert = candidates[0]!.slice(word.length) + ' '
      return this.edit(before + insert + this.buffer.slice(this.cursor), this.cursor + insert.length)
    }
    // Several: extend to their common prefix, then list them.
    let common = candidates[0]!
    for (const c of candidates) while (!c.startsWith(common)) common = common.slice(0, -1)
    const insert = common.slice(word.length)
    this.buffer = before + insert + this.buffer.slice(this.cursor)
    this.cursor += insert.length
    this.print(candidates.join('  '))
  }

  private edit(buffer: string, cursor: number): void {
    this.buffer = buffer
    this.cursor = cursor
    this.redraw()
  }

  private redraw(): void {
    const back = this.buffer.length - this.cursor
    this.host.write(`\r\x1b[2K${PROMPT}${this.buffer}${back > 0 ? `\x1b[${back}D` : ''}`)
  }
}
