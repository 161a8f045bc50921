// The recording and replay channels: a file is named inside the host's recordings folder, or picked in a
// native dialog where the host has one (Electron); the browser host has only its folder.
import { join } from 'node:path'
import { Channel } from '../../contract/channels'
import type { Request, Response } from '../../contract/schemas'
import { EngineError } from '../engine/errors'
import type { RecordingTarget } from '../engine/record/recordings'
import type { Services } from './services'

type Handler<C extends keyof RecordingChannels> = (
  services: Services,
  request: Request<RecordingChannels[C]>,
) => Promise<Response<RecordingChannels[C]>> | Response<RecordingChannels[C]>

const _recordingChannels = {
  recordingStart: Channel.recordingStart,
  recordingStop: Channel.recordingStop,
  recordingList: Channel.recordingList,
  recordingFiles: Channel.recordingFiles,
  recordingOpen: Channel.recordingOpen,
  recordingClose: Channel.recordingClose,
  recordingOpened: Channel.recordingOpened,
  recordingPage: Channel.recordingPage,
  recordingSeek: Channel.recordingSeek,
  recordingFrames: Channel.recordingFrames,
  recordingDensity: Channel.recordingDensity,
  replayStart: Channel.replayStart,
  replayStop: Channel.replayStop,
} as const
type RecordingChannels = typeof _recordingChannels

function noDialog(services: Services): never {
  throw new EngineError(
    'UNSUPPORTED',
    `this host has no file dialog; name a file in its recordings folder (${services.engine.recordings.folder})`,
  )
}

const start: Handler<'recordingStart'> = async (services, r) => {
  let target: RecordingTarget
  if (r.file?.kind === 'ask') {
    const dialogs = services.dialogs ?? noDialog(services)
    const path = await dialogs.saveRecording()
    if (path === undefined) return { kind: 'cancelled' }
    target = { kind: 'path', path }
  } else {
    target = { kind: 'folder', name: r.file?.name }
  }
  return { kind: 'started', recording: await services.engine.recordings.start(r.scope, target, r.rotation) }
}

const openRecording: Handler<'recordingOpen'> = async (services, r) => {
  let path: string
  if (r.file.kind === 'ask') {
    const dialogs = services.dialogs ?? noDialog(services)
    const chosen = await dialogs.openRecording()
    if (chosen === undefined) return { kind: 'cancelled' }
    path = chosen
  } else {
    path = join(services.engine.recordings.folder, r.file.name!)
  }
  return { kind: 'opened', recording: await services.engine.sources.open(path) }
}

export const recordingHandlers = {
  [Channel.recordingStart]: start,
  [Channel.recordingStop]: ({ engine }, r) => engine.recordings.stop(r.recordingId),
  [Channel.recordingList]: ({ engine }) => engine.recordings.list(),
  [Channel.recordingFiles]: ({ engine }) => engine.recordings.files(),
  [Channel.recordingOpen]: openRecording,
  [Channel.recordingClose]: ({ engine }, r) => {
    engine.replays.stopFrom(r.sourceId)
    return engine.sources.close(r.sourceId)
  },
  [Channel.recordingOpened]: ({ engine }) => engine.sources.list(),
  [Channel.recordingPage]: ({ engine }, r) =>
    engine.sources.read(r.sourceId, { op: 'page', from: r.from, limit: r.limit, filter: r.filter }),
  [Channel.recordingSeek]: ({ engine }, r) => engine.sources.read(r.sourceId, { op: 'seek', wall: r.wall }),
  [Channel.recordingFrames]: ({ engine }, r) => engine.sources.read(r.sourceId, { op: 'frames', position: r.position }),
  [Channel.recordingDensity]: ({ engine }, r) => engine.sources.read(r.sourceId, { op: 'density', bins: r.bins }),
  [Channel.replayStart]: ({ engine }, r) => {
    engine.describe(r.socketId)
    engine.sources.get(r.sourceId)
    return engine.replays.start(r)
  },
  [Channel.replayStop]: ({ engine }, r) => engine.replays.stop(r.replayId),
} satisfies { [C in keyof RecordingChannels as RecordingChannels[C]]: Handler<C> }
