// The workspace UI's pure parts: captured bytes made into composer frames that encode back byte-exact, saved
// messages checked and sent from the right socket, workspace names and uploads as the contract takes them, the
// layout read back from settings or a file, and the log's Export choices as log:export requests.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Channel } from '../../contract/channels'
import { parseRequest } from '../../contract/schemas'
import type { SocketSummary } from '../../contract/views'
import { encodeFrame } from '../../main/engine/codec'
import { describeChoice, exportFraction, exportRequest, nextExportId } from '../../renderer/lib/export-options'
import type { FilterFields } from '../../renderer/lib/recording-filter'
import {
  downloadHref,
  formatModified,
  inFolder,
  uploadName,
  uploadProblem,
  workspaceNameProblem,
} from '../../renderer/lib/workspace-files'
import { knownLayout, layoutFlag, layoutNumber } from '../../renderer/lib/workspace-layout'
import {
  composedFrames,
  frameInputOf,
  framesSummary,
  pickSender,
  savedMessageProblem,
} from '../../renderer/lib/workspace-messages'

const bytes = (...values: number[]) => new Uint8Array(values)
const utf8 = (text: string) => new TextEncoder().encode(text)

describe('frameInputOf: a captured frame back into the composer', () => {
  const cases: [string, Uint8Array, 'text' | 'hex' | 'base64'][] = [
    ['plain text', utf8('10001 23 45'), 'text'],
    ['JSON stays text (the json encoding would re-serialize it)', utf8('{"a": [1, 2]}'), 'text'],
    ['text with tabs and line feeds', utf8('a\tb\nc'), 'text'],
    ['non-ASCII text', utf8('Grüße, 世界'), 'text'],
    ['a leading byte order mark', bytes(0xef, 0xbb, 0xbf, 0x41), 'text'],
    ['the empty frame', bytes(), 'text'],
    ['a carriage return (a textarea would make it LF)', utf8('a\r\nb'), 'hex'],
    ['a NUL byte', bytes(0x41, 0x00, 0x42), 'hex'],
    ['invalid UTF-8', bytes(0xff, 0x00, 0xfe), 'hex'],
    ['a ROUTER routing id', bytes(0x00, 0x6b, 0x8b, 0x45, 0x67), 'hex'],
    ['large binary', new Uint8Array(5000).map((_, i) => (i * 7) & 0xff), 'base64'],
  ]
  for (const [what, frame, enc] of cases) {
    it(`${what}: ${enc}, and encodes back to the same bytes`, () => {
      const input = frameInputOf(frame)
      assert.equal(input.enc, enc)
      assert.deepEqual(new Uint8Array(encodeFrame(input)), frame)
    })
  }
})

describe('saved messages', () => {
  it('composedFrames puts a picked ROUTER peer first, as the composer sends it', () => {
    const frames = [{ enc: 'text' as const, data: 'job' }]
    assert.deepEqual(composedFrames(frames, ''), [{ enc: 'text', data: 'job' }])
    assert.deepEqual(composedFrames(frames, 'beef'), [
      { enc: 'hex', data: 'beef' },
      { enc: 'text', data: 'job' },
    ])
  })

  it('savedMessageProblem names what is wrong, frame by frame', () => {
    const ok = [{ enc: 'text' as const, data: 'x' }]
    assert.equal(savedMessageProblem('ping', ok), null)
    assert.equal(savedMessageProblem('   ', ok), 'give the message a name')
    assert.match(savedMessageProblem('x'.repeat(121), ok)!, /at most 120 characters/)
    assert.equal(savedMessageProblem('ping', []), 'a message needs at least one frame')
    assert.match(savedMessageProblem('ping', [...ok, { enc: 'hex', data: 'abc' }])!, /^frame 2: hex needs an even/)
  })

  it('pickSender: its own socket if it can send, else the composer choice, else the first', () => {
    const socket = (id: string) => ({ id, name: id }) as SocketSummary
    const sendable = [socket('s1'), socket('s2'), socket('s3')]
    assert.equal(pickSender('s3', sendable, 's2')?.id, 's3')
    assert.equal(pickSender('s9', sendable, 's2')?.id, 's2')
    assert.equal(pickSender(undefined, sendable, null)?.id, 's1')
    assert.equal(pickSender('s1', [], 's1'), undefined)
  })

  it('framesSummary shows text and names binary frames', () => {
    assert.equal(
      framesSummary([
        { enc: 'text', data: 'topic' },
        { enc: 'hex', data: 'ff00' },
      ]),
      'topic | <hex 4 chars>',
    )
    assert.equal(framesSummary([{ enc: 'text', data: 'x'.repeat(100) }], 10), `${'x'.repeat(10)}…`)
  })
})

