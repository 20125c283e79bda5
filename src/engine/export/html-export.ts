/**
 * The standalone demo: one HTML file that generates text from the model in any browser, offline.
 * The weights are inlined as base64 float32 (little-endian, state_dict order) in a non-executable
 * `<script type="application/octet-stream">`, the configuration and vocabulary as JSON, and a small
 * inference loop (standalone-runtime.ts) reproduces the engine's greedy output exactly.
 *
 * The Content-Security-Policy allows nothing from anywhere (`default-src 'none'`, no connections,
 * no forms posted); the inline script and style are allowed by their SHA-256 hashes when the
 * caller supplies a hash function (core does), otherwise by 'unsafe-inline'.
 */
import { parameterShapes } from '../model/config';
import { sizeOf } from '../tensor';
import { base64Encode } from './base64';
import type { ExportableModel } from './exportable-model';
import { pytorchConfigJson, vocabFileJson } from './pytorch-format';
import { STANDALONE_CORE, STANDALONE_PAGE } from './standalone-runtime';

export interface StandaloneHtmlOptions {
  /** Shown as the page title and heading (default: a description of the model). */
  title?: string;
  /** Prefix filled in when the page opens. */
  prefix?: string;
  /** Base64 SHA-256 of a string, for hash-based CSP sources. */
  sha256Base64?: (text: string) => string;
}

const STYLE = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
h1 { font-size: 1.4rem; margin-bottom: 0.2rem; }
.facts { color: GrayText; margin-top: 0; }
form { display: grid; grid-template-columns: max-content 1fr; gap: 0.5rem 1rem; align-items: center; }
textarea { font: inherit; min-height: 3rem; }
input[type=number] { width: 7rem; }
input[type=checkbox] { justify-self: start; }
button { grid-column: 2; justify-self: start; padding: 0.4rem 1.2rem; font: inherit; }
output { display: block; white-space: pre-wrap; font-family: ui-monospace, monospace; border: 1px solid GrayText; border-radius: 4px; padding: 0.8rem; margin-top: 1rem; min-height: 3rem; }
#prefix-out { font-weight: bold; }
#status { color: GrayText; }
`;

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON that can sit inside a <script> element: no `<` survives to close it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function describe(m: ExportableModel): string {
  const c = m.config;
  const cell = { rnn: 'RNN', gru: 'GRU', lstm: 'LSTM' }[c.cell];
  const input = c.embeddingDim > 0 ? `embedding ${c.embeddingDim}` : 'one-hot input';
  return `${cell} ${c.numLayers > 1 ? `${c.numLayers}×` : ''}${c.hiddenSize}, ${input}, ${m.vocab.tokens.length} ${m.vocab.tokenizer === 'word' ? 'words' : 'characters'}`;
}

export function buildStandaloneHtml(m: ExportableModel, options: StandaloneHtmlOptions = {}): string {
  const shapes = parameterShapes(m.config);
  const total = shapes.reduce((n, [, s]) => n + sizeOf(s), 0);
  const floats = new Float32Array(total);
  const tensors: Array<{ name: string; shape: number[]; offset: number }> = [];
  let offset = 0;
  for (const [name, shape] of shapes) {
    floats.set(m.weights.get(name)!.data, offset);
    tensors.push({ name, shape, offset });
    offset += sizeOf(shape);
  }
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < total; i++) view.setFloat32(i * 4, floats[i]!, true);

  const script = `${STANDALONE_CORE}\n${STANDALONE_PAGE}`;
  const hash = options.sha256Base64;
  const scriptSrc = hash ? `'sha256-${hash(script)}'` : `'unsafe-inline'`;
  const styleSrc = hash ? `'sha256-${hash(STYLE)}'` : `'unsafe-inline'`;
  const csp = `default-src 'none'; script-src ${scriptSrc}; style-src ${styleSrc}; img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'`;
  const description = describe(m);
  const title = options.title ?? `RNN Lab · ${description}`;
  const meta = { format: 'rnnlab.standalone', version: 1, config: pytorchConfigJson(m.config), vocab: vocabFileJson(m.vocab), dtype: 'float32', tensors };
  const params = total.toLocaleString('en-US');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="facts">${escapeHtml(description)} · ${params} parameters · runs entirely in this page, offline. Exported from RNN Lab.</p>
<form id="form" autocomplete="off">
<label for="prefix">Prefix</label>
<textarea id="prefix" spellcheck="false">${escapeHtml(options.prefix ?? '')}</textarea>
<label for="length">Length (tokens)</label>
<input id="length" type="number" min="1" max="10000" value="100">
<label for="temperature">Temperature</label>
<input id="temperature" type="number" min="0" max="10" step="0.05" value="1" disabled>
<label for="greedy">Greedy</label>
<input id="greedy" type="checkbox" checked>
<button id="generate" type="submit">Generate</button>
</form>
<output id="output" for="form"><span id="prefix-out"></span><span id="generated"></span></output>
<p id="status" role="status">Loading the model…</p>
<script type="application/json" id="rnnlab-model">${scriptJson(meta)}</script>
<script type="application/octet-stream" id="rnnlab-weights">${base64Encode(bytes)}</script>
<script>${script}</script>
</body>
</html>
`;
}
