// The one place a channel meets the engine: validate the payload against the contract, call the engine,
// answer a Result. Both hosts (Electron IPC, browser WebSocket) go through here.
import { Channel, isChannelName, type ChannelName } from '../../contract/channels'
import { parseRequest, type Request, type Response } from '../../contract/schemas'
import { failure, type Result } from '../../contract/views'
import { toContractError } from '../engine/errors'
import { startPreset } from '../engine/presets'
import { recordingHandlers } from './recording-handlers'
import { workspaceHandlers } from './workspace-handlers'
import type { Services } from './services'

type Handlers = { [C in ChannelName]: (services: Services, request: Request<C>) => Response<C> | Promise<Response<C>> }

const handlers: Handlers = {
  [Channel.engineInfo]: ({ engine, shell }) => ({ ...engine.info(), shell }),
  [Channel.socketList]: ({ engine }) => engine.list(),
  [Channel.socketCreate]: ({ engine }, r) => engine.create(r.type, r.name, r.options),
  [Channel.socketClose]: ({ engine }, r) => engine.close(r.socketId),
  [Channel.socketRename]: ({ engine }, r) => engine.rename(r.socketId, r.name),
  [Channel.socketBind]: ({ engine }, r) => engine.bind(r.socketId, r.endpoint),
  [Channel.socketConnect]: ({ engine }, r) => engine.connect(r.socketId, r.endpoint),
  [Channel.socketUnbind]: ({ engine }, r) => engine.unbind(r.socketId, r.endpoint),
  [Channel.socketDisconnect]: ({ engine }, r) => engine.disconnect(r.socketId, r.endpoint),
  [Channel.socketSetOptions]: ({ engine }, r) => engine.setOptions(r.socketId, r.options),
  [Channel.socketSubscribe]: ({ engine }, r) => engine.subscribe(r.socketId, r.prefix),
  [Channel.socketUnsubscribe]: ({ engine }, r) => engine.unsubscribe(r.socketId, r.prefix),
  [Channel.socketSend]: ({ engine }, r) => engine.send(r.socketId, r.frames),
  [Channel.logQuery]: ({ engine }, r) => engine.query(r.beforeId, r.limit, r.socketId),
  [Channel.logFrames]: ({ engine }, r) => engine.frames(r.entryId),
  [Channel.logClear]: ({ engine }) => engine.clearLog(),
  [Channel.logExport]: ({ engine }, r) => engine.exportLog(r),
  [Channel.logExportCancel]: ({ engine }, r) => engine.cancelExport(r.exportId),
  [Channel.logExportFrames]: ({ engine }, r) => engine.exportFrames(r.entryId),
  [Channel.decoderList]: ({ engine }) => engine.decoders.state(),
  [Channel.decoderAdd]: ({ engine }, r) => engine.decoders.add(r),
  [Channel.decoderRemove]: ({ engine }, r) => engine.decoders.remove(r.ruleId),
  [Channel.protoLoad]: ({ engine }, r) => engine.decoders.loadProto(r.name, r.text),
  [Channel.protoRemove]: ({ engine }, r) => engine.decoders.removeProto(r.schemaId),
  [Channel.decodeEntry]: ({ engine }, r) => engine.decodeEntry(r),
  [Channel.logMatch]: ({ engine }, r) => engine.decoders.match(r.expression, r.ids),
  [Channel.sequenceStats]: ({ engine }) => engine.decoders.sequenceStats(),
  [Channel.sequenceReset]: ({ engine }) => engine.decoders.resetSequences(),
  [Channel.plotAdd]: ({ engine }, r) => engine.decoders.addPlot(r),
  [Channel.plotRemove]: ({ engine }, r) => engine.decoders.removePlot(r.plotId),
  [Channel.plotList]: ({ engine }) => engine.decoders.plotList(),
  [Channel.jupyterOpen]: ({ engine }, r) => engine.jupyter.open(r.name, r.content, r.mode),
  [Channel.jupyterClose]: ({ engine }, r) => engine.jupyter.close(r.sessionId),
  [Channel.jupyterList]: ({ engine }) => engine.jupyter.list(),
  [Channel.jupyterThreads]: ({ engine }, r) => engine.jupyter.threads(r.sessionId),
  [Channel.captureConfigure]: ({ engine }, r) => engine.configureCapture(r.maxBytes),
  [Channel.curveKeypair]: ({ engine }) => engine.curveKeypair(),
  [Channel.presetStart]: ({ engine }, r) => startPreset(engine, r.preset),
  [Channel.tapCreate]: ({ engine }, r) => engine.taps.create(r),
  [Channel.tapClose]: ({ engine }, r) => engine.taps.close(r.tapId),
  [Channel.tapList]: ({ engine }) => engine.taps.list(),
  [Channel.tapPause]: ({ engine }, r) => engine.taps.pause(r.tapId),
  [Channel.tapResume]: ({ engine }, r) => engine.taps.resume(r.tapId),
  [Channel.tapStep]: ({ engine }, r) => engine.taps.step(r.tapId),
  [Channel.tapStats]: ({ engine }, r) => engine.taps.stats(r.tapId),
  [Channel.tapPair]: ({ engine }, r) => engine.taps.pair(r.entryId),
  ...recordingHandlers,
  ...workspaceHandlers,
  [Channel.terminalOpen]: ({ terminals }, r) => terminals.open(r.cols, r.rows, r.cwd),
  [Channel.terminalWrite]: ({ terminals }, r) => terminals.write(r.terminalId, r.data),
  [Channel.terminalResize]: ({ terminals }, r) => terminals.resize(r.terminalId, r.cols, r.rows),
  [Channel.terminalClose]: ({ terminals }, r) => terminals.close(r.terminalId),
  [Channel.terminalList]: ({ terminals }) => terminals.list(),
}

export async function dispatch(services: Services, channel: unknown, payload: unknown): Promise<Result<unknown>> {
  if (!isChannelName(channel)) {
    return failure('UNKNOWN_CHANNEL', `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`)
  }
  return invoke(services, channel, payload)
}

async function invoke<C extends ChannelName>(
  services: Services,
  channel: C,
  payload: unknown,
): Promise<Result<Response<C>>> {
  const parsed = parseRequest(channel, payload)
  if (!parsed.ok) return parsed
  try {
    const handler = handlers[channel] as (services: Services, request: Request<C>) => Response<C> | Promise<Response<C>>
    return { ok: true, value: await handler(services, parsed.value) }
  } catch (error) {
    return { ok: false, error: toContractError(error) }
  }
}
