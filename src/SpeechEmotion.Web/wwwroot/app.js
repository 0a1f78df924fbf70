// SpeechEmotion page: record (AudioWorklet -> 16 kHz PCM -> WebSocket) or upload (decoded and converted to WAV
// in the browser), then show probabilities, waveform, spectrogram and the emotion timeline. No external assets.
const $ = (id) => document.getElementById(id);
const COLORS = { neutral: '#6b6b6b', calm: '#2e7d32', happy: '#f2b705', sad: '#1565c0', angry: '#c62828',
  fearful: '#6a1b9a', fear: '#6a1b9a', disgust: '#558b2f', surprised: '#ef6c00', surprise: '#ef6c00', boredom: '#8d6e63' };
const PALETTE = ['#00897b', '#5e35b1', '#d81b60', '#3949ab', '#7cb342', '#fb8c00'];
let model = null, rate = 16000, recording = null;

const colorOf = (label) => COLORS[label] || PALETTE[[...label].reduce((a, c) => a + c.charCodeAt(0), 0) % PALETTE.length];
const status = (text) => { $('status').textContent = text; };
const apiKey = () => $('api-key').value.trim();
const headers = () => (apiKey() ? { 'X-API-Key': apiKey() } : {});

async function loadModel() {
  const r = await fetch('api/v1/model', { headers: headers() });
  if (!r.ok) { $('model-info').textContent = r.status === 401 ? 'Enter the API key to use this server.' : `Model unavailable (${r.status}).`; return; }
  model = await r.json();
  rate = model.sampleRate;
  const card = model.card || {};
  $('model-info').textContent = `${model.labels.length} emotions: ${model.labels.join(', ')}` +
    (card.trainingData ? ` · trained on ${card.trainingData}` : '');
  renderBars(null);
}

function renderBars(probabilities) {
  const ul = $('bars');
  ul.replaceChildren();
  for (const label of (model ? model.labels : [])) {
    const p = probabilities ? probabilities[label] ?? 0 : 0;
    const li = document.createElement('li');
    const pct = Math.round(p * 100);
    li.innerHTML = `<span class="name"></span><span class="track" role="meter" aria-valuemin="0" aria-valuemax="100"
      aria-valuenow="${pct}"><span class="fill"></span></span><span class="pct">${pct}%</span>`;
    li.querySelector('.name').textContent = label;
    li.querySelector('.track').setAttribute('aria-label', `${label} probability`);
    const fill = li.querySelector('.fill');
    fill.style.width = `${p * 100}%`;
    fill.style.background = colorOf(label);
    ul.append(li);
  }
}

function showPrediction(p) {
  if (!p) { $('label').textContent = '(silence)'; $('confidence').textContent = ''; renderBars(null); return; }
  $('label').textContent = p.label;
  $('confidence').textContent = `${Math.round(p.confidence * 100)}%`;
  const dims = [];
  if (p.arousal != null) dims.push(`arousal ${p.arousal.toFixed(2)}`);
  if (p.valence != null) dims.push(`valence ${p.valence.toFixed(2)}`);
  $('dimensions').textContent = dims.join(' · ');
  renderBars(p.probabilities);
}

function showTimeline(segments, duration) {
  const bar = $('timeline'), list = $('timeline-list');
  bar.replaceChildren(); list.replaceChildren();
  if (!segments || segments.length === 0) { list.innerHTML = '<li>No timeline (the audio was short or silent).</li>'; return; }
  const total = duration || segments[segments.length - 1].end;
  let t = 0;
  for (const s of segments) {
    // Windows overlap; each is drawn from where the previous one was drawn to its end.
    const from = Math.max(t, s.start), width = Math.max(0, s.end - from);
    if (from > t) bar.append(Object.assign(document.createElement('span'), { style: `flex:${from - t}` }));
    const span = document.createElement('span');
    span.style.flex = String(width); span.style.background = colorOf(s.prediction.label);
    span.title = `${s.start.toFixed(1)}–${s.end.toFixed(1)} s: ${s.prediction.label}`;
    bar.append(span);
    t = Math.max(t, s.end);
    const li = document.createElement('li');
    li.textContent = `${s.start.toFixed(1)}–${s.end.toFixed(1)} s: ${s.prediction.label} (${Math.round(s.prediction.confidence * 100)}%)`;
    list.append(li);
  }
  if (total > t) bar.append(Object.assign(document.createElement('span'), { style: `flex:${total - t}` }));
}

