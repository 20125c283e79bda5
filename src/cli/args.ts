/**
 * Flags of the form `--name value` or `--name=value`, checked against a per-command table:
 * unknown flags, missing values and values of the wrong kind are usage errors that name the flag.
 */
import { UsageError } from './usage-error';

export type FlagKind = 'string' | 'number' | 'boolean';

export interface FlagSpec {
  kind: FlagKind;
  /** One-line help. */
  help: string;
  required?: boolean;
}

export type FlagTable = Record<string, FlagSpec>;
export type ParsedFlags = Map<string, string | number | boolean>;

export function parseFlags(args: readonly string[], table: FlagTable): ParsedFlags {
  const out: ParsedFlags = new Map();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--') || arg === '--') throw new UsageError(`unexpected argument "${arg}" (flags start with --)`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const spec = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!spec) throw new UsageError(`unknown flag --${name}`);
    if (out.has(name)) throw new UsageError(`--${name} is given twice`);
    if (spec.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      out.set(name, true);
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${name} needs a value`);
      raw = next;
      i++;
    }
    if (spec.kind === 'number') {
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, not "${raw}"`);
      out.set(name, n);
    } else out.set(name, raw);
  }
  for (const [name, spec] of Object.entries(table)) if (spec.required && !out.has(name)) throw new UsageError(`--${name} is required`);
  return out;
}

export const str = (flags: ParsedFlags, name: string): string | undefined => flags.get(name) as string | undefined;
export const num = (flags: ParsedFlags, name: string): number | undefined => flags.get(name) as number | undefined;
export const bool = (flags: ParsedFlags, name: string): boolean => flags.get(name) === true;

/** `  --name VALUE   help` lines for a command's usage text. */
export function flagHelp(table: FlagTable): string[] {
  return Object.entries(table).map(([name, spec]) => {
    const left = spec.kind === 'boolean' ? `--${name}` : `--${name} ${spec.kind === 'number' ? 'N' : 'TEXT'}`;
    return `  ${left.padEnd(24)} ${spec.help}${spec.required ? ' (required)' : ''}`;
  });
}