describe('workspace files', () => {
  it('workspaceNameProblem accepts what workspace:save takes and says why not otherwise', () => {
    for (const name of ['weather-debug', 'my setup (2)', 'a.b_c+d=e@f,g']) {
      assert.equal(workspaceNameProblem(name), null, name)
      const request = { file: { kind: 'folder', name }, includeSecrets: false, ui: { savedMessages: [], layout: {} } }
      assert.equal(parseRequest(Channel.workspaceSave, request).ok, true, name)
    }
    assert.equal(workspaceNameProblem(''), 'give the workspace a name')
    for (const name of ['../etc', 'a/b', '.hidden', 'Grüße']) {
      assert.match(workspaceNameProblem(name)!, /plain file name/, name)
      const request = { file: { kind: 'folder', name }, includeSecrets: false, ui: { savedMessages: [], layout: {} } }
      assert.equal(parseRequest(Channel.workspaceSave, request).ok, false, name)
    }
  })

  it('uploadName makes any file name one workspace:open takes', () => {
    for (const [given, expected] of [
      ['setup.zeroscope', 'setup.zeroscope'],
      ['C:\\Users\\me\\Grüße.zeroscope', 'Gr__e.zeroscope'],
      ['.hidden.zeroscope', '_.hidden.zeroscope'],
      ['ü', 'upload.zeroscope'],
    ] as const) {
      const name = uploadName(given)
      assert.equal(name, expected)
      const request = { file: { kind: 'upload', name, content: '{}' } }
      assert.equal(parseRequest(Channel.workspaceOpen, request).ok, true, given)
    }
  })

  it('uploadProblem refuses a file larger than any workspace before reading it', () => {
    assert.equal(uploadProblem({ name: 'a.zeroscope', size: 1000 }), null)
    assert.match(uploadProblem({ name: 'big.zeroscope', size: 17 * 1024 * 1024 })!, /^big\.zeroscope is 17\.0 MiB/)
  })

  it('downloadHref and inFolder', () => {
    assert.equal(downloadHref('my setup.zeroscope'), '/workspaces/my%20setup.zeroscope')
    assert.equal(inFolder('/w/a.zeroscope', '/w'), true)
    assert.equal(inFolder('/w/a.zeroscope', '/w/'), true)
    assert.equal(inFolder('C:\\w\\a.zeroscope', 'C:\\w'), true)
    assert.equal(inFolder('/w/sub/a.zeroscope', '/w'), false)
    assert.equal(inFolder('/wx/a.zeroscope', '/w'), false)
    assert.equal(inFolder('upload.zeroscope', '/w'), false)
  })

  it('formatModified is a local date and time to the minute', () => {
    assert.match(formatModified(Date.now()), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
  })
})

describe('layout values', () => {
  it('are read back only when of the right type and in range', () => {
    const values = { sidebar: 400.4, big: 1e9, text: '300', open: true, nan: Number.NaN }
    assert.equal(layoutNumber(values, 'sidebar', 260, 4000), 400)
    assert.equal(layoutNumber(values, 'big', 260, 4000), undefined)
    assert.equal(layoutNumber(values, 'text', 260, 4000), undefined)
    assert.equal(layoutNumber(values, 'nan', 0, 4000), undefined)
    assert.equal(layoutNumber(values, 'missing', 0, 4000), undefined)
    assert.equal(layoutFlag(values, 'open'), true)
    assert.equal(layoutFlag(values, 'sidebar'), undefined)
  })

  it('knownLayout keeps only the keys this page writes', () => {
    assert.deepEqual(knownLayout({ sidebar: 300, terminalOpen: true, stranger: 1 }), {
      sidebar: 300,
      terminalOpen: true,
    })
    assert.equal(parseRequest(Channel.settingsSet, { layout: knownLayout({ sidebar: 300 }) }).ok, true)
  })
})

describe('export choices as log:export requests', () => {
  const none: FilterFields = { text: '', mode: 'text', socketId: '', dir: 'any', minSize: 0 }
  const fields: FilterFields = { text: '^100', mode: 'regex', socketId: 's3', dir: 'in', minSize: 10 }

  it('what the filter shows sends the filter bar fields as a RecordingFilter', () => {
    const built = exportRequest({ scope: 'shown', format: 'csv', frames: 'hex' }, fields, 'x1')
    assert.equal(built.kind, 'request')
    if (built.kind !== 'request') return
    assert.deepEqual(built.request, {
      format: 'csv',
      frames: 'hex',
      exportId: 'x1',
      filter: { socketId: 's3', dir: 'in', minSize: 10, text: { mode: 'regex', pattern: '^100' } },
    })
    assert.equal(parseRequest(Channel.logExport, built.request).ok, true)
  })

  it('everything, or no filter set, sends none; NDJSON sends no frames choice', () => {
    for (const [choice, f] of [
      [{ scope: 'all', format: 'ndjson', frames: 'hex' }, fields],
      [{ scope: 'shown', format: 'ndjson', frames: 'text' }, none],
    ] as const) {
      const built = exportRequest(choice, f, 'x2')
      assert.deepEqual(built, { kind: 'request', request: { format: 'ndjson', exportId: 'x2' } })
    }
  })

  it('an invalid regex is said, not sent', () => {
    const built = exportRequest(
      { scope: 'shown', format: 'csv', frames: 'text' },
      { ...none, text: '(', mode: 'regex' },
      'x3',
    )
    assert.equal(built.kind, 'invalid')
  })

  it('export ids are fresh and what the contract takes', () => {
    const a = nextExportId()
    const b = nextExportId()
    assert.notEqual(a, b)
    for (const id of [a, b]) assert.equal(parseRequest(Channel.logExportCancel, { exportId: id }).ok, true, id)
  })

  it('progress is a fraction of an upper bound; the choice reads in words', () => {
    assert.equal(exportFraction(50, 200), 0.25)
    assert.equal(exportFraction(300, 200), 1)
    assert.equal(exportFraction(5, 0), 0)
    assert.equal(
      describeChoice({ scope: 'shown', format: 'csv', frames: 'hex' }, true),
      'what the filter shows as CSV, frames as hex',
    )
    assert.equal(
      describeChoice({ scope: 'shown', format: 'ndjson', frames: 'text' }, false),
      'every captured message as NDJSON, frames in base64',
    )
  })
})
