// Endpoint syntax checks shared by the contract schema (main) and the renderer's form validation.
// Pure: no imports, so both bundles can take it.

export type EndpointMode = 'bind' | 'connect'
export type Transport = 'tcp' | 'ipc' | 'inproc' | 'udp'

export type EndpointCheck = { kind: 'valid'; transport: Transport } | { kind: 'invalid'; message: string }

const SUPPORTED: readonly Transport[] = ['tcp', 'ipc', 'inproc', 'udp']
/** "tcp, ipc, inproc or udp": derived, so the advice never drifts from what is accepted. */
const SUPPORTED_TEXT = `${SUPPORTED.slice(0, -1).join(', ')} or ${SUPPORTED[SUPPORTED.length - 1]}`
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/
const IPV6 = /^\[[0-9A-Fa-f:.%a-zA-Z0-9]+\]$/

function isTransport(value: string): value is Transport {
  return (SUPPORTED as readonly string[]).includes(value)
}

function checkHost(host: string, mode: EndpointMode): string | null {
  if (host === '*') {
    return mode === 'connect'
      ? 'cannot connect to "*": "*" means every interface and only makes sense for bind; connect to a host such as localhost or 127.0.0.1'
      : null
  }
  const v4 = IPV4.exec(host)
  if (v4) return v4.slice(1).every((octet) => Number(octet) <= 255) ? null : `"${host}" is not a valid IPv4 address`
  if (IPV6.test(host) || HOST_NAME.test(host)) return null
  return `"${host}" is not a valid host name, IPv4 address, [IPv6] address or "*"`
}

function checkPort(port: string, mode: EndpointMode): string | null {
  if (port === '*' || port === '0') {
    return mode === 'connect' ? 'connect needs a concrete port; "*" (any free port) only works with bind' : null
  }
  if (!/^\d{1,5}$/.test(port)) return `port "${port}" is not a number`
  const n = Number(port)
  return n >= 1 && n <= 65535 ? null : `port ${n} is outside 1-65535`
}

function checkTcp(rest: string, mode: EndpointMode): string | null {
  // tcp://[source-address;]host:port — libzmq allows a source address before ';' on connect.
  const target = rest.includes(';') ? rest.slice(rest.indexOf(';') + 1) : rest
  const colon = target.lastIndexOf(':')
  if (colon <= 0) return 'tcp endpoints need host:port, e.g. tcp://127.0.0.1:5555'
  return checkHost(target.slice(0, colon), mode) ?? checkPort(target.slice(colon + 1), mode)
}

export function checkEndpoint(endpoint: string, mode: EndpointMode): EndpointCheck {
  const match = /^([a-z0-9+]+):\/\/(.*)$/.exec(endpoint)
  if (!match)
    return { kind: 'invalid', message: `"${endpoint}" is not transport://address (e.g. tcp://127.0.0.1:5555)` }
  const [, transport, rest] = match as unknown as [string, string, string]
  if (!isTransport(transport)) {
    return { kind: 'invalid', message: `unsupported transport "${transport}": use ${SUPPORTED_TEXT}` }
  }
  if (rest.length === 0) return { kind: 'invalid', message: `${transport}:// needs an address after it` }
  if (transport === 'tcp' || transport === 'udp') {
    const problem = checkTcp(rest, mode)
    return problem ? { kind: 'invalid', message: problem } : { kind: 'valid', transport }
  }
  // ipc paths are limited by sockaddr_un (107 bytes on Linux); inproc names by nothing but sanity.
  if (transport === 'ipc' && rest !== '*' && rest.length > 107) {
    return { kind: 'invalid', message: `ipc path is ${rest.length} characters; the limit is 107` }
  }
  if (transport === 'inproc' && mode === 'bind' && rest === '*') {
    return { kind: 'invalid', message: 'inproc needs a name; "*" is not allowed' }
  }
  return { kind: 'valid', transport }
}
