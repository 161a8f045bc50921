/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { ZeroscopeBridge } from '../contract/bridge'

declare global {
  interface Window {
    /** Present in the Electron host (exposed by the preload); absent in the browser host. */
    zeroscope?: ZeroscopeBridge
  }
}
