/**
 * The run-setup form as data: fields grouped from `runConfigFields`, which of them matter for the
 * current choices, and parsing the draft through `runConfigSchema` so each field gets the
 * schema's own message.
 */
import { runConfigFields, runConfigSchema, type FieldGroup, type FieldSpec, type RunConfig, type RunConfigKey } from '../../shared/run-config';

export type Draft = Record<RunConfigKey, string | number> & { name: string; datasetId: string; samplePrefix: string; sampleLength: string | number };

export const GROUPS: Array<{ id: FieldGroup; title: string }> = [
  { id: 'data', title: 'Data' },
  { id: 'model', title: 'Model' },
  { id: 'training', title: 'Training' },
  { id: 'monitoring', title: 'Monitoring' },
];

export const FIELD_KEYS = Object.keys(runConfigFields) as RunConfigKey[];

export function fieldsOf(group: FieldGroup): Array<[RunConfigKey, FieldSpec]> {
  return FIELD_KEYS.filter((k) => runConfigFields[k].group === group).map((k) => [k, runConfigFields[k] as FieldSpec]);
}

/** Fields that have no effect with the other choices are hidden rather than shown disabled. */
export function isRelevant(key: RunConfigKey, d: Pick<Draft, 'cell' | 'numLayers' | 'optimizer' | 'schedule'>): boolean {
  switch (key) {
    case 'nonlinearity':
      return d.cell === 'rnn';
    case 'dropout':
      return Number(d.numLayers) > 1;
    case 'momentum':
      return d.optimizer === 'sgd' || d.optimizer === 'rmsprop';
    case 'scheduleGamma':
      return d.schedule === 'step' || d.schedule === 'exp';
    case 'scheduleStep':
      return d.schedule === 'step';
    default:
      return true;
  }
}

export function draftFrom(config: RunConfig): Draft {
  return { ...config } as Draft;
}

const NUMERIC = new Set<string>([...FIELD_KEYS.filter((k) => runConfigFields[k].kind !== 'choice'), 'sampleLength']);

/** The draft as a config, or a message per field (the first issue of each). */
export function parseDraft(d: Draft): { config: RunConfig | null; errors: Partial<Record<keyof Draft, string>> } {
  const input: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) input[k] = NUMERIC.has(k) ? toNumber(v) : v;
  const parsed = runConfigSchema.safeParse(input);
  if (parsed.success) return { config: parsed.data, errors: {} };
  const errors: Partial<Record<keyof Draft, string>> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '') as keyof Draft;
    if (!key || errors[key]) continue;
    const label = key in runConfigFields ? runConfigFields[key as RunConfigKey].label : key === 'sampleLength' ? 'Sample length' : key;
    errors[key] = issue.code === 'invalid_type' ? `${label} needs a number.` : issue.message;
  }
  return { config: null, errors };
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = String(v).trim();
  return s === '' ? NaN : Number(s);
}

/** The fields a preset would change in the draft. */
export function presetChanges(d: Draft, values: Partial<RunConfig>): string[] {
  return Object.entries(values)
    .filter(([k, v]) => toNumber(d[k as keyof Draft]) !== v && d[k as keyof Draft] !== v)
    .map(([k]) => k);
}
