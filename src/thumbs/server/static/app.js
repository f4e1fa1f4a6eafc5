// thumbs web page: analyze one review, or a CSV/JSONL file of reviews (downloaded back as CSV).
// Plain DOM code, no framework. Review text only ever reaches the page through textContent.
"use strict";

const $ = (selector) => document.querySelector(selector);
const KEY_STORE = "thumbs.apiKey";
const POLARITY_SHOWN = 0.2;        // same threshold as the terminal view (render.py)
const NGRAMS_SHOWN = 12;
const BATCH_MAX_REVIEWS = 1000;    // the server's limit per batch request
const BATCH_MAX_BYTES = 900_000;   // keep each request well under the server's 1 MB
const PREVIEW_ROWS = 20;
const MAX_ID_CHARS = 256;          // the server's longest id
const OUTPUT_COLUMNS = ["id", "label", "probability", "stars", "score", "extract", "error"];

// --- small helpers ---------------------------------------------------------------------------

/** Create an element; attrs "text" sets textContent, "--name" sets a CSS custom property. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("--")) node.style.setProperty(key, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child != null)); // strings become text nodes
  return node;
}

const signed = (x, digits = 3) => (x >= 0 ? "+" : "−") + Math.abs(x).toFixed(digits);
const shorten = (text, width) => (text.length <= width ? text : text.slice(0, width - 1) + "…");
const polarityKind = (p) => (p > POLARITY_SHOWN ? "positive" : p < -POLARITY_SHOWN ? "negative" : "neutral");
const byteLength = (text) => new TextEncoder().encode(text).length;

/** Show a message in one of the aria-live status regions. */
function say(region, message, kind = "info") {
  region.textContent = message;
  region.dataset.kind = kind;
}

// --- the API: JSON in, JSON out, {"error": "..."} on failure; 401 asks for a key --------------

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, body, signal) {
  const headers = { Accept: "application/json" };
  const key = sessionStorage.getItem(KEY_STORE);
  if (key) headers.Authorization = `Bearer ${key}`;
  const init = { method: body === undefined ? "GET" : "POST", headers, signal };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, "Could not reach the thumbs server. Is it still running?");
  }
  const data = await response.json().catch(() => null); // not JSON: the message below says so
  if (!response.ok) {
    const message = data && typeof data.error === "string" ? data.error : `The server answered ${response.status}.`;
    throw new ApiError(response.status, message);
  }
  return data;
}

const retryAfterKey = new Set(); // what to run again once the user has given a key

/** Report a failed request; on 401 show the key form and remember `retry`. */
function reportError(err, region, retry) {
  if (err.name === "AbortError") return say(region, "Cancelled.");
  if (err.status === 401) {
    const hadKey = sessionStorage.getItem(KEY_STORE) !== null;
    sessionStorage.removeItem(KEY_STORE);
    retryAfterKey.add(retry);
    $("#key-message").textContent = hadKey
      ? "That key was not accepted. Enter the right one to continue."
      : "This server asks for an API key. Enter it to continue.";
    $("#key-form").hidden = false;
    $("#api-key").focus();
    return say(region, `${err.message}. Enter the key above, and the request will be sent again.`, "error");
  }
  say(region, err.message, "error");
}

$("#key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const key = $("#api-key").value.trim();
  if (!key) return;
  sessionStorage.setItem(KEY_STORE, key);
  $("#api-key").value = "";
  $("#key-form").hidden = true;
  const retries = [...retryAfterKey];
  retryAfterKey.clear();
  retries.forEach((retry) => retry());
});

// --- tabs (WAI-ARIA tabs pattern: arrow keys, Home/End, roving tabindex) ----------------------

const tabs = [...document.querySelectorAll('[role="tab"]')];

function selectTab(tab, focus) {
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
  }
  if (focus) tab.focus();
}

tabs.forEach((tab, i) => {
  tab.addEventListener("click", () => selectTab(tab, false));
  tab.addEventListener("keydown", (event) => {
    const target = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    selectTab(tabs[(target + tabs.length) % tabs.length], true);
  });
});

// --- file drop zones ------------------------------------------------------------------------

const carriesFiles = (event) => event.dataTransfer && [...event.dataTransfer.types].includes("Files");

