import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { Bridge } from '../bridge';
import type { DatasetSummary } from '../../shared/dto';
import type { DatasetRecord, ImportProgress, VocabularyView } from '../../shared/datasets';
import { importErrorMessage, plainError } from '../lib/plain-errors';
import type { ProjectsStore } from './projects';
import type { NavigationStore, ToastsStore } from './types';
import { deleteFromListWithUndo } from './list-delete';

export interface VocabularyQuery {
  tokenizer: 'char' | 'word';
  cleaning: 'none' | 'letters';
  minFreq: number;
}

export const VOCAB_DEBOUNCE_MS = 200;

/** The project's datasets: list, records, import with progress, the live vocabulary and preview. */
export function defineDatasetsStore(bridge: Bridge, useProjects: () => ProjectsStore, useNavigation: () => NavigationStore, useToasts: () => ToastsStore) {
  return defineStore('datasets', () => {
    const projects = useProjects();
    const list = ref<DatasetSummary[]>([]);
    const records = shallowRef<Record<string, DatasetRecord>>({});
    const loadErrors = ref<Record<string, string>>({});
    const importing = ref<{ filePath: string; bytesRead: number; totalBytes: number } | null>(null);
    const importError = ref<string | null>(null);
    const vocabulary = shallowRef<VocabularyView | null>(null);
    const vocabularyError = ref<string | null>(null);
    const vocabularyLoading = ref(false);
    const preview = shallowRef<{ datasetId: string; cleaning: string; text: string; truncated: boolean; lettersKept?: number } | null>(null);
    const previewError = ref<string | null>(null);

    const dir = computed(() => projects.current?.project.dir ?? null);

    watch(
      () => projects.current,
      (opened, before) => {
        if (opened?.project.dir === before?.project.dir && before) return;
        list.value = opened ? [...opened.datasets] : [];
        records.value = {};
        loadErrors.value = {};
        vocabulary.value = null;
        preview.value = null;
        importError.value = null;
      },
      { immediate: true },
    );

    bridge.datasets.onImportProgress((p: ImportProgress) => {
      if (p.projectDir !== dir.value || !importing.value || importing.value.filePath !== p.filePath) return;
      importing.value = { filePath: p.filePath, bytesRead: p.bytesRead, totalBytes: p.totalBytes };
    });

    async function load(datasetId: string): Promise<DatasetRecord | null> {
      if (!dir.value) return null;
      if (records.value[datasetId]) return records.value[datasetId]!;
      try {
        const record = await bridge.datasets.get({ projectDir: dir.value, datasetId });
        records.value = { ...records.value, [datasetId]: record };
        return record;
      } catch (err) {
        loadErrors.value = { ...loadErrors.value, [datasetId]: plainError(err) };
        return null;
      }
    }

    /** Imports a file by path (from the dialog or a drop). Resolves to the new dataset's id. */
    async function importPath(filePath: string): Promise<string | null> {
      if (!dir.value || importing.value) return null;
      importing.value = { filePath, bytesRead: 0, totalBytes: 0 };
      importError.value = null;
      try {
        const record = await bridge.datasets.import({ projectDir: dir.value, filePath });
        records.value = { ...records.value, [record.id]: record };
        list.value = [...list.value.filter((d) => d.id !== record.id), { id: record.id, name: record.name, kind: record.kind }];
        return record.id;
      } catch (err) {
        importError.value = `Could not import ${baseName(filePath)}. ${importErrorMessage(err)}`;
        return null;
      } finally {
        importing.value = null;
      }
    }

    async function pickAndImport(): Promise<string | null> {
      const picked = await bridge.dialog.pickFile({ purpose: 'dataset' });
      return picked.path === null ? null : importPath(picked.path);
    }

    let vocabTimer: ReturnType<typeof setTimeout> | undefined;
    let vocabSeq = 0;
    /** Asks for the vocabulary a tokenizer/cleaning/min_freq gives, debounced while a slider moves. */
    function queryVocabulary(datasetId: string, q: VocabularyQuery, delayMs = VOCAB_DEBOUNCE_MS): Promise<void> {
      clearTimeout(vocabTimer);
      const seq = ++vocabSeq;
      vocabularyLoading.value = true;
      return new Promise((resolve) => {
        vocabTimer = setTimeout(async () => {
          if (!dir.value) return resolve();
          try {
            const view = await bridge.datasets.vocabulary({ projectDir: dir.value, datasetId, ...q });
            if (seq === vocabSeq) {
              vocabulary.value = view;
              vocabularyError.value = null;
            }
          } catch (err) {
            if (seq === vocabSeq) vocabularyError.value = plainError(err);
          } finally {
            if (seq === vocabSeq) vocabularyLoading.value = false;
            resolve();
          }
        }, delayMs);
      });
    }

    async function loadPreview(datasetId: string, cleaning: 'none' | 'letters'): Promise<void> {
      if (!dir.value) return;
      try {
        const p = await bridge.datasets.preview({ projectDir: dir.value, datasetId, cleaning, maxChars: 4000 });
        preview.value = { datasetId, cleaning, ...p };
        previewError.value = null;
      } catch (err) {
        previewError.value = plainError(err);
      }
    }

    async function rename(datasetId: string, name: string): Promise<boolean> {
      const before = list.value.find((d) => d.id === datasetId);
      if (!dir.value || !before || before.name === name.trim()) return false;
      const toasts = useToasts();
      try {
        await applyName(datasetId, name);
        toasts.show(`Renamed “${before.name}” to “${name.trim()}”.`, { action: { label: 'Undo', run: () => void applyName(datasetId, before.name) } });
        return true;
      } catch (err) {
        toasts.show(plainError(err), { kind: 'error' });
        return false;
      }
    }

    async function applyName(datasetId: string, name: string): Promise<void> {
      const record = await bridge.datasets.rename({ projectDir: dir.value!, datasetId, name: name.trim() });
      records.value = { ...records.value, [datasetId]: record };
      list.value = list.value.map((d) => (d.id === datasetId ? { ...d, name: record.name } : d));
    }

    /** Deletes after the undo window; the dataset disappears from the lists at once. */
    function remove(datasetId: string): void {
      const projectDir = dir.value;
      if (!projectDir) return;
      deleteFromListWithUndo({
        kind: 'dataset', list, id: datasetId, toasts: useToasts(), navigation: useNavigation(),
        commit: async () => {
          await bridge.datasets.delete({ projectDir, datasetId });
        },
        stillOpen: () => dir.value === projectDir,
      });
    }

    return { list, records, loadErrors, importing, importError, vocabulary, vocabularyError, vocabularyLoading, preview, previewError, load, importPath, pickAndImport, queryVocabulary, loadPreview, rename, remove };
  });
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
