// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ExportDialog from '../../src/renderer/components/ExportDialog.vue';
import type { RunSummaryDto } from '../../src/shared/runs';
import { memoryBridge } from './memory-bridge';

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

const RUN: RunSummaryDto = { id: 'run-b', name: 'From the cluster', state: 'done', created: '2026-12-02T10:00:00.000Z', message: null, progress: null, bestValPerplexity: 4.2 };

describe('the export dialog’s "Train elsewhere" actions', () => {
  it('writes a text run’s folder through export:pytorchRun and says what to run there', async () => {
    const { bridge, backend } = memoryBridge({
      'export:pytorchRun': async () => ({ path: '/home/u/run-pytorch', files: [{ path: '/home/u/run-pytorch/train.py', bytes: 1000 }, { path: '/home/u/run-pytorch/train.bin', bytes: 3000 }] }),
    });
    wrapper = mount(ExportDialog, { props: { bridge, projectDir: '/p.rnnlab', mode: 'export', runId: 'run-a', runName: 'Run A', checkpoints: [] }, attachTo: document.body });
    await wrapper.get('[data-testid="export-train-elsewhere"]').trigger('click');
    await flushPromises();
    expect(backend.requests.filter((r) => r.channel === 'export:pytorchRun').map((r) => r.payload)).toEqual([{ projectDir: '/p.rnnlab', runId: 'run-a' }]);
    expect(wrapper.get('[data-testid="export-done"]').text()).toContain('Saved 2 files in /home/u/run-pytorch');
    expect(wrapper.get('[data-testid="export-done"]').text()).toContain('python train.py');
  });

  it('offers no "Train elsewhere" for a forecast run', () => {
    const { bridge } = memoryBridge();
    wrapper = mount(ExportDialog, { props: { bridge, projectDir: '/p.rnnlab', mode: 'export', runId: 'run-a', checkpoints: [], forecast: true }, attachTo: document.body });
    expect(wrapper.find('[data-testid="export-train-elsewhere"]').exists()).toBe(false);
  });

  it('imports a PyTorch run with the typed name and reports the new run; a cancelled folder dialog emits nothing', async () => {
    let answer: RunSummaryDto | null = null;
    const { bridge, backend } = memoryBridge({ 'import:pytorchRun': async () => ({ run: answer }) });
    wrapper = mount(ExportDialog, { props: { bridge, projectDir: '/p.rnnlab', mode: 'import' }, attachTo: document.body });
    await wrapper.get('[data-testid="import-pytorch-run"]').trigger('click');
    await flushPromises();
    expect(wrapper.emitted('imported')).toBeUndefined();
    answer = RUN;
    await wrapper.get('[data-testid="import-name"]').setValue('From the cluster');
    await wrapper.get('[data-testid="import-pytorch-run"]').trigger('click');
    await flushPromises();
    expect(backend.requests.filter((r) => r.channel === 'import:pytorchRun').map((r) => r.payload)).toEqual([{ projectDir: '/p.rnnlab' }, { projectDir: '/p.rnnlab', name: 'From the cluster' }]);
    expect(wrapper.emitted('imported')).toEqual([[RUN]]);
  });
});
