/**
 * The JavaScript that runs inside the standalone HTML export, kept as source text because it is
 * inlined into the page verbatim (a transpiler's helpers must never leak into it).
 *
 * `STANDALONE_CORE` declares three functions with no dependencies, which the unit tests also run
 * in Node against the engine:
 * - `rnnlabModel(config, weights)` → `{ reset(), feed(id) → logits }`: one step of batch 1 that
 *   repeats the engine's arithmetic exactly (float32 buffers written at the same points, sums in
 *   double in the same order), so greedy text equals `rnn-lab generate --greedy`.
 * - `rnnlabEncode(vocab, text)` → ids: the run's cleaning and tokenizer, unknown tokens → 0 (`<unk>`).
 * - `rnnlabChoose(logits, temperature, greedy, random)` → id: argmax (first on ties) or a draw
 *   from softmax(logits / temperature).
 *
 * `STANDALONE_PAGE` wires them to the page: reads the inlined model, runs the form.
 */
export const STANDALONE_CORE = String.raw`
function rnnlabModel(cfg, W) {
  var V = cfg.vocab_size, E = cfg.embedding_dim, H = cfg.hidden_size, L = cfg.num_layers, cell = cfg.cell;
  var G = (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1) * H;
  var relu = cfg.nonlinearity === 'relu';
  var h = [], c = [], gates = [], gh = [];
  for (var l = 0; l < L; l++) {
    h.push(new Float32Array(H)); c.push(new Float32Array(H));
    gates.push(new Float32Array(G)); gh.push(new Float32Array(G));
  }
  var logits = new Float32Array(V);
  var sigmoid = function (v) { return 1 / (1 + Math.exp(-v)); };
  // y (m) += x (k) · wᵀ for w (m, k): each dot product summed in double, added once
  var addProduct = function (y, x, w, k, m) {
    for (var j = 0; j < m; j++) {
      var s = 0, o = j * k;
      for (var p = 0; p < k; p++) s += x[p] * w[o + p];
      y[j] += s;
    }
  };
  var addBias = function (y, b) { for (var j = 0; j < y.length; j++) y[j] += b[j]; };
  var feed = function (id) {
    var x = E > 0 ? W['embedding.weight'].subarray(id * E, id * E + E) : null;
    for (var l = 0; l < L; l++) {
      var I = l > 0 ? H : E > 0 ? E : V;
      var wIh = W['rnn.weight_ih_l' + l], wHh = W['rnn.weight_hh_l' + l];
      var g = gates[l], hl = h[l], cl = c[l], j;
      g.fill(0);
      addBias(g, W['rnn.bias_ih_l' + l]);
      if (x) addProduct(g, x, wIh, I, G);
      else for (j = 0; j < G; j++) g[j] += wIh[j * V + id];
      if (cell === 'rnn') {
        addBias(g, W['rnn.bias_hh_l' + l]);
        addProduct(g, hl, wHh, H, H);
        for (j = 0; j < H; j++) hl[j] = relu ? (g[j] < 0 ? 0 : g[j]) : Math.tanh(g[j]);
      } else if (cell === 'gru') {
        var r0 = gh[l];
        r0.fill(0);
        addBias(r0, W['rnn.bias_hh_l' + l]);
        addProduct(r0, hl, wHh, H, G);
        for (j = 0; j < H; j++) {
          var r = sigmoid(g[j] + r0[j]);
          var z = sigmoid(g[H + j] + r0[H + j]);
          var n = Math.tanh(g[2 * H + j] + r * r0[2 * H + j]); // PyTorch GRU is reset-after
          hl[j] = (1 - z) * n + z * hl[j];
        }
      } else {
        addBias(g, W['rnn.bias_hh_l' + l]);
        addProduct(g, hl, wHh, H, G);
        for (j = 0; j < H; j++) {
          var i = sigmoid(g[j]), f = sigmoid(g[H + j]), gg = Math.tanh(g[2 * H + j]), o = sigmoid(g[3 * H + j]);
          var cj = f * cl[j] + i * gg;
          cl[j] = cj;
          hl[j] = o * Math.tanh(cj);
        }
      }
      x = hl;
    }
    logits.fill(0);
    addBias(logits, W['output.bias']);
    addProduct(logits, x, W['output.weight'], H, V);
    return logits;
  };
  var reset = function () {
    for (var l = 0; l < L; l++) { h[l].fill(0); c[l].fill(0); }
  };
  return { feed: feed, reset: reset };
}

function rnnlabEncode(vocab, text) {
  if (vocab.cleaning === 'letters') text = text.replace(/[^A-Za-z]+/g, ' ').toLowerCase();
  var tokens = vocab.tokenizer === 'word' ? (text.match(/\S+/g) || []) : Array.from(text);
  var index = new Map();
  vocab.tokens.forEach(function (t, i) { index.set(t, i); });
  return tokens.map(function (t) { return index.has(t) ? index.get(t) : 0; });
}

function rnnlabChoose(logits, temperature, greedy, random) {
  var V = logits.length, best = 0, max = -Infinity, j;
  for (j = 0; j < V; j++) if (logits[j] > max) { max = logits[j]; best = j; }
  if (greedy || temperature === 0) return best;
  var p = new Float64Array(V), sum = 0;
  for (j = 0; j < V; j++) { p[j] = Math.exp((logits[j] - max) / temperature); sum += p[j]; }
  var u = random() * sum, cum = 0, id = best;
  for (j = 0; j < V; j++) {
    if (p[j] === 0) continue;
    id = j;
    cum += p[j];
    if (u < cum) break;
  }
  return id;
}
`;

