// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import App from '../../src/renderer/App.vue';
import { createStores, storesKey } from '../../src/renderer/stores';
import { memoryBridge } from './memory-bridge';

function mountApp() {
  const { bridge, backend } = memoryBridge();
  const wrapper = mount(App, { global: { plugins: [createPinia()], provide: { [storesKey as symbol]: createStores(bridge) } }, attachTo: document.body });
  return { wrapper, backend };
}

describe('welcome screen', () => {
  it('shows the empty state with both actions when there are no recent projects', async () => {
    const { wrapper } = mountApp();
    await flushPromises();
    expect(wrapper.text()).toContain('Welcome to RNN Lab');
    expect(wrapper.text()).toContain('No recent projects');
    expect(wrapper.find('[data-testid="new-project"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="open-project"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('creates a project from the form, prefilled with the default location', async () => {
    const { wrapper, backend } = mountApp();
    await flushPromises();
    await wrapper.find('[data-testid="new-project"]').trigger('click');
    const location = wrapper.find<HTMLInputElement>('#np-location');
    expect(location.element.value).toBe('/home/ada/RNN Lab');
    expect(wrapper.find('[data-testid="create-project"]').attributes('disabled')).toBeDefined();
    await wrapper.find('#np-name').setValue('char-rnn');
    expect(wrapper.text()).toContain('/home/ada/RNN Lab/char-rnn.rnnlab');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(backend.projects.has('/home/ada/RNN Lab/char-rnn.rnnlab')).toBe(true);
    expect(wrapper.find('h1').text()).toBe('char-rnn');
    expect(wrapper.text()).toContain('Start with a dataset');
    wrapper.unmount();
  });

  it('explains an invalid name beside the field and keeps Create disabled', async () => {
    const { wrapper } = mountApp();
    await flushPromises();
    await wrapper.find('[data-testid="new-project"]').trigger('click');
    await wrapper.find('#np-name').setValue('bad:name');
    await wrapper.find('#np-name').trigger('blur');
    expect(wrapper.find('#np-name-help').text()).toMatch(/cannot contain/);
    expect(wrapper.find('#np-name').attributes('aria-invalid')).toBe('true');
    expect(wrapper.find('[data-testid="create-project"]').attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });

  it('offers the demo project first on a first launch and opens it on the generation screen', async () => {
    const { wrapper, backend } = mountApp();
    await flushPromises();
    const demo = wrapper.find('[data-testid="open-demo"]');
    expect(demo.classes()).toContain('primary');
    await demo.trigger('click');
    await flushPromises();
    expect(backend.calls).toContain('demo:open');
    expect(wrapper.text()).toContain('demo GRU');
    expect(wrapper.text()).toContain('demo-corpus.txt');
    expect(wrapper.find('#gv-prefix').exists()).toBe(true);
    wrapper.unmount();
  });
});