/** Let files be dropped on `zone`; each dropped file goes to `onFile`. */
function dropZone(zone, onFile) {
  const over = (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    zone.classList.add("dragging");
  };
  zone.addEventListener("dragenter", over);
  zone.addEventListener("dragover", over);
  zone.addEventListener("dragleave", (event) => {
    if (!zone.contains(event.relatedTarget)) zone.classList.remove("dragging");
  });
  zone.addEventListener("drop", (event) => {
    zone.classList.remove("dragging");
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (!file) return;
    event.preventDefault();
    onFile(file);
  });
}

// A file dropped beside a zone must not make the browser navigate away (dragged text still drops).
for (const type of ["dragover", "drop"]) {
  window.addEventListener(type, (event) => carriesFiles(event) && event.preventDefault());
}

// --- tab 1: one review ------------------------------------------------------------------------

const analyzeStatus = $("#analyze-status");

async function loadReviewFile(file) {
  try {
    $("#review").value = await file.text();
    say(analyzeStatus, `Loaded ${file.name} (${$("#review").value.length.toLocaleString()} characters).`);
    $("#review").focus();
  } catch (err) {
    say(analyzeStatus, `Could not read ${file.name}: ${err.message}`, "error");
  }
}

async function analyzeReview() {
  const text = $("#review").value;
  if (!text.trim()) {
    say(analyzeStatus, "Type or paste a review first.", "error");
    $("#review").focus();
    return;
  }
  const button = $("#analyze");
  if (button.disabled) return; // Ctrl+Enter while a request is on its way
  button.disabled = true;
  button.textContent = "Analyzing…";
  say(analyzeStatus, "Analyzing…");
  try {
    const result = await api("/v1/analyze", { text });
    if (result.error) throw new ApiError(200, result.error);
    showAnalysis(result);
    say(analyzeStatus, `Verdict: ${result.label}, ${result.stars.toFixed(1)} out of 10 stars.`);
  } catch (err) {
    reportError(err, analyzeStatus, analyzeReview);
  } finally {
    button.disabled = false;
    button.textContent = "Analyze";
  }
}

function showAnalysis(result) {
  const p = result.probability;
  const sure = result.label === "positive" ? p : 1 - p;
  $("#verdict").textContent = result.label.toUpperCase();
  $("#verdict").dataset.label = result.label;
  $("#verdict-line").dataset.label = result.label;

  const meter = $("#meter");
  meter.setAttribute("aria-valuenow", (p * 100).toFixed(1));
  meter.setAttribute("aria-valuetext", `${Math.round(p * 100)}% probability that the review is positive`);
  $("#meter-fill").style.width = `${(p * 100).toFixed(1)}%`;
  $("#meter-fill").dataset.label = result.label;
  const percent = sure >= 0.995 ? "over 99" : String(Math.round(sure * 100)); // never claim 100% sure
  $("#probability").textContent = `P(positive) = ${p.toFixed(2)} · ${percent}% sure it is ${result.label}`;

  $("#stars").setAttribute("aria-label", `${result.stars.toFixed(1)} out of 10 stars`);
  $("#stars").dataset.stars = String(result.stars);
  $("#star-fill").style.width = `${(result.stars / 10) * 100}%`;
  $("#star-value").textContent = `${result.stars.toFixed(1)} / 10`;

  renderSentences(result.sentences);
  renderEvidence(result.evidence, result.score);
  $("#result").hidden = false;
}

function renderSentences(sentences) {
  const box = $("#sentences");
  box.replaceChildren();
  sentences.forEach((s, i) => {
    const kind = polarityKind(s.polarity);
    const note = `${kind}${s.in_extract ? ", in the extract" : ""}`;
    const title = `polarity ${signed(s.polarity, 2)} · subjectivity ${s.subjectivity.toFixed(2)}`;
    const attrs = { class: "sentence", id: `sentence-${i}`, tabindex: "-1", "data-polarity": kind,
      "data-extract": String(s.in_extract), "--strength": Math.min(1, Math.abs(s.polarity)).toFixed(2),
      title: title + (s.in_extract ? " · in the extract" : "") };
    // The colours and the underline, in words for screen readers.
    box.append(el("span", attrs, s.text, el("span", { class: "visually-hidden", text: ` (${note})` })), " ");
  });
  updateExtractOnly();
}

function updateExtractOnly() {
  const only = $("#extract-only").checked;
  $("#sentences").classList.toggle("extract-only", only);
  $("#extract-empty").hidden = !only || document.querySelector('.sentence[data-extract="true"]') !== null;
}