// ---- drawing ----
function drawWaveform(samples) {
  const c = $('waveform'), g = c.getContext('2d'), w = c.width, h = c.height;
  g.fillStyle = '#101418'; g.fillRect(0, 0, w, h); g.strokeStyle = '#7fd1ff';
  const step = Math.max(1, Math.floor(samples.length / w));
  g.beginPath();
  for (let x = 0; x < w; x++) {
    let lo = 1, hi = -1;
    for (let i = x * step; i < Math.min(samples.length, (x + 1) * step); i++) { const v = samples[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
    if (lo > hi) { lo = 0; hi = 0; }
    g.moveTo(x + .5, (1 - hi) * h / 2); g.lineTo(x + .5, (1 - lo) * h / 2 + 1);
  }
  g.stroke();
}

function fft(re, im) { // in-place radix-2
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) { let b = n >> 1; for (; j & b; b >>= 1) j ^= b; j ^= b; if (i < j) { [re[i], re[j]] = [re[j], re[i]]; [im[i], im[j]] = [im[j], im[i]]; } }
  for (let len = 2; len <= n; len <<= 1) {
    const a = -2 * Math.PI / len, wr = Math.cos(a), wi = Math.sin(a);
    for (let i = 0; i < n; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const ur = re[i + k], ui = im[i + k], vr = re[i + k + len / 2] * cr - im[i + k + len / 2] * ci, vi = re[i + k + len / 2] * ci + im[i + k + len / 2] * cr;
        re[i + k] = ur + vr; im[i + k] = ui + vi; re[i + k + len / 2] = ur - vr; im[i + k + len / 2] = ui - vi;
        const t = cr * wr - ci * wi; ci = cr * wi + ci * wr; cr = t;
      }
    }
  }
}

function drawSpectrogram(samples) {
  const c = $('spectrogram'), g = c.getContext('2d'), w = c.width, h = c.height, n = 512;
  g.fillStyle = '#101418'; g.fillRect(0, 0, w, h);
  if (samples.length < n) return;
  const img = g.createImageData(w, h), re = new Float32Array(n), im = new Float32Array(n);
  const hop = (samples.length - n) / Math.max(1, w - 1);
  for (let x = 0; x < w; x++) {
    const off = Math.floor(x * hop);
    for (let i = 0; i < n; i++) { re[i] = samples[off + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n)); im[i] = 0; }
    fft(re, im);
    for (let y = 0; y < h; y++) {
      const bin = Math.floor((1 - y / h) * (n / 2));
      const db = 10 * Math.log10(re[bin] * re[bin] + im[bin] * im[bin] + 1e-10);
      const v = Math.max(0, Math.min(1, (db + 60) / 70));
      const o = (y * w + x) * 4;
      img.data[o] = 255 * Math.min(1, v * 1.6); img.data[o + 1] = 255 * Math.max(0, v * 1.6 - 0.6); img.data[o + 2] = 255 * v * (1 - v) * 2; img.data[o + 3] = 255;
    }
  }
  g.putImageData(img, 0, 0);
}

function drawAudio(samples) { drawWaveform(samples); drawSpectrogram(samples); }

// ---- upload ----
function encodeWav(samples, sr) {
  const buf = new ArrayBuffer(44 + samples.length * 2), v = new DataView(buf);
  const str = (o, s) => { for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); };
  str(0, 'RIFF'); v.setUint32(4, 36 + samples.length * 2, true); str(8, 'WAVE'); str(12, 'fmt ');
  v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true); v.setUint32(24, sr, true);
  v.setUint32(28, sr * 2, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true); str(36, 'data'); v.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) { const s = Math.max(-1, Math.min(1, samples[i])); v.setInt16(44 + i * 2, s < 0 ? s * 32768 : s * 32767, true); }
  return new Blob([buf], { type: 'audio/wav' });
}

