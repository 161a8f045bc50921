// The bench's child processes: each prints `key value…` lines on stdout, which a run waits for by key. Every
// child of a run is in one group that the run stops in `finally`, so a failed run leaves no process behind.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'

export class Child {
  readonly process: ChildProcess
  readonly label: string
  private readonly values = new Map<string, number[]>()
  private readonly listeners = new Set<() => void>()
  /** Resolves once the process has exited and its stdout is drained (so every line it printed was read). */
  readonly closed: Promise<void>

  constructor(command: string, args: string[], stdin: 'pipe' | 'ignore') {
    this.label = [command, ...args].join(' ')
    this.process = spawn(command, args, { stdio: [stdin, 'pipe', 'inherit'] })
    this.closed = once(this.process, 'close').then(() => this.notify())
    // A child that already exited makes closing its stdin fail with EPIPE: nothing to do about that.
    this.process.stdin?.on('error', () => {})
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      const [key, ...values] = line.split(' ')
      this.values.set(key!, values.map(Number))
      this.notify()
    })
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null
  }

  /**
   * CPU time the process has used so far (all its threads: libzmq's I/O thread too), in ms; Linux only (from
   * /proc, in clock ticks of 10 ms), undefined elsewhere.
   */
  cpuMs(): number | undefined {
    try {
      const fields = readFileSync(`/proc/${this.process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      return (Number(fields[11]) + Number(fields[12])) * 10
    } catch {
      return undefined
    }
  }

  /** The values of the first line that starts with `key`, or an error if the process ends or `ms` pass first. */
  waitFor(key: string, ms: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(new Error(`${this.label}: no \`${key}\` within ${ms} ms`)), ms)
      const check = (): void => {
        const values = this.values.get(key)
        if (values) settle(undefined, values)
        else if (!this.running && this.process.stdout!.readableEnded)
          settle(
            new Error(`${this.label} ended (${this.process.exitCode ?? this.process.signalCode}) before \`${key}\``),
          )
      }
      const settle = (error?: Error, values?: number[]): void => {
        clearTimeout(timer)
        this.listeners.delete(check)
        if (error) reject(error)
        else resolve(values!)
      }
      this.listeners.add(check)
      check()
    })
  }

  /**
   * Closes stdin, which the bench's proxies and servers exit on; a process without stdin gets SIGTERM. Whatever
   * still runs after `ms` is killed.
   */
  async stop(ms = 5000): Promise<void> {
    if (!this.running) return this.closed
    if (this.process.stdin) this.process.stdin.end()
    else this.process.kill('SIGTERM')
    const timer = setTimeout(() => this.process.kill('SIGKILL'), ms)
    await this.closed
    clearTimeout(timer)
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener()
  }
}

export class ChildGroup {
  private readonly children: Child[] = []

  /** `stdin: 'pipe'` for processes that exit when their stdin closes (proxies, servers). */
  start(command: string, args: string[], stdin: 'pipe' | 'ignore' = 'ignore'): Child {
    const child = new Child(command, args, stdin)
    this.children.push(child)
    return child
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.children.map((child) => child.stop()))
  }
}

let port = 45100 + Math.floor(Math.random() * 10000)
/** A fresh loopback endpoint: ports count up from a random start, so two runs (or a leftover) never share one. */
export const nextEndpoint = (): string => `tcp://127.0.0.1:${port++}`
