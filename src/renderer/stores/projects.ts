import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { errorMessage, type Bridge } from '../bridge';
import type { AppInfo, OpenedProject, ProjectHolder, RecentProject } from '../../shared/dto';

/** The open project, the recent list and the welcome screen's actions. */
export function defineProjectsStore(bridge: Bridge) {
  return defineStore('projects', () => {
    const info = ref<AppInfo | null>(null);
    const recent = ref<RecentProject[]>([]);
    const current = shallowRef<OpenedProject | null>(null);
    const busy = ref(false);
    const error = ref<string | null>(null);

    const isOpen = computed(() => current.value !== null);
    /** The other process writing to the open project, when it opened read-only (writes are refused). */
    const readOnly = computed<ProjectHolder | null>(() => current.value?.readOnly ?? null);
    const readOnlyMessage = computed(() => {
      const h = readOnly.value;
      if (!h) return null;
      const who = h.pid === null ? 'Another RNN Lab process' : `Another RNN Lab process (pid ${h.pid}${h.host ? ` on ${h.host}` : ''})`;
      return `${who} is writing to this project; it is open read-only.`;
    });

    /** How many runs of the open project train or wait to train (the runs store answers). */
    let trainingRuns: () => number = () => 0;
    /** Leaving the open project while runs train waits for the user's answer here (see LeaveProjectDialog). */
    const leaving = shallowRef<{ name: string; count: number; answer: (leave: boolean) => void } | null>(null);

    function setTrainingCheck(count: () => number): void {
      trainingRuns = count;
    }

    /** True when the open project may be left for `nextDir` (asks first while its runs train). */
    function mayLeave(nextDir?: string): Promise<boolean> {
      const open = current.value;
      if (!open || open.project.dir === nextDir) return Promise.resolve(true);
      const count = trainingRuns();
      if (count === 0) return Promise.resolve(true);
      if (leaving.value) return Promise.resolve(false); // already asking
      return new Promise((resolve) => {
        leaving.value = {
          name: open.project.name,
          count,
          answer: (leave) => {
            leaving.value = null;
            resolve(leave);
          },
        };
      });
    }

    // a second launch of the app, or this one's command line, names a project to open
    bridge.projects.onOpenRequested(({ dir }) => void open(dir));

    async function load(): Promise<void> {
      await attempt(async () => {
        const [appInfo, list] = await Promise.all([bridge.app.info(), bridge.projects.recent()]);
        info.value = appInfo;
        recent.value = list;
      });
    }

    async function create(parentDir: string, name: string): Promise<boolean> {
      if (!(await mayLeave())) return false;
      return attempt(async () => {
        const summary = await bridge.projects.create({ parentDir, name });
        current.value = await bridge.projects.open({ dir: summary.dir });
        recent.value = await bridge.projects.recent();
      });
    }

    async function open(dir: string): Promise<boolean> {
      if (!(await mayLeave(dir))) return false;
      return attempt(async () => {
        current.value = await bridge.projects.open({ dir });
        recent.value = await bridge.projects.recent();
      });
    }

    /** The bundled demo: copied into the app-data folder the first time, reopened after. */
    async function openDemo(): Promise<boolean> {
      if (!(await mayLeave())) return false;
      return attempt(async () => {
        current.value = await bridge.demo.open();
        recent.value = await bridge.projects.recent();
      });
    }

    async function pickAndOpen(): Promise<boolean> {
      if (!(await mayLeave())) return false;
      const picked = await bridge.dialog.pickFolder({ purpose: 'open-project' });
      return picked.path === null ? false : open(picked.path);
    }

    async function pickLocation(): Promise<string | null> {
      return (await bridge.dialog.pickFolder({ purpose: 'project-location' })).path;
    }

    async function forget(dir: string): Promise<void> {
      await attempt(async () => {
        recent.value = await bridge.projects.forget({ dir });
      });
    }

    /** Leaves the open project (after asking, while its runs train); false when the user stays. */
    async function close(): Promise<boolean> {
      if (!(await mayLeave())) return false;
      current.value = null;
      return true;
    }

    async function attempt(work: () => Promise<void>): Promise<boolean> {
      busy.value = true;
      error.value = null;
      try {
        await work();
        return true;
      } catch (err) {
        error.value = errorMessage(err);
        return false;
      } finally {
        busy.value = false;
      }
    }

    return { info, recent, current, busy, error, isOpen, readOnly, readOnlyMessage, load, create, open, openDemo, pickAndOpen, pickLocation, forget, close, leaving, setTrainingCheck, mayLeave };
  });
}

export type ProjectsStore = ReturnType<ReturnType<typeof defineProjectsStore>>;
