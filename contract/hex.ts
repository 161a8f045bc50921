// Bytes as hex, the one spelling of frames, routing ids and filter prefixes wherever they are shown: two
// lowercase digits a byte. Pure and dependency-free, so the engine may use it as well as the renderer.

const DIGITS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

/** `bytes` as lowercase hex, two digits a byte, `separator` between bytes ('' by default). */
export function toHex(bytes: Uint8Array, separator = ''): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += (i > 0 ? separator : '') + DIGITS[bytes[i]!]
  return out
}