export const STANDALONE_PAGE = String.raw`
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var meta = JSON.parse($('rnnlab-model').textContent);
  var bin = atob($('rnnlab-weights').textContent.replace(/\s+/g, ''));
  var view = new DataView(new ArrayBuffer(bin.length));
  for (var b = 0; b < bin.length; b++) view.setUint8(b, bin.charCodeAt(b));
  var W = {};
  meta.tensors.forEach(function (t) {
    var n = t.shape.reduce(function (a, d) { return a * d; }, 1), a = new Float32Array(n);
    for (var i = 0; i < n; i++) a[i] = view.getFloat32((t.offset + i) * 4, true);
    W[t.name] = a;
  });
  var model = rnnlabModel(meta.config, W);
  var random = function () { var u = new Uint32Array(1); crypto.getRandomValues(u); return u[0] / 4294967296; };
  var sep = meta.vocab.separator;

  $('greedy').addEventListener('change', function () { $('temperature').disabled = $('greedy').checked; });
  $('form').addEventListener('submit', function (event) {
    event.preventDefault();
    var ids = rnnlabEncode(meta.vocab, $('prefix').value);
    var length = Math.max(1, Math.min(10000, Math.floor(Number($('length').value)) || 1));
    var temperature = Math.max(0, Number($('temperature').value) || 0);
    var greedy = $('greedy').checked;
    if (ids.length === 0) {
      $('status').textContent = 'Nothing is left of the prefix after cleaning; type a few characters the model knows.';
      return;
    }
    model.reset();
    var logits;
    ids.forEach(function (id) { logits = model.feed(id); });
    var out = [];
    for (var i = 0; i < length; i++) {
      var id = rnnlabChoose(logits, temperature, greedy, random);
      out.push(meta.vocab.tokens[id]);
      logits = model.feed(id);
    }
    $('prefix-out').textContent = ids.map(function (id) { return meta.vocab.tokens[id]; }).join(sep);
    $('generated').textContent = (sep && out.length ? sep : '') + out.join(sep);
    $('status').textContent = 'Generated ' + length + (greedy ? ' tokens greedily.' : ' tokens at temperature ' + temperature + '.');
  });
  $('status').textContent = 'Ready.';
})();
`;
