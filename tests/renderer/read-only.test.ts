// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createStores } from '../../src/renderer/stores';
import { DIR, closeApp, openApp } from './app-harness';
import { memoryBridge } from './memory-bridge';
import { runDetail, textDataset } from './fixtures';

afterEach(closeApp);

const seed = () => ({ datasets: [textDataset('tm', 'timemachine.txt')], runs: [runDetail('a', { state: 'done' })] });

const button = (w: VueWrapper, text: string) => w.findAll('button').find((b) => b.text().startsWith(text))!;

describe('a project open read-only', () => {
  it('shows a banner naming the process that writes to it, and disables the write actions', async () => {
    const { w } = await openApp(seed(), { readOnly: { pid: 4242, host: 'lab-1', since: '2026-12-01T10:00:00.000Z' } });
    expect(w.find('[data-testid="read-only-banner"]').text()).toContain('Another RNN Lab process (pid 4242 on lab-1) is writing to this project; it is open read-only.');
    for (const label of ['Import dataset…', 'Import weights…', 'New run…', 'Train on it…']) expect(button(w, label).attributes('disabled'), label).toBeDefined();
    expect(w.find('[aria-label="Import a dataset"]').attributes('disabled')).toBeDefined();
    expect(w.find('[aria-label="New run"]').attributes('disabled')).toBeDefined();
    expect(w.find('[aria-label="Delete run a"]').exists()).toBe(false);
    expect(w.find('[aria-label="Rename dataset timemachine.txt"]').exists()).toBe(false);
  });

  it('shows no banner and leaves the actions enabled when this process may write', async () => {
    const { w } = await openApp(seed(), { readOnly: null });
    expect(w.find('[data-testid="read-only-banner"]').exists()).toBe(false);
    expect(button(w, 'Import dataset…').attributes('disabled')).toBeUndefined();
    expect(w.find('[aria-label="Delete run a"]').exists()).toBe(true);
  });
});

describe('a launch that names a project', () => {
  it('opens the project the main process asks for', async () => {
    setActivePinia(createPinia());
    const { bridge, backend } = memoryBridge();
    backend.seedProject(DIR, {});
    const projects = createStores(bridge).useProjects();
    backend.emit('projects:openRequested', { dir: DIR });
    await flushPromises();
    expect(projects.current?.project.dir).toBe(DIR);
  });
});
