import { ref } from 'vue';
import type { ChartTheme } from './line-option';

/** Chart colours read from the CSS theme variables, refreshed when the OS switches light/dark. */
export const chartTheme = ref<ChartTheme>(readTheme());
export const palette = ref<string[]>(readPalette());

function css(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function readTheme(): ChartTheme {
  return { text: css('--text', '#1d2026'), muted: css('--muted', '#5f6673'), grid: css('--border', '#d9dde3'), panel: css('--panel', '#ffffff') };
}

function readPalette(): string[] {
  return Array.from({ length: 8 }, (_, i) => css(`--series-${i + 1}`, ['#2f6fde', '#e8590c', '#2b8a3e', '#ae3ec9', '#c92a2a', '#1098ad', '#e67700', '#5c7cfa'][i]!));
}

if (typeof window !== 'undefined' && window.matchMedia) {
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener?.('change', () => {
    chartTheme.value = readTheme();
    palette.value = readPalette();
  });
}

export function seriesColor(i: number): string {
  return palette.value[i % palette.value.length]!;
}
