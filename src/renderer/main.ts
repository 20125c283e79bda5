import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { windowBridge } from './bridge';
import { createStores, storesKey } from './stores';
import './styles/base.css';

const app = createApp(App);
app.use(createPinia());
app.provide(storesKey, createStores(windowBridge()));
app.mount('#app');
