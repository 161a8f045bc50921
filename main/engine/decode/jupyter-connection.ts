// A kernel connection file (`kernel-*.json`, written by jupyter_client): where the kernel's five sockets are and
// the key its messages are signed with. Fields jupyter_client adds later are kept, so a tapped copy loses nothing.
import { z } from 'zod'
import { hmacDigest, SUPPORTED_SCHEMES, type JupyterChannel, type JupyterKey } from './jupyter-wire'

export type JupyterTransport = 'tcp' | 'ipc'

const PORT_FIELDS = {
  shell: 'shell_port',
  iopub: 'iopub_port',
  stdin: 'stdin_port',
  control: 'control_port',
  hb: 'hb_port',
} as const satisfies Record<JupyterChannel, string>

const required = (kind: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is missing' : `must be ${kind}, got ${JSON.stringify(issue.input)}`

const port = z.number({ error: required('an integer') }).int({ error: required('an integer') })

const connectionSchema = z
  .looseObject({
    ip: z.string({ error: required('a string') }).min(1, { error: 'is empty' }),
    // Files from before transports existed have none; jupyter_client then means tcp, and so do we.
    transport: z.enum(['tcp', 'ipc'], { error: required('"tcp" or "ipc"') }).default('tcp'),
    shell_port: port,
    iopub_port: port,
    stdin_port: port,
    control_port: port,
    hb_port: port,
    key: z.string({ error: required('a string (empty for no signing)') }),
    // jupyter_client's Session default when a file does not say.
    signature_scheme: z.string({ error: required('a string') }).default('hmac-sha256'),
    kernel_name: z.string({ error: required('a string') }).optional(),
  })
  .superRefine((file, ctx) => {
    for (const field of Object.values(PORT_FIELDS)) {
      const value = file[field]
      // tcp ports are real ports; ipc "ports" are the suffixes of the socket paths (ip-1, ip-2, …).
      const ok = file.transport === 'tcp' ? value >= 1 && value <= 65535 : value >= 0
      if (!ok) {
        const range = file.transport === 'tcp' ? 'a tcp port 1..65535' : 'a non-negative ipc path suffix'
        ctx.addIssue({ code: 'custom', path: [field], message: `must be ${range}, got ${value}` })
      }
    }
    if (file.key === '') return
    if (file.signature_scheme === '') {
      ctx.addIssue({ code: 'custom', path: ['signature_scheme'], message: 'is empty but key is set' })
    } else if (hmacDigest(file.signature_scheme) === undefined) {
      const message = `"${file.signature_scheme}" is not one of ${SUPPORTED_SCHEMES.join(', ')}`
      ctx.addIssue({ code: 'custom', path: ['signature_scheme'], message })
    }
  })

export type KernelConnection = z.infer<typeof connectionSchema>

export type ConnectionParse = { ok: true; connection: KernelConnection } | { ok: false; error: string }

/** Parses a connection file's text; `name` (the file's name) starts every error message. */
export function parseConnectionFile(text: string, name: string): ConnectionParse {
  if (text.trim() === '') return { ok: false, error: `${name}: the file is empty` }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    return { ok: false, error: `${name}: ${notJson(text, (error as Error).message)}` }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: `${name}: is JSON but not an object with the kernel's ports and key` }
  }
  const parsed = connectionSchema.safeParse(raw)
  if (parsed.success) return { ok: true, connection: parsed.data }
  const issue = parsed.error.issues[0]!
  return { ok: false, error: `${name}: ${issue.path.join('.')} ${issue.message}` }
}

// V8 says "… in JSON at position 11" (newer versions add "(line 2 column 9)"): a line is what an editor shows.
function notJson(text: string, message: string): string {
  const reason = message.replace(/ in JSON at position \d+.*$/, '')
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message)
  if (lineColumn) return `not JSON at line ${lineColumn[1]} column ${lineColumn[2]} (${reason})`
  const position = /at position (\d+)/.exec(message)
  const offset = position ? Number(position[1]) : text.length
  const before = text.slice(0, offset).split('\n')
  return `not JSON at line ${before.length} column ${before.at(-1)!.length + 1} (${reason})`
}

/** The signing key and scheme a decoder needs. */
export function keyOf(connection: KernelConnection): JupyterKey {
  return { key: connection.key, scheme: connection.signature_scheme }
}

/** Where a frontend connects each channel: tcp://ip:port, or Jupyter's ipc naming ipc://<ip>-<port>. */
export function endpointsOf(connection: KernelConnection): Record<JupyterChannel, string> {
  const endpoint = (channel: JupyterChannel): string => {
    const port = connection[PORT_FIELDS[channel]]
    if (connection.transport === 'ipc') return `ipc://${connection.ip}-${port}`
    const host = connection.ip.includes(':') ? `[${connection.ip}]` : connection.ip
    return `tcp://${host}:${port}`
  }
  return {
    shell: endpoint('shell'),
    iopub: endpoint('iopub'),
    stdin: endpoint('stdin'),
    control: endpoint('control'),
    hb: endpoint('hb'),
  }
}

/**
 * The same connection file leading through taps: their ports and ip replace the kernel's; the key, scheme and any
 * other field stay, so a frontend started with it signs and checks messages exactly as with the original.
 */
export function tappedConnection(
  connection: KernelConnection,
  ports: Record<JupyterChannel, number>,
  ip: string,
  transport: JupyterTransport = 'tcp',
): KernelConnection {
  return {
    ...connection,
    ip,
    transport,
    shell_port: ports.shell,
    iopub_port: ports.iopub,
    stdin_port: ports.stdin,
    control_port: ports.control,
    hb_port: ports.hb,
  }
}
