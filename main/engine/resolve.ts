// Host name check for tcp connects: libzmq takes any name and retries for ever if it does not resolve, which
// looks like a hang; an inspector should say "no such host" at once.
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { EngineError } from './errors'

export async function assertResolvable(endpoint: string): Promise<void> {
  const match = /^tcp:\/\/(?:[^;]*;)?(.+):[^:]+$/.exec(endpoint)
  const host = match?.[1]
  if (!host || host === '*' || isIP(host) !== 0 || host.startsWith('[')) return
  try {
    await lookup(host)
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'ENOTFOUND'
    throw new EngineError(
      'ZMQ_ERROR',
      `connect ${endpoint}: cannot resolve host "${host}" (${code}); check the name`,
      'ENOTFOUND',
    )
  }
}