/** Move to a sentence of the review text and make it flash. */
function showSentence(index) {
  const target = document.getElementById(`sentence-${index}`);
  if (!target) return;
  if (target.dataset.extract === "false" && $("#extract-only").checked) {
    $("#extract-only").checked = false;
    updateExtractOnly();
  }
  target.focus();
  target.scrollIntoView({ block: "center", behavior: "smooth" });
  target.classList.remove("flash");
  void target.offsetWidth; // restart the animation
  target.classList.add("flash");
}

function renderEvidence(evidence, score) {
  const ngrams = evidence.ngrams.slice(0, NGRAMS_SHOWN);
  const largest = Math.max(1e-9, ...ngrams.map((e) => Math.abs(e.contribution)));
  $("#ngrams").replaceChildren(
    ...ngrams.map((e) => el("li", { class: `ngram ${e.contribution >= 0 ? "positive" : "negative"}` },
      el("span", { class: "ngram-text", text: e.ngram, title: e.ngram }),
      el("span", { class: "bar", "aria-hidden": "true" },
        el("span", { class: "bar-fill", "--size": (Math.abs(e.contribution) / largest).toFixed(3) })),
      el("span", { class: "value", text: signed(e.contribution) }))),
  );
  $("#bias").textContent = `Score ${signed(score)} = bias ${signed(evidence.bias)} + the contributions of every ` +
    "n-gram in the review (positive means positive).";
  const sentences = evidence.sentences || [];
  $("#evidence-sentences").replaceChildren(
    ...sentences.map((e) => {
      const button = el("button", { type: "button", class: "link", title: "Show this sentence in the review" },
        el("span", { class: "value", text: signed(e.contribution) }), el("span", { text: shorten(e.text, 160) }));
      button.addEventListener("click", () => showSentence(e.index));
      return el("li", { class: e.contribution >= 0 ? "positive" : "negative" }, button);
    }),
  );
}

$("#analyze-form").addEventListener("submit", (event) => {
  event.preventDefault();
  analyzeReview();
});
$("#review").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    analyzeReview();
  }
});
$("#review-file").addEventListener("change", (event) => {
  if (event.target.files[0]) loadReviewFile(event.target.files[0]);
  event.target.value = "";
});
$("#extract-only").addEventListener("change", updateExtractOnly);
dropZone($("#review-drop"), loadReviewFile);

// --- tab 2: many reviews ----------------------------------------------------------------------

const batchStatus = $("#batch-status");
const batch = { name: "reviews", columns: [], rows: [], results: [], controller: null };

/** RFC 4180 CSV: quoted fields, commas/newlines in quotes, doubled quotes, CRLF or LF, BOM. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== "") rows.push(row); // skip blank lines
    row = [];
    field = "";
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') (field += '"'), i++;
      else quoted = false;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n") endRow();
    else if (c === "\r") {
      if (text[i + 1] === "\n") i++;
      endRow();
    } else field += c;
  }
  if (quoted) throw new Error("a quoted field is not closed");
  if (field !== "" || row.length) endRow();
  if (!rows.length) throw new Error("the file is empty");
  const columns = uniqueNames(rows[0]);
  return { columns, rows: rows.slice(1).map((r) => Object.fromEntries(columns.map((c, j) => [c, r[j] ?? ""]))) };
}

function uniqueNames(header) {
  const seen = new Set();
  return header.map((name, j) => {
    let unique = name.trim() || `column ${j + 1}`;
    while (seen.has(unique)) unique += "_";
    seen.add(unique);
    return unique;
  });
}

/** JSON Lines (one object per line), or a JSON array of objects. */
function parseJsonLines(text) {
  text = text.replace(/^\ufeff/, "");
  let objects;
  if (text.trimStart().startsWith("[")) objects = JSON.parse(text);
  else {
    objects = [];
    text.split(/\r?\n/).forEach((line, n) => {
      if (!line.trim()) return;
      try {
        objects.push(JSON.parse(line));
      } catch {
        throw new Error(`line ${n + 1} is not valid JSON`);
      }
    });
  }
  const columns = [];
  const rows = objects.map((object, n) => {
    if (object === null || typeof object !== "object" || Array.isArray(object)) {
      throw new Error(`record ${n + 1} is not a JSON object`);
    }
    const row = {};
    for (const [key, value] of Object.entries(object)) {
      if (!columns.includes(key)) columns.push(key);
      row[key] = value == null ? "" : typeof value === "string" ? value : JSON.stringify(value);
    }
    return row;
  });
  return { columns, rows };
}

