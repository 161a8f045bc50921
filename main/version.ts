// The app's version, from package.json at build time (bundled, so it is right inside the asar too).
import pkg from '../package.json' with { type: 'json' }

export const APP_VERSION: string = pkg.version
