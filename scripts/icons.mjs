// Maintainer tool: renders resources/icon.svg (the one source) to the PNG set, icon.ico and icon.icns that
// electron-builder packages. Uses the same Chromium the tests use. Run after changing the SVG; commit the output.
import { chromium } from '@playwright/test'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'

const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const svg = readFileSync('resources/icon.svg', 'utf8')
const browser = await chromium.launch({
  executablePath: process.env.ZEROSCOPE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
})
const page = await browser.newPage()
const png = {}
for (const size of SIZES) {
  await page.setViewportSize({ width: size, height: size })
  await page.setContent(
    `<body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body>`,
  )
  png[size] = await page.screenshot({ omitBackground: true })
}
await browser.close()

mkdirSync('resources/icons', { recursive: true })
for (const size of SIZES) writeFileSync(`resources/icons/${size}x${size}.png`, png[size])
writeFileSync('resources/icon.png', png[1024])

// ICO with PNG-compressed entries (Vista+): header, directory, then the PNGs.
const icoSizes = [16, 24, 32, 48, 64, 128, 256]
const header = Buffer.alloc(6 + 16 * icoSizes.length)
header.writeUInt16LE(0, 0)
header.writeUInt16LE(1, 2)
header.writeUInt16LE(icoSizes.length, 4)
let offset = header.length
icoSizes.forEach((size, i) => {
  const entry = 6 + 16 * i
  header.writeUInt8(size === 256 ? 0 : size, entry)
  header.writeUInt8(size === 256 ? 0 : size, entry + 1)
  header.writeUInt16LE(1, entry + 4)
  header.writeUInt16LE(32, entry + 6)
  header.writeUInt32LE(png[size].length, entry + 8)
  header.writeUInt32LE(offset, entry + 12)
  offset += png[size].length
})
writeFileSync('resources/icon.ico', Buffer.concat([header, ...icoSizes.map((s) => png[s])]))

// ICNS with PNG entries: 'icns' + total length, then (type, length, png) per size.
const icnsTypes = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
]
const chunks = icnsTypes.map(([type, size]) => {
  const head = Buffer.alloc(8)
  head.write(type, 0, 'ascii')
  head.writeUInt32BE(png[size].length + 8, 4)
  return Buffer.concat([head, png[size]])
})
const body = Buffer.concat(chunks)
const icnsHead = Buffer.alloc(8)
icnsHead.write('icns', 0, 'ascii')
icnsHead.writeUInt32BE(body.length + 8, 4)
writeFileSync('resources/icon.icns', Buffer.concat([icnsHead, body]))
console.log(`wrote ${SIZES.length} PNGs, icon.png, icon.ico, icon.icns`)
