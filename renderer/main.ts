import { mount, unmount } from 'svelte'
import App from './App.svelte'
import './styles.css'
import { startSession } from './state/session.svelte'

const target = document.getElementById('app')
if (!target) throw new Error('missing #app')
const app = mount(App, { target })
const stopSession = startSession()
// A dev-server reload of this module starts a new page: the old one's link, timers and views must not linger.
// Unmounting runs every component's teardown (its timers, xterm views and their listeners); stopping the session
// releases the link, the event subscription and the rate timer.
import.meta.hot?.dispose(() => {
  void unmount(app)
  stopSession()
})