async function decodeToModelRate(file) {
  const data = await file.arrayBuffer();
  const ctx = new AudioContext();
  let decoded;
  try { decoded = await ctx.decodeAudioData(data); } finally { ctx.close(); }
  const length = Math.max(1, Math.ceil(decoded.duration * rate));
  const offline = new OfflineAudioContext(1, length, rate); // mixes channels down and resamples
  const src = offline.createBufferSource(); src.buffer = decoded; src.connect(offline.destination); src.start();
  return (await offline.startRendering()).getChannelData(0);
}

async function upload(file) {
  status(`Decoding ${file.name}…`);
  let samples;
  try { samples = await decodeToModelRate(file); } catch { status(`This browser cannot decode ${file.name}.`); return; }
  drawAudio(samples);
  status(`Recognising ${file.name} (${(samples.length / rate).toFixed(1)} s)…`);
  const form = new FormData();
  form.append('file', encodeWav(samples, rate), file.name.replace(/\.[^.]*$/, '') + '.wav');
  const r = await fetch('api/v1/recognize', { method: 'POST', body: form, headers: headers() });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) { status(`Error ${r.status}: ${body.detail || body.title || r.statusText}`); return; }
  showPrediction(body);
  showTimeline(body.timeline || [{ start: 0, end: body.duration, prediction: body }], body.duration);
  status(`Done: ${file.name} sounds ${body.label}.`);
}

// ---- record ----
function toFloat(chunks) {
  const all = new Float32Array(chunks.reduce((a, c) => a + c.length, 0));
  let o = 0; for (const c of chunks) { for (let i = 0; i < c.length; i++) all[o + i] = c[i] / 32768; o += c.length; }
  return all;
}

async function startRecording() {
  let stream;
  try { stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } }); }
  catch (e) { status(`Microphone unavailable: ${e.message}`); return; }
  const ctx = new AudioContext({ sampleRate: rate }); // the browser resamples the microphone to the model's rate
  await ctx.audioWorklet.addModule('pcm-worklet.js');
  const node = new AudioWorkletNode(ctx, 'pcm-capture');
  ctx.createMediaStreamSource(stream).connect(node);
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${proto}://${location.host}/api/v1/stream?rate=${rate}` + (apiKey() ? `&api_key=${encodeURIComponent(apiKey())}` : ''));
  ws.binaryType = 'arraybuffer';
  const chunks = [];
  const segments = [];
  recording = { stream, ctx, node, ws, chunks };
  node.port.onmessage = (e) => {
    chunks.push(e.data);
    if (ws.readyState === WebSocket.OPEN) ws.send(e.data.buffer);
    if (chunks.length % 5 === 0) drawWaveform(toFloat(chunks.slice(-100))); // live: the last ~10 s, twice a second
  };
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.type === 'result') {
      if (m.prediction) { showPrediction(m.prediction); segments.push({ start: m.start, end: m.end, prediction: m.prediction }); }
      showTimeline(segments);
      status(`Listening… ${m.end.toFixed(0)} s`);
    } else if (m.type === 'final') {
      showPrediction(m.overall);
      showTimeline(m.timeline, m.duration);
      status(`Recording analysed (${m.duration.toFixed(1)} s).`);
    } else if (m.type === 'error') status(m.message);
  };
  ws.onclose = (e) => { if (recording && recording.ws === ws && e.code !== 1000) { status(`Stream closed: ${e.reason || e.code}`); stopRecording(false); } };
  $('record').setAttribute('aria-pressed', 'true'); $('record').textContent = '■ Stop';
  status('Listening… (results appear every second after the first 3 s)');
}

function stopRecording(sendEnd = true) {
  const r = recording; if (!r) return;
  r.stream.getTracks().forEach((t) => t.stop()); r.node.port.onmessage = null; r.ctx.close();
  if (sendEnd && r.ws.readyState === WebSocket.OPEN) { r.ws.send('end'); status('Analysing the recording…'); }
  drawAudio(toFloat(r.chunks));
  $('record').setAttribute('aria-pressed', 'false'); $('record').textContent = '● Record';
  recording = null;
}

$('record').addEventListener('click', () => (recording ? stopRecording() : startRecording()));
$('upload').addEventListener('change', (e) => { const f = e.target.files[0]; if (f) upload(f); e.target.value = ''; });
$('api-key').addEventListener('change', loadModel);
loadModel();
