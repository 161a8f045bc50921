// The import graph of the app's own code (main/, contract/, preload/, renderer/, .ts and .svelte), checked by
// `npm run lint`: no cycles and no upward imports. eslint's no-restricted-imports says which packages a layer may
// use; this says how our folders may depend on each other, on resolved paths, so a relative path that climbs
// around a pattern is still caught. Type-only imports count: a type cycle is still a tangle between two modules.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a cycle makes load order matter and the two modules one: move what both need into a third',
      from: {},
      to: { circular: true },
    },
    {
      name: 'contract-is-the-ground-floor',
      severity: 'error',
      comment: 'contract/ is shared by every bundle: it imports nothing from main, preload or renderer',
      from: { path: '^contract/' },
      to: { path: '^(main|preload|renderer)/' },
    },
    {
      name: 'engine-never-sees-the-hosts',
      severity: 'error',
      comment: 'main/engine and main/terminal run behind both hosts: the hosts import them, never the reverse',
      from: { path: '^main/(engine|terminal)/' },
      to: { path: '^main/(host/|index\\.ts$|serve\\.ts$|menu\\.ts$|file-dialogs\\.ts$|window-security\\.ts$)' },
    },
    {
      name: 'renderer-never-enters-main',
      severity: 'error',
      comment: 'main and renderer meet only in the contract (and, in Electron, through the preload bridge)',
      from: { path: '^main/' },
      to: { path: '^renderer/' },
    },
    {
      name: 'main-never-enters-the-renderer-bundle',
      severity: 'error',
      comment: 'main-process code in the page would be dead weight at best, Node in the sandbox at worst',
      from: { path: '^renderer/' },
      to: { path: '^main/' },
    },
    {
      name: 'preload-is-only-the-bridge',
      severity: 'error',
      comment: 'the preload exposes the contract bridge; it takes nothing from main or renderer',
      from: { path: '^preload/' },
      to: { path: '^(main|renderer)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist|node_modules)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.svelte'] },
    // Re-cruises only when a file's content (or this config) changed: about 1.5 s instead of 2.5-3.5 s here.
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
  },
}
