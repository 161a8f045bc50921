// zstd for MCAP chunks (compression "zstd"), from Foxglove's WebAssembly build: no native module to rebuild per
// Electron ABI and platform. Level 1: chunks are compressed on the writer thread at capture rate.
import type { Compressor } from './mcap-writer'

export async function zstdCompressor(level = 1): Promise<Compressor> {
  const zstd = await import('@foxglove/wasm-zstd')
  await zstd.isLoaded
  return (data) => ({ compression: 'zstd', data: zstd.compress(data, level) })
}
