// `npm run dist` / `npm run dist:dir`: build the app, then package it with electron-builder for this OS.
// electron-builder downloads Electron unless ZEROSCOPE_ELECTRON_DIST names an unpacked Electron folder.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const dirOnly = process.argv.includes('--dir')
const electronDist = process.env.ZEROSCOPE_ELECTRON_DIST

const run = (args) => spawnSync(process.execPath, args, { stdio: 'inherit' }).status === 0

if (!run(['node_modules/electron-vite/bin/electron-vite.js', 'build'])) process.exit(1)

const args = ['node_modules/electron-builder/cli.js', '--config', 'electron-builder.config.cjs', '--publish', 'never']
if (dirOnly) args.push('--dir')
if (electronDist) {
  if (!existsSync(electronDist)) {
    console.error(`ZEROSCOPE_ELECTRON_DIST=${electronDist} does not exist`)
    process.exit(1)
  }
  args.push(`-c.electronDist=${electronDist}`)
} else {
  console.log(
    'dist: electron-builder will download Electron for the target platform (needs access to GitHub or ' +
      '$ELECTRON_MIRROR). To build offline, point ZEROSCOPE_ELECTRON_DIST at an unpacked Electron folder.',
  )
}
process.exit(run(args) ? 0 : 1)
