// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ModalDialog from '../../src/renderer/components/ModalDialog.vue';
import { createModalStack, modalStack, nextFocus } from '../../src/renderer/lib/modal-stack';

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

/** A page with an opener button, a dialog with three controls, and a second dialog the first can open. */
const Page = defineComponent({
  setup() {
    const open = ref(false);
    const inner = ref(false);
    const closes = ref(0);
    return () =>
      h('div', [
        h('button', { id: 'opener', onClick: () => (open.value = true) }, 'Open'),
        open.value
          ? h(ModalDialog, { labelledby: 't1', onClose: () => ((open.value = false), closes.value++) }, () => [
              h('h2', { id: 't1' }, 'First'),
              h('input', { id: 'a' }),
              h('button', { id: 'b', disabled: true }, 'disabled'),
              h('button', { id: 'c', onClick: () => (inner.value = true) }, 'More'),
              h('button', { id: 'd' }, 'Done'),
            ])
          : null,
        inner.value
          ? h(ModalDialog, { labelledby: 't2', onClose: () => (inner.value = false) }, () => [h('h2', { id: 't2' }, 'Second'), h('button', { id: 'x' }, 'Only')])
          : null,
        h('span', { id: 'closes' }, String(closes.value)),
      ]);
  },
});

const key = (k: string, shift = false) => document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey: shift, bubbles: true, cancelable: true }));
const focused = () => (document.activeElement as HTMLElement | null)?.id;

async function openFirst() {
  wrapper = mount(Page, { attachTo: document.body });
  const opener = document.getElementById('opener')!;
  opener.focus();
  opener.click();
  await flushPromises();
  return wrapper;
}

describe('ModalDialog', () => {
  it('focuses its first control and keeps Tab and Shift+Tab inside, skipping disabled controls', async () => {
    await openFirst();
    expect(focused()).toBe('a');
    key('Tab');
    expect(focused()).toBe('c');
    key('Tab');
    expect(focused()).toBe('d');
    key('Tab');
    expect(focused()).toBe('a');
    key('Tab', true);
    expect(focused()).toBe('d');
  });

  it('closes on Escape and gives focus back to the control that opened it', async () => {
    const w = await openFirst();
    key('Escape');
    await flushPromises();
    expect(w.find('[role="dialog"]').exists()).toBe(false);
    expect(w.find('#closes').text()).toBe('1');
    expect(focused()).toBe('opener');
    expect(modalStack.size).toBe(0);
  });

  it('stacks a dialog opened from another above it: Escape closes only the top one, focus returns inside the first', async () => {
    const w = await openFirst();
    (document.getElementById('c') as HTMLButtonElement).focus();
    document.getElementById('c')!.click();
    await flushPromises();
    expect(focused()).toBe('x');
    const [first, second] = w.findAll('.modal-backdrop');
    expect(Number((second!.element as HTMLElement).style.zIndex)).toBeGreaterThan(Number((first!.element as HTMLElement).style.zIndex));
    key('Tab');
    expect(focused()).toBe('x'); // the top dialog keeps Tab to itself
    key('Escape');
    await flushPromises();
    expect(w.findAll('[role="dialog"]')).toHaveLength(1);
    expect(w.find('#closes').text()).toBe('0');
    expect(focused()).toBe('c');
    key('Escape');
    await flushPromises();
    expect(focused()).toBe('opener');
  });

  it('closes on a click on the backdrop, not on the panel', async () => {
    const w = await openFirst();
    await w.find('.modal').trigger('click');
    expect(w.find('[role="dialog"]').exists()).toBe(true);
    await w.find('.modal-backdrop').trigger('click');
    expect(w.find('[role="dialog"]').exists()).toBe(false);
  });
});

describe('modal stack', () => {
  it('moves Tab round from the last control to the first and back', () => {
    const items = ['p', 'q', 'r'].map((id) => Object.assign(document.createElement('button'), { id }));
    expect(nextFocus(items, items[2]!, false)!.id).toBe('p');
    expect(nextFocus(items, items[0]!, true)!.id).toBe('r');
    expect(nextFocus(items, null, false)!.id).toBe('p');
    expect(nextFocus([], null, false)).toBeNull();
  });

  it('does not move focus when a dialog under the top one closes first', () => {
    const stack = createModalStack();
    const a = Object.assign(document.createElement('button'), { id: 'under-opener' });
    const b = Object.assign(document.createElement('button'), { id: 'top-opener' });
    document.body.append(a, b);
    const under = stack.push(a);
    const top = stack.push(b);
    b.focus();
    stack.pop(under);
    expect(focused()).toBe('top-opener');
    expect(stack.isTop(top)).toBe(true);
    stack.pop(top);
    expect(stack.size).toBe(0);
  });
});
