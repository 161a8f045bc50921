import { mount } from 'svelte'
import App from './App.svelte'
import './styles.css'
import { startSession } from './state/session.svelte'

const target = document.getElementById('app')
if (!target) throw new Error('missing #app')
mount(App, { target })
void startSession()
