// Real Jupyter kernels (Debian's python3-ipykernel) and frontends (jupyter_client) for interop tests: a connection
// file on free loopback ports with a fresh key, and processes whose Jupyter and IPython folders all live in the
// rig's temp dir. Each process runs in its own process group, so whatever it starts is killed with it.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Request } from 'zeromq'
import { PYTHON } from './python-peer'

/** Loopback ports free right now: all held open at once so none is handed out twice, then released. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer()
      server.listen(0, '127.0.0.1')
      await once(server, 'listening')
      return server
    }),
  )
  const ports = servers.map((server) => (server.address() as { port: number }).port)
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  return ports
}

export interface ConnectionFile {
  path: string
  /** The file's name, as a user opening it would give it. */
  name: string
  text: string
}

export interface Running {
  child: ChildProcess
  /** Resolves with stdout when the process exits 0; rejects with its stderr otherwise. */
  exited: Promise<string>
}

const rigs = new Set<JupyterRig>()

// A test that times out is cancelled without its afterEach, and node:test then ends the file's process with
// SIGTERM, which skips 'exit' handlers: both paths end the groups.
function killLeftovers(): void {
  for (const rig of rigs) rig.killNow()
}
process.on('exit', killLeftovers)
process.once('SIGTERM', () => {
  killLeftovers()
  process.exit(143)
})

export class JupyterRig {
  readonly dir = mkdtempSync(join(tmpdir(), 'zs-jupyter-'))
  private readonly children: ChildProcess[] = []
  private env: NodeJS.ProcessEnv | undefined

  constructor() {
    rigs.add(this)
  }

  /** A tcp connection file for a kernel to start from, signed with hmac-sha256 and a fresh key. */
  async connectionFile(): Promise<ConnectionFile> {
    const [shell, iopub, stdin, control, hb] = await freePorts(5)
    const name = `kernel-${randomUUID()}.json`
    const path = join(this.dir, name)
    const text = JSON.stringify({
      shell_port: shell,
      iopub_port: iopub,
      stdin_port: stdin,
      control_port: control,
      hb_port: hb,
      ip: '127.0.0.1',
      transport: 'tcp',
      key: randomUUID(),
      signature_scheme: 'hmac-sha256',
      kernel_name: 'python3',
    })
    writeFileSync(path, text)
    return { path, name, text }
  }

  /** ipykernel started from `file`; it exits when a frontend asks it to shut down. */
  startKernel(file: string): Running {
    // parent_handle starts ipykernel's parent poller: should this process die unannounced, the kernel follows.
    const args = ['-f', file, '--HistoryManager.hist_file=:memory:', `--IPKernelApp.parent_handle=${process.pid}`]
    return this.spawn('the kernel', ['-m', 'ipykernel_launcher', ...args])
  }

  /**
   * Resolves once the kernel answers a heartbeat, which ipykernel binds last: all its ports are then taken, and
   * nothing else (a tap binding a free port) can be handed one of them.
   */
  async kernelUp(file: ConnectionFile, kernel: Running): Promise<void> {
    const { hb_port: port } = JSON.parse(file.text) as { hb_port: number }
    const ping = new Request({ linger: 0 })
    try {
      ping.connect(`tcp://127.0.0.1:${port}`)
      const pong = (async () => {
        await ping.send('ping')
        await ping.receive()
      })()
      await Promise.race([pong, kernel.exited.then(() => Promise.reject(new Error('the kernel exited unasked')))])
    } finally {
      ping.close()
    }
  }

  /** A Python fixture of test/fixtures/python (a jupyter_client frontend). */
  run(script: string, args: string[]): Running {
    const path = fileURLToPath(new URL(`../fixtures/python/${script}`, import.meta.url))
    return this.spawn(script, ['-u', path, ...args])
  }

  /** Kills every process group still running and removes the temp dir. */
  async dispose(): Promise<void> {
    rigs.delete(this)
    await Promise.all(this.children.map(killGroup))
    rmSync(this.dir, { recursive: true, force: true })
  }

  killNow(): void {
    for (const child of this.children) {
      if (running(child)) process.kill(-child.pid!, 'SIGKILL')
    }
    rmSync(this.dir, { recursive: true, force: true })
  }

  private spawn(what: string, args: string[]): Running {
    const stdio = ['ignore', 'pipe', 'pipe'] as const
    const child = spawn(PYTHON, args, { cwd: this.dir, env: this.isolated(), detached: true, stdio: [...stdio] })
    this.children.push(child)
    const exited = finished(child, what)
    // Handled here too, so a process killed after a failed assertion is not an unhandled rejection.
    exited.catch(() => undefined)
    return { child, exited }
  }

  /** Everything Jupyter and IPython would write goes under the temp dir; history stays in memory. */
  private isolated(): NodeJS.ProcessEnv {
    if (this.env !== undefined) return this.env
    const home = (name: string): string => {
      const path = join(this.dir, name)
      mkdirSync(path)
      return path
    }
    this.env = {
      ...process.env,
      HOME: home('home'),
      JUPYTER_RUNTIME_DIR: home('runtime'),
      JUPYTER_DATA_DIR: home('data'),
      JUPYTER_CONFIG_DIR: home('config'),
      IPYTHONDIR: home('ipython'),
      MPLCONFIGDIR: home('mpl'),
      XDG_CACHE_HOME: home('cache'),
      PYTHONDONTWRITEBYTECODE: '1',
      PYDEVD_DISABLE_FILE_VALIDATION: '1',
    }
    return this.env
  }
}

async function finished(child: ChildProcess, what: string): Promise<string> {
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null]
  if (code !== 0) throw new Error(`${what} exited with ${code ?? signal}:\n${stderr}`)
  return stdout
}

function running(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (!running(child)) return
  const exited = once(child, 'exit')
  process.kill(-child.pid!, 'SIGKILL')
  await exited
}
