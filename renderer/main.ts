import { mount } from 'svelte'
import App from './App.svelte'
import './styles.css'
import { startSession } from './state/session.svelte'

const target = document.getElementById('app')
if (!target) throw new Error('missing #app')
mount(App, { target })
const stopSession = startSession()
// A dev-server reload of this module starts a new session: the old one's link and timer must not linger.
import.meta.hot?.dispose(stopSession)