function fillSelect(select, options, chosen) {
  select.replaceChildren(...options.map(([value, label]) => el("option", { value, text: label })));
  select.value = chosen;
}

async function loadBatchFile(file) {
  try {
    const text = await file.text();
    const json = /\.(jsonl|ndjson|json)$/i.test(file.name) ||
      (!/\.csv$/i.test(file.name) && /^[\s\ufeff]*[[{]/.test(text));
    const { columns, rows } = json ? parseJsonLines(text) : parseCsv(text);
    if (!rows.length) throw new Error("it holds no reviews");
    Object.assign(batch, { name: file.name.replace(/\.[^.]+$/, "") || "reviews", columns, rows, results: [] });
    const lower = columns.map((c) => c.toLowerCase());
    const longest = columns.reduce((best, c) => (avgLength(rows, c) > avgLength(rows, best) ? c : best), columns[0]);
    const textIndex = ["text", "review", "content", "body"].map((n) => lower.indexOf(n)).find((j) => j >= 0);
    fillSelect($("#text-column"), columns.map((c) => [c, c]), textIndex !== undefined ? columns[textIndex] : longest);
    const idIndex = lower.indexOf("id");
    fillSelect($("#id-column"), [["", "(none: number the rows)"], ...columns.map((c) => [c, c])],
      idIndex >= 0 ? columns[idIndex] : "");
    $("#batch-info").textContent = `${file.name}: ${rows.length.toLocaleString()} reviews, ` +
      `columns ${columns.join(", ")}.`;
    $("#batch-info").hidden = false;
    $("#batch-columns").hidden = false;
    $("#batch-run").disabled = false;
    $("#batch-download").disabled = true;
    $("#batch-result").hidden = true;
    $("#batch-progress-wrap").hidden = true;
    say(batchStatus, `Ready: choose the text column if needed, then press Run.`);
  } catch (err) {
    $("#batch-run").disabled = true;
    say(batchStatus, `Could not read ${file.name}: ${err.message}.`, "error");
  }
}

function avgLength(rows, column) {
  const sample = rows.slice(0, 50);
  return sample.reduce((sum, row) => sum + String(row[column] ?? "").length, 0) / sample.length;
}

/** Split the reviews into requests of at most 1000 reviews and about 900 KB each. */
function* chunks(reviews) {
  let start = 0;
  while (start < reviews.length) {
    let end = start;
    let bytes = 16; // {"reviews":[]}
    while (end < reviews.length && end - start < BATCH_MAX_REVIEWS) {
      const size = byteLength(JSON.stringify(reviews[end])) + 1;
      if (end > start && bytes + size > BATCH_MAX_BYTES) break;
      bytes += size;
      end++;
    }
    yield [start, end];
    start = end;
  }
}

function failed(review, error) {
  return { id: review.id, label: null, probability: null, stars: null, score: null, sentences: [], evidence: null, error };
}

/** Why the server would refuse this review outright (it would fail the whole request), or null. */
function localProblem(review) {
  if (!review.text.trim()) return "the review is empty";
  if (review.id !== null && review.id.length > MAX_ID_CHARS) return `the id is over ${MAX_ID_CHARS} characters`;
  return null;
}

async function runBatch() {
  const textColumn = $("#text-column").value;
  const idColumn = $("#id-column").value;
  const reviews = batch.rows.map((row, i) => ({
    text: row[textColumn] ?? "",
    id: idColumn ? row[idColumn] || null : String(i + 1),
  }));
  // Results go back in input order; reviews the server would refuse are marked here and not sent.
  const results = reviews.map((review) => {
    const problem = localProblem(review);
    return problem ? failed(review, problem) : null;
  });
  const positions = results.flatMap((result, i) => (result ? [] : [i]));
  const toSend = positions.map((i) => reviews[i]);
  const progress = $("#batch-progress");
  const total = reviews.length.toLocaleString();
  progress.max = Math.max(1, toSend.length);
  progress.value = 0;
  $("#batch-progress-label").textContent = `0 of ${total} reviews`;
  $("#batch-progress-wrap").hidden = false;
  $("#batch-run").disabled = true;
  $("#batch-download").disabled = true;
  $("#batch-cancel").hidden = false;
  batch.controller = new AbortController();
  say(batchStatus, "Analyzing…");
  try {
    for (const [start, end] of chunks(toSend)) {
      const part = toSend.slice(start, end);
      let answers;
      try {
        answers = (await api("/v1/analyze/batch", { reviews: part }, batch.controller.signal)).results;
      } catch (err) {
        // A single review too large for one request is that review's error, not the whole run's.
        if (err.status === 413 && part.length === 1) answers = [failed(part[0], err.message)];
        else throw err;
      }
      answers.forEach((answer, j) => (results[positions[start + j]] = answer));
      progress.value = end;
      const done = positions[end - 1] + 1;
      $("#batch-progress-label").textContent = `${done.toLocaleString()} of ${total} reviews`;
    }
    progress.value = progress.max;
    $("#batch-progress-label").textContent = `${total} of ${total} reviews`;
    batch.results = results;
    showBatch();
    $("#batch-download").disabled = false;
  } catch (err) {
    reportError(err, batchStatus, runBatch);
  } finally {
    $("#batch-run").disabled = false;
    $("#batch-cancel").hidden = true;
    batch.controller = null;
  }
}

function showBatch() {
  const results = batch.results;
  const count = (test) => results.filter(test).length;
  const positive = count((r) => !r.error && r.label === "positive");
  const negative = count((r) => !r.error && r.label === "negative");
  const errors = count((r) => r.error);
  $("#batch-summary").replaceChildren(
    el("li", { class: "positive", "data-count": positive }, el("strong", { text: positive }), " positive"),
    el("li", { class: "negative", "data-count": negative }, el("strong", { text: negative }), " negative"),
    el("li", { class: errors ? "error" : "", "data-count": errors }, el("strong", { text: errors }), errors === 1 ? " error" : " errors"),
  );
  const shown = results.slice(0, PREVIEW_ROWS);
  $("#preview-caption").textContent = results.length > shown.length
    ? `The first ${shown.length} of ${results.length.toLocaleString()} results (all are in the CSV).`
    : `All ${results.length} results.`;
  $("#preview-body").replaceChildren(
    ...shown.map((r, i) =>
      el(
        "tr",
        { class: r.error ? "error" : r.label },
        el("td", { text: i + 1 }),
        el("td", { text: r.id ?? "" }),
        el("td", { class: "label", text: r.error ? "error" : r.label }),
        el("td", { text: r.error ? "" : r.probability.toFixed(2) }),
        el("td", { text: r.error ? "" : r.stars.toFixed(1) }),
        el("td", { class: "extract", text: r.error ?? shorten(extractOf(r), 200) }),
      ),
    ),
  );
  $("#batch-result").hidden = false;
  say(batchStatus, `Done: ${positive} positive, ${negative} negative, ${errors} with errors. The CSV is ready to download.`);
}

const extractOf = (r) => (r.sentences || []).filter((s) => s.in_extract).map((s) => s.text).join(" ");

function csvField(value) {
  if (value == null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function resultsCsv(results) {
  const lines = [OUTPUT_COLUMNS.join(",")];
  for (const r of results) {
    const row = { ...r, extract: r.error ? null : extractOf(r) };
    lines.push(OUTPUT_COLUMNS.map((c) => csvField(row[c])).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

function downloadCsv() {
  const blob = new Blob([resultsCsv(batch.results)], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: `${batch.name}-thumbs.csv`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$("#batch-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (batch.rows.length) runBatch();
});
$("#batch-file").addEventListener("change", (event) => {
  if (event.target.files[0]) loadBatchFile(event.target.files[0]);
});
$("#batch-cancel").addEventListener("click", () => batch.controller && batch.controller.abort());
$("#batch-download").addEventListener("click", downloadCsv);
dropZone($("#batch-drop"), loadBatchFile);

// --- footer: which model answers ----------------------------------------------------------------

async function showModel() {
  try {
    const model = await api("/v1/model");
    const accuracy = model.metrics && model.metrics["imdb-test"] && model.metrics["imdb-test"].accuracy;
    const parts = [`Model: recipe “${model.recipe ?? "?"}”`];
    if (model.created) parts.push(`trained ${String(model.created).slice(0, 10)}`);
    if (accuracy != null) parts.push(`IMDb test accuracy ${(accuracy * 100).toFixed(1)}%`);
    if (model.thumbs_version) parts.push(`thumbs ${model.thumbs_version}`);
    $("#model-info").textContent = parts.join(" · ");
  } catch (err) {
    if (err.status === 401) reportError(err, analyzeStatus, showModel);
  }
}

showModel();
