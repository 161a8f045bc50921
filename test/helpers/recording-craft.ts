// Bad recordings made on purpose: an MCAP file of another program (written with @mcap/core's own McapWriter),
// one of ours from a newer format, cut and damaged copies of a good one.
import { McapIndexedReader, McapWriter } from '@mcap/core'
import { FileHandleReadable, FileHandleWritable } from '@mcap/nodejs'
import { loadDecompressHandlers } from '@mcap/support'
import { open } from 'node:fs/promises'
import { MULTIPART_ENCODING, RECORDING_PROFILE, TOPOLOGY_METADATA } from '../../contract/recordings'
import { FlushableMcapWriter, NO_COMPRESSION } from '../../main/engine/record/mcap-writer'
import { encodeMultipart } from '../../main/engine/record/multipart'

/** A ROS 2 style MCAP: a schema, a channel, `count` messages; without its summary when `finish` is false. */
export async function writeForeignMcap(path: string, count: number, finish = true): Promise<void> {
  const handle = await open(path, 'wx')
  try {
    const writer = new McapWriter({ writable: new FileHandleWritable(handle), chunkSize: 4096 })
    await writer.start({ profile: 'ros2', library: 'rosbag2 test' })
    const schemaId = await writer.registerSchema({
      name: 'std_msgs/msg/String',
      encoding: 'ros2msg',
      data: new TextEncoder().encode('string data'),
    })
    const channelId = await writer.registerChannel({
      topic: '/chatter',
      schemaId,
      messageEncoding: 'cdr',
      metadata: new Map(),
    })
    for (let i = 0; i < count; i++) {
      const t = BigInt(Date.now()) * 1_000_000n + BigInt(i)
      await writer.addMessage({ channelId, sequence: i, logTime: t, publishTime: t, data: new Uint8Array(64) })
    }
    if (finish) await writer.end()
  } finally {
    await handle.close()
  }
}

/** A file ZeroScope would write, but saying it is recording format `formatVersion`. */
export async function writeZeroScopeMcap(path: string, formatVersion: string, count = 10): Promise<void> {
  const handle = await open(path, 'wx')
  try {
    const writer = new FlushableMcapWriter(handle, { chunkBytes: 1 << 20, compress: NO_COMPRESSION })
    await writer.start({ profile: RECORDING_PROFILE, library: 'ZeroScope 99.0.0' })
    await writer.addMetadata({
      name: TOPOLOGY_METADATA,
      metadata: new Map([
        ['formatVersion', formatVersion],
        ['sockets', '[]'],
      ]),
    })
    const metadata = new Map([
      ['socketId', 's1'],
      ['name', 'future'],
      ['type', 'pull'],
      ['dir', 'in'],
    ])
    writer.addChannel({ id: 2, schemaId: 0, topic: 's1/in', messageEncoding: MULTIPART_ENCODING, metadata })
    for (let i = 0; i < count; i++) {
      const t = BigInt(Date.now()) * 1_000_000n + BigInt(i)
      await writer.addMessage({
        channelId: 2,
        sequence: i,
        logTime: t,
        publishTime: t,
        data: encodeMultipart([Buffer.from(`message ${i}`)]),
      })
    }
    await writer.end()
  } finally {
    await handle.close()
  }
}

/** Where each chunk of a whole file is: [start, length] in bytes, in file order. */
export async function chunkSpans(path: string): Promise<[number, number][]> {
  const handle = await open(path, 'r')
  try {
    const reader = await McapIndexedReader.Initialize({
      readable: new FileHandleReadable(handle),
      decompressHandlers: await loadDecompressHandlers(),
    })
    return reader.chunkIndexes
      .map((c): [number, number] => [Number(c.chunkStartOffset), Number(c.chunkLength)])
      .sort((a, b) => a[0] - b[0])
  } finally {
    await handle.close()
  }
}
