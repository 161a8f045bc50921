// The new-socket form's options as typed (strings and switches) and the SocketOptions they mean. Pure: the
// editor binds the fields, this decides what they ask libzmq for.
import type { SocketOptions } from '../../contract/schemas'
import type { SocketType } from '../../contract/views'

export type NumberOption =
  | 'linger'
  | 'sendHighWaterMark'
  | 'receiveHighWaterMark'
  | 'reconnectInterval'
  | 'reconnectMaxInterval'
  | 'heartbeatInterval'
  | 'heartbeatTimeout'
  | 'heartbeatTimeToLive'

export interface NumberField {
  option: NumberOption
  label: string
  /** The accessible name, and the name an error gives. */
  name: string
  /** libzmq's default, shown while the field is empty. */
  placeholder: string
}

/** Whole-number options, by group; an empty field means libzmq's default (the placeholder). */
export const NUMBER_GROUPS: { legend: 'Basic' | 'Queues' | 'Reconnect & heartbeat'; fields: NumberField[] }[] = [
  { legend: 'Basic', fields: [{ option: 'linger', label: 'Linger (ms)', name: 'Linger', placeholder: '0' }] },
  {
    legend: 'Queues',
    fields: [
      { option: 'sendHighWaterMark', label: 'Send HWM', name: 'Send high-water mark', placeholder: '1000' },
      { option: 'receiveHighWaterMark', label: 'Receive HWM', name: 'Receive high-water mark', placeholder: '1000' },
    ],
  },
  {
    legend: 'Reconnect & heartbeat',
    fields: [
      { option: 'reconnectInterval', label: 'Reconnect (ms)', name: 'Reconnect interval', placeholder: '100' },
      { option: 'reconnectMaxInterval', label: 'Reconnect max (ms)', name: 'Reconnect max interval', placeholder: '0' },
      { option: 'heartbeatInterval', label: 'Heartbeat (ms)', name: 'Heartbeat interval', placeholder: 'off' },
      { option: 'heartbeatTimeout', label: 'Heartbeat timeout (ms)', name: 'Heartbeat timeout', placeholder: '' },
      { option: 'heartbeatTimeToLive', label: 'Heartbeat TTL (ms)', name: 'Heartbeat TTL', placeholder: '' },
    ],
  },
]

export type Security = 'none' | 'curve-server' | 'curve-client' | 'plain-server' | 'plain-client'

/** The fields as typed: numbers as strings, where empty means "libzmq's default". */
export interface OptionsForm {
  numbers: Partial<Record<NumberOption, string>>
  routingId: string
  conflate: boolean
  immediate: boolean
  /** ROUTER only. */
  mandatory: boolean
  handover: boolean
  /** REQ only. */
  correlate: boolean
  relaxed: boolean
  /** XPUB only. */
  verbosity: 'none' | 'allSubs' | 'allSubsUnsubs'
  security: Security
  publicKey: string
  secretKey: string
  serverKey: string
  username: string
  password: string
}

export type OptionsResult = { kind: 'ok'; options: SocketOptions } | { kind: 'invalid'; message: string }

export function emptyOptionsForm(): OptionsForm {
  return {
    numbers: {},
    routingId: '',
    conflate: false,
    immediate: false,
    mandatory: false,
    handover: false,
    correlate: false,
    relaxed: false,
    verbosity: 'none',
    security: 'none',
    publicKey: '',
    secretKey: '',
    serverKey: '',
    username: '',
    password: '',
  }
}

/**
 * The options the form asks for on a socket of `type`, or the first field that is not valid. Only what was set
 * is sent (libzmq keeps its defaults for the rest), and switches of another socket type are left out: a ROUTER
 * switch ticked before the type changed to REQ must not reach the REQ.
 */
export function optionsFromForm(form: OptionsForm, type: SocketType): OptionsResult {
  const options: SocketOptions = {}
  if (form.routingId) options.routingId = form.routingId
  for (const { fields } of NUMBER_GROUPS) {
    for (const field of fields) {
      const text = (form.numbers[field.option] ?? '').trim()
      if (text === '') continue
      const value = Number(text)
      if (!Number.isInteger(value)) return { kind: 'invalid', message: `${field.name} must be a whole number` }
      options[field.option] = value
    }
  }
  if (form.conflate) options.conflate = true
  if (form.immediate) options.immediate = true
  if (type === 'router' && form.mandatory) options.routerMandatory = true
  if (type === 'router' && form.handover) options.routerHandover = true
  if (type === 'req' && form.correlate) options.reqCorrelate = true
  if (type === 'req' && form.relaxed) options.reqRelaxed = true
  if (type === 'xpub' && form.verbosity !== 'none') options.xpubVerbosity = form.verbosity
  const { publicKey, secretKey, serverKey, username, password } = form
  if (form.security === 'curve-server') options.curve = { role: 'server', publicKey, secretKey }
  if (form.security === 'curve-client') options.curve = { role: 'client', serverKey, publicKey, secretKey }
  if (form.security === 'plain-server') options.plain = { role: 'server' }
  if (form.security === 'plain-client') options.plain = { role: 'client', username, password }
  return { kind: 'ok', options }
}
