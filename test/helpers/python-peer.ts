// Starts a Debian pyzmq peer (/usr/bin/python3, a libzmq no one here wrote) and reads its stdout lines.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const PYTHON = process.env.ZEROSCOPE_PYTHON ?? '/usr/bin/python3'

export class PythonPeer {
  private readonly lines: string[] = []
  private waiters: { match: RegExp; resolve: (m: RegExpMatchArray) => void }[] = []
  private readonly child: ChildProcessWithoutNullStreams

  constructor(script: string, args: string[] = []) {
    const path = fileURLToPath(new URL(`../fixtures/python/${script}`, import.meta.url))
    this.child = spawn(PYTHON, ['-u', path, ...args])
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[${script}] ${chunk.toString()}`))
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.lines.push(line)
      this.waiters = this.waiters.filter((w) => {
        const m = line.match(w.match)
        if (m) w.resolve(m)
        return !m
      })
    })
  }

  /** Resolves with the first line (already printed or future) matching `match`. */
  line(match: RegExp): Promise<RegExpMatchArray> {
    for (const line of this.lines) {
      const m = line.match(match)
      if (m) return Promise.resolve(m)
    }
    return new Promise((resolve) => this.waiters.push({ match, resolve }))
  }

  async port(): Promise<number> {
    return Number((await this.line(/^port (\d+)$/))[1])
  }

  write(text: string): void {
    this.child.stdin.write(text)
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = once(this.child, 'exit')
    this.child.kill('SIGKILL')
    await exited
  }
}
