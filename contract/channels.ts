// The only place channel strings are spelled. Pure constants: the renderer, preload and hosts import these.
import type { EngineEvent, Result } from './views'

export const Channel = {
  engineInfo: 'engine:info',
  socketList: 'socket:list',
  socketCreate: 'socket:create',
  socketClose: 'socket:close',
  socketRename: 'socket:rename',
  socketBind: 'socket:bind',
  socketConnect: 'socket:connect',
  socketUnbind: 'socket:unbind',
  socketDisconnect: 'socket:disconnect',
  socketSetOptions: 'socket:set-options',
  socketSubscribe: 'socket:subscribe',
  socketUnsubscribe: 'socket:unsubscribe',
  socketSend: 'socket:send',
  logQuery: 'log:query',
  logFrames: 'log:frames',
  logClear: 'log:clear',
  logExport: 'log:export',
  logExportCancel: 'log:export-cancel',
  logExportFrames: 'log:export-frames',
  captureConfigure: 'capture:configure',
  curveKeypair: 'curve:keypair',
  presetStart: 'preset:start',
  tapCreate: 'tap:create',
  tapClose: 'tap:close',
  tapList: 'tap:list',
  tapPause: 'tap:pause',
  tapResume: 'tap:resume',
  tapStep: 'tap:step',
  tapStats: 'tap:stats',
  tapPair: 'tap:pair',
  recordingStart: 'recording:start',
  recordingStop: 'recording:stop',
  recordingList: 'recording:list',
  recordingFiles: 'recording:files',
  recordingOpen: 'recording:open',
  recordingClose: 'recording:close',
  recordingOpened: 'recording:opened',
  recordingPage: 'recording:page',
  recordingSeek: 'recording:seek',
  recordingFrames: 'recording:frames',
  recordingDensity: 'recording:density',
  replayStart: 'replay:start',
  replayStop: 'replay:stop',
  workspaceSave: 'workspace:save',
  workspaceOpen: 'workspace:open',
  workspaceNew: 'workspace:new',
  workspaceFiles: 'workspace:files',
  workspaceCurrent: 'workspace:current',
  settingsGet: 'settings:get',
  settingsSet: 'settings:set',
  decoderList: 'decoder:list',
  decoderAdd: 'decoder:add',
  decoderRemove: 'decoder:remove',
  protoLoad: 'proto:load',
  protoRemove: 'proto:remove',
  decodeEntry: 'decode:entry',
  logMatch: 'log:match',
  sequenceStats: 'sequence:stats',
  sequenceReset: 'sequence:reset',
  plotAdd: 'plot:add',
  plotRemove: 'plot:remove',
  plotList: 'plot:list',
  jupyterOpen: 'jupyter:open',
  jupyterClose: 'jupyter:close',
  jupyterList: 'jupyter:list',
  jupyterThreads: 'jupyter:threads',
  terminalOpen: 'terminal:open',
  terminalWrite: 'terminal:write',
  terminalResize: 'terminal:resize',
  terminalClose: 'terminal:close',
  terminalList: 'terminal:list',
} as const

export type ChannelName = (typeof Channel)[keyof typeof Channel]

export const CHANNEL_NAMES: readonly ChannelName[] = Object.values(Channel)

/** Electron IPC channel on which the engine's events reach the renderer. */
export const EVENT_CHANNEL = 'zeroscope:event'

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (CHANNEL_NAMES as readonly string[]).includes(value)
}

/** The browser host's WebSocket path; the page's bridge connects here. */
export const WS_PATH = '/ws'

/**
 * The browser host's download path for a file of its recordings folder: `RECORDINGS_PATH + name`, token-gated
 * like every other request. Electron has no such path: the files are on the user's own disk.
 */
export const RECORDINGS_PATH = '/recordings/'
/** Likewise for the workspaces folder. */
export const WORKSPACES_PATH = '/workspaces/'

/** WebSocket frames, page -> host: one request per frame, answered by id. */
export interface WsRequestFrame {
  id: number | string
  channel: string
  payload: unknown
}

/** WebSocket frames, host -> page: the answer to a request (id null when the request had none) or an event. */
export type WsServerFrame = { id: number | string | null; result: Result<unknown> } | { event: EngineEvent }
