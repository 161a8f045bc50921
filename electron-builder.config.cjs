// Installers: `npm run dist` (all targets for this OS) or `npm run dist:dir` (unpacked, for inspection).
// A CommonJS module rather than YAML so the packaging test can load and check exactly this object.

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'dev.zeroscope.app',
  productName: 'ZeroScope',
  copyright: 'Copyright © 2026 The ZeroScope authors',
  directories: { output: 'dist', buildResources: 'resources' },
  // Only the built app and production dependencies; sources, tests and tooling stay out.
  files: ['out/**', 'package.json', '!**/*.map'],
  // Native modules cannot be loaded from inside an asar archive.
  asarUnpack: ['**/*.node', 'node_modules/zeromq/**', 'node_modules/node-pty/**'],
  // zeromq and node-pty are N-API addons: binaries built for Node load in Electron unchanged, so no rebuild
  // (which would need Electron's headers from the network).
  npmRebuild: false,
  // Electron fuses, flipped in the packaged binary: switches an attacker with access to the app's environment or
  // files would otherwise use to run code inside the signed app.
  electronFuses: {
    // ELECTRON_RUN_AS_NODE would turn the app into a plain Node; the app never forks itself (no process.fork).
    runAsNode: false,
    // NODE_OPTIONS / NODE_EXTRA_CA_CERTS and --inspect / SIGUSR1 would inject code or a debugger into main.
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    // Only the packaged app.asar is loaded, and (macOS, Windows) only if its integrity matches what
    // electron-builder embedded at build time; Linux ignores the integrity fuse.
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    // Kept on, deliberately: the window loads out/renderer/index.html from inside app.asar over file://, and with
    // this fuse off Electron neither reads file:// URLs inside the asar nor lets a file:// page load its module
    // scripts. Turning it off needs the renderer served from a custom protocol (protocol.handle) first.
    grantFileProtocolExtraPrivileges: true,
  },
  // Double-clicking a workspace or a recording opens it in the app (it arrives as a command-line argument).
  fileAssociations: [
    {
      ext: 'zeroscope',
      name: 'ZeroScope workspace',
      description: 'ZeroScope workspace',
      mimeType: 'application/x-zeroscope-workspace',
      role: 'Editor',
    },
    {
      ext: 'mcap',
      name: 'MCAP recording',
      description: 'MCAP recording',
      mimeType: 'application/x-mcap',
      role: 'Viewer',
    },
  ],
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    icon: 'resources/icons',
    synopsis: 'Inspector for ZeroMQ topologies',
    description: 'Create ZeroMQ sockets of any pattern, connect them to running services, send and watch messages.',
    maintainer: 'ZeroScope authors <zeroscope@users.noreply.github.com>',
  },
  mac: { target: 'dmg', category: 'public.app-category.developer-tools', icon: 'resources/icon.icns' },
  win: { target: 'nsis', icon: 'resources/icon.ico' },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
}
