// thumbs web page: analyze one review, or a CSV/JSONL file of reviews (downloaded back as CSV), or
// summarize a table of reviews film by film (a table and an aspect heat map).
// Plain DOM code, no framework. Review text only ever reaches the page through textContent.
"use strict";

const $ = (selector) => document.querySelector(selector);
const KEY_STORE = "thumbs.apiKey";
const POLARITY_SHOWN = 0.2;        // same threshold as the terminal view (render.py)
const NGRAMS_SHOWN = 12;
const PHRASE_MARKED_SHARE = 0.1;   // a phrase is marked in the text when it pushed at least this share of the strongest
const TIP_FEATURES = 8;            // model features named in a phrase's popover
const BATCH_MAX_REVIEWS = 1000;    // the server's limit per batch request
const BATCH_MAX_BYTES = 900_000;   // keep each request well under the server's 1 MB
const PREVIEW_ROWS = 20;
const MAX_ID_CHARS = 256;          // the server's longest id
// The columns of `thumbs analyze --format csv` (ROW_COLUMNS in pipeline/analysis.py), in its order.
const OUTPUT_COLUMNS = ["id", "label", "probability", "stars", "score", "coverage", "n_sentences", "extract",
  "top_positive", "top_negative", "warnings", "error"];
const ROW_PHRASES = 5;             // phrases of each sign in top_positive / top_negative

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

/** "+0.412", "−0.052" (a real minus); what rounds to zero is "+0.000", never "−0.000". */
function signed(x, digits = 3) {
  const rounded = Number(x.toFixed(digits));
  return (rounded >= 0 ? "+" : "−") + Math.abs(rounded).toFixed(digits);
}
const shorten = (text, width) => (text.length <= width ? text : text.slice(0, width - 1) + "…");
const polarityKind = (p) => (p > POLARITY_SHOWN ? "positive" : p < -POLARITY_SHOWN ? "negative" : "neutral");
const byteLength = (text) => new TextEncoder().encode(text).length;

/** Show a message in one of the aria-live status regions. */
function say(region, message, kind = "info") {
  region.textContent = message;
  region.dataset.kind = kind;
}

// --- your own aspects: lines "name: term, term, …", sent as the API's `aspects` -------------------

// The server's limits (src/thumbs/server/aspects.py): checked here too, so a mistake is shown at its line.
const MAX_ASPECTS = 20;
const MAX_ASPECT_TERMS = 50;
const MAX_ASPECT_NAME_CHARS = 64;
const MAX_TERM_CHARS = 100;

/**
 * The box's lines as the API's `aspects` ({name: [term, …]}), or null when it holds none. Blank lines
 * and lines starting with # are skipped; a name given twice gets the terms of both lines. A line that
 * cannot be read throws an Error saying which line and what to fix.
 */
function parseAspects(text) {
  const aspects = new Map();
  text.split(/\r?\n/).forEach((raw, n) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const where = `Line ${n + 1}`;
    const colon = line.indexOf(":");
    if (colon < 0) throw new Error(`${where}: write it as “name: term, term, …” (no colon in “${shorten(line, 40)}”).`);
    const name = line.slice(0, colon).trim();
    const terms = line.slice(colon + 1).split(",").map((term) => term.trim()).filter(Boolean);
    if (!name) throw new Error(`${where}: give the aspect a name before the colon.`);
    if (name.length > MAX_ASPECT_NAME_CHARS) {
      throw new Error(`${where}: the name is over ${MAX_ASPECT_NAME_CHARS} characters.`);
    }
    if (!terms.length) {
      throw new Error(`${where}: “${shorten(name, 30)}” has no terms: after the colon, give the words that name it.`);
    }
    const long = terms.find((term) => term.length > MAX_TERM_CHARS);
    if (long) throw new Error(`${where}: the term “${shorten(long, 30)}” is over ${MAX_TERM_CHARS} characters.`);
    const known = aspects.get(name) || [];
    for (const term of terms) if (!known.includes(term)) known.push(term);
    if (known.length > MAX_ASPECT_TERMS) {
      throw new Error(`${where}: “${shorten(name, 30)}” has ${known.length} terms; an aspect may have at most ${MAX_ASPECT_TERMS}.`);
    }
    aspects.set(name, known);
  });
  if (aspects.size > MAX_ASPECTS) {
    throw new Error(`${aspects.size} aspects: the server takes at most ${MAX_ASPECTS} in a request.`);
  }
  return aspects.size ? Object.fromEntries(aspects) : null;
}

/** The aspects of the box `prefix` ("analyze", "films"), or null; a bad line is shown under the box and throws. */
function aspectsOf(prefix) {
  const box = document.getElementById(`${prefix}-aspects`);
  const error = document.getElementById(`${prefix}-aspects-error`);
  try {
    const aspects = parseAspects(box.value);
    error.hidden = true;
    error.textContent = "";
    box.removeAttribute("aria-invalid");
    return aspects;
  } catch (err) {
    error.textContent = err.message;
    error.hidden = false;
    box.setAttribute("aria-invalid", "true");
    document.getElementById(`${prefix}-aspects-box`).open = true;
    box.focus();
    throw err;
  }
}

for (const prefix of ["analyze", "films"]) {
  // a fixed line clears its error as soon as the box reads
  document.getElementById(`${prefix}-aspects`).addEventListener("input", () => {
    if (!document.getElementById(`${prefix}-aspects-error`).hidden) {
      try {
        aspectsOf(prefix);
      } catch {
        /* still wrong: the message is updated */
      }
    }
  });
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
  let aspects;
  try {
    aspects = aspectsOf("analyze");
  } catch (err) {
    say(analyzeStatus, `Your aspects: ${err.message}`, "error");
    return;
  }
  button.disabled = true;
  button.textContent = "Analyzing…";
  say(analyzeStatus, "Analyzing…");
  try {
    const result = await api("/v1/analyze", aspects ? { text, aspects } : { text });
    if (result.error) throw new ApiError(200, result.error);
    showAnalysis(result, text, new Set(Object.keys(aspects || {}))); // the offsets are into this text, exactly as sent
    const warned = (result.warnings || []).length;
    say(analyzeStatus, `Verdict: ${result.label}, ${result.stars.toFixed(1)} out of 10 stars` +
      (warned ? `, with ${warned === 1 ? "a warning" : `${warned} warnings`} (above the verdict).` : "."));
  } catch (err) {
    reportError(err, analyzeStatus, analyzeReview);
  } finally {
    button.disabled = false;
    button.textContent = "Analyze";
  }
}

/**
 * P(positive) and how sure, both from the same rounding, as the terminal view writes them
 * (present/terminal.py, verdict_numbers): 0.19 → "0.19" and "81%", never "0.19 (82% sure)". Near 0
 * and 1 a third decimal ("0.998", "99.8%"), and beyond it "> 0.999", "over 99.9%".
 */
function verdictNumbers(probability) {
  for (const digits of [2, 3]) {
    const shown = probability.toFixed(digits);
    const scale = 10 ** digits;
    const units = Math.round(Number(shown) * scale);
    if ((units > 0 && units < scale) || probability === 0 || probability === 1) {
      const sure = Math.max(units, scale - units) / 10 ** (digits - 2);
      return { p: `= ${shown}`, sure: `${sure.toFixed(digits - 2)}%` };
    }
  }
  return { p: probability > 0.5 ? "> 0.999" : "< 0.001", sure: "over 99.9%" };
}

/** "reads 96% of its words" (as the terminal view): never 100% unless every word is known, never 0% if one is. */
function coverageWords(coverage) {
  let percent = Math.round(coverage * 100);
  if (coverage < 1) percent = Math.min(percent, 99);
  if (coverage > 0 && percent === 0) return "reads under 1% of its words";
  return `reads ${percent}% of its words`;
}

function showAnalysis(result, text, yours = new Set()) {
  const p = result.probability;
  const label = result.label;
  const numbers = verdictNumbers(p);
  $("#verdict").textContent = label.toUpperCase();
  $("#verdict").dataset.label = label;
  $("#verdict-line").dataset.label = label;

  renderWarnings(result.warnings || []);

  // The bar is drawn from the verdict's end: negative from the left, positive from the right.
  const meter = $("#meter");
  const sure = `${numbers.sure} sure ${label}`;
  meter.setAttribute("aria-valuenow", (p * 100).toFixed(1));
  meter.setAttribute("aria-valuetext", `${sure} (P(positive) ${numbers.p})`);
  const fill = $("#meter-fill");
  fill.dataset.side = label;
  fill.style.width = `${((label === "positive" ? p : 1 - p) * 100).toFixed(1)}%`;
  $("#meter-fill-label").textContent = `${label} ${numbers.sure}`;
  $("#probability").textContent = `${sure} · P(positive) ${numbers.p}`;
  const coverage = $("#coverage");
  coverage.hidden = typeof result.coverage !== "number";
  coverage.textContent = coverage.hidden ? "" : `The model ${coverageWords(result.coverage)}.`;

  $("#stars").setAttribute("aria-label", `${result.stars.toFixed(1)} out of 10 stars`);
  $("#stars").dataset.stars = String(result.stars);
  $("#star-fill").style.width = `${(result.stars / 10) * 100}%`;
  $("#star-value").textContent = `${result.stars.toFixed(1)} / 10`;

  const phrases = (result.evidence && result.evidence.phrases) || [];
  renderReview(text, result.sentences, phrases);
  renderEvidence(result.evidence, result.score, phrases);
  renderAspects(result.aspects || [], yours);
  $("#result").hidden = false;
}

/** Each clause that judges an aspect: the aspect (yours marked), its polarity, the clause (a link to its sentence). */
function renderAspects(aspects, yours) {
  $("#review-aspects").replaceChildren(...aspects.map((a) => {
    const clause = el("button", { type: "button", class: "link clause", title: "Show this sentence in the review",
      text: `“${shorten(a.clause.text, 160)}”` });
    clause.addEventListener("click", () => showSentence(a.sentence));
    return el("li", { class: `review-aspect ${polarityKind(a.polarity)}`, "data-aspect": a.aspect },
      el("span", { class: "aspect-name", text: a.aspect },
        yours.has(a.aspect) ? el("span", { class: "tag", text: "yours" }) : null),
      el("span", { class: "value", text: signed(a.polarity, 2) }),
      clause);
  }));
  $("#review-aspects-empty").hidden = aspects.length > 0;
}

function renderWarnings(warnings) {
  $("#warnings").replaceChildren(...warnings.map((warning) => el("li", { text: warning })));
  $("#warnings-box").hidden = warnings.length === 0;
}

// --- the review as written, its phrases marked in place --------------------------------------

/**
 * The UTF-16 offset of each code point of `text`, and of its end. The server's offsets count code
 * points (Python's str); JavaScript strings count UTF-16 units, and an emoji is two of them.
 */
function codePointOffsets(text) {
  const offsets = [];
  let unit = 0;
  for (const character of text) {
    offsets.push(unit);
    unit += character.length;
  }
  offsets.push(unit);
  return offsets;
}

/** Text as nodes: each `<br />` of raw IMDb text a line break, the rest text nodes (never parsed as HTML). */
function textNodes(text) {
  const nodes = [];
  text.split(/(<br\s*\/?>)/i).forEach((part, i) => {
    if (i % 2) nodes.push(document.createElement("br"));
    else if (part) nodes.push(part);
  });
  return nodes;
}

/** Whether every sentence has offsets inside the text, in order (a server before 0.2 sends none). */
function offsetsUsable(sentences, length) {
  let previous = 0;
  return sentences.every((s) => {
    const ok = Number.isInteger(s.start) && Number.isInteger(s.end) && previous <= s.start &&
      s.start <= s.end && s.end <= length && (s.end > s.start || !s.text);
    previous = s.end;
    return ok;
  });
}

/** Each phrase's stretches of words, by sentence, in reading order; a stretch overlapping one already placed is left out. */
function phrasePieces(phrases, sentences) {
  const pieces = [];
  phrases.forEach((phrase, k) => {
    (phrase.spans || []).forEach(([start, end], j) => {
      const sentence = sentences.findIndex((s) => s.start <= start && end <= s.end);
      if (Number.isInteger(start) && Number.isInteger(end) && start < end && sentence >= 0) {
        pieces.push({ start, end, phrase: k, first: j === 0, sentence });
      }
    });
  });
  pieces.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept = [];
  for (const piece of pieces) {
    if (!kept.length || piece.start >= kept[kept.length - 1].end) kept.push(piece);
  }
  // The phrase is reached by Tab once: at its first stretch shown.
  const reached = new Set();
  for (const piece of kept) {
    piece.focusable = !reached.has(piece.phrase);
    reached.add(piece.phrase);
  }
  return kept;
}

/** Whether a phrase is marked in the text: it has a word, and it pushed enough (the weakest would tint every word). */
const hasWord = (text) => /[\p{L}\p{N}]/u.test(text);
const marked = (phrase, strongest) =>
  hasWord(phrase.text) && Math.abs(phrase.contribution) >= PHRASE_MARKED_SHARE * strongest;

const direction = (contribution) => (contribution >= 0 ? "positive" : "negative");
const phraseLabel = (phrase) => `“${phrase.text}”: ${signed(phrase.contribution)} toward ${direction(phrase.contribution)}`;

function sentenceElement(s, i) {
  const kind = polarityKind(s.polarity);
  const title = `sentence polarity ${signed(s.polarity, 2)} · subjectivity ${s.subjectivity.toFixed(2)}`;
  return el("span", { class: "sentence", id: `sentence-${i}`, tabindex: "-1", "data-polarity": kind,
    "data-extract": String(s.in_extract), "--strength": Math.min(1, Math.abs(s.polarity)).toFixed(2),
    title: title + (s.in_extract ? " · in the extract" : "") });
}

/** The colours and the underline of a sentence, in words for screen readers. */
const sentenceNote = (s) =>
  el("span", { class: "visually-hidden sr-note", text: ` (${polarityKind(s.polarity)} sentence${s.in_extract ? ", in the extract" : ""})` });

/**
 * The review exactly as the user sent it: sentences as spans (tinted by polarity, the extract
 * underlined), phrases as marks inside them, everything between as plain text.
 */
function renderReview(text, sentences, phrases) {
  const box = $("#sentences");
  hideTip();
  box.replaceChildren();
  const at = codePointOffsets(text);
  const length = at.length - 1;
  const slice = (start, end) => textNodes(text.slice(at[start], at[end]));
  if (!offsetsUsable(sentences, length)) { // no offsets: the sentences as the analysis gives them
    sentences.forEach((s, i) => box.append(sentenceElement(s, i), " "));
    sentences.forEach((s, i) => $(`#sentence-${i}`).append(s.text, sentenceNote(s)));
  } else {
    const strongest = Math.max(1e-9, ...phrases.map((p) => Math.abs(p.contribution)));
    const pieces = phrasePieces(phrases.map((p) => (marked(p, strongest) ? p : { ...p, spans: [] })), sentences);
    let cursor = 0;
    sentences.forEach((s, i) => {
      if (s.start > cursor) box.append(el("span", { class: "gap" }, ...slice(cursor, s.start)));
      const node = sentenceElement(s, i);
      let position = s.start;
      for (const piece of pieces.filter((p) => p.sentence === i)) {
        if (piece.start > position) node.append(...slice(position, piece.start));
        node.append(phraseElement(phrases[piece.phrase], piece, strongest, slice(piece.start, piece.end)));
        position = piece.end;
      }
      if (s.end > position) node.append(...slice(position, s.end));
      node.append(sentenceNote(s));
      box.append(node);
      cursor = s.end;
    });
    if (cursor < length) box.append(el("span", { class: "gap" }, ...slice(cursor, length)));
  }
  updateExtractOnly();
}

function phraseElement(phrase, piece, strongest, nodes) {
  const strength = Math.abs(phrase.contribution) / strongest;
  return el("mark", {
    class: "phrase",
    "data-phrase": piece.phrase,
    "data-kind": direction(phrase.contribution),
    "data-strong": strength >= 0.5 ? "true" : "false",
    "data-contribution": phrase.contribution,
    "--strength": strength.toFixed(2),
    tabindex: piece.focusable ? "0" : null,
    role: "button",
    "aria-label": phraseLabel(phrase),
    "aria-describedby": "phrase-tip",
    "aria-expanded": "false",
  }, ...nodes);
}

// --- the phrase popover: on hover and on keyboard focus; Escape hides it ----------------------

let shownPhrase = null;

function showTip(mark) {
  const k = Number(mark.dataset.phrase);
  const phrase = current.phrases[k];
  if (!phrase) return;
  const tip = $("#phrase-tip");
  const kind = direction(phrase.contribution);
  const rank = `${rankWords(k + 1)} phrase`;
  tip.dataset.kind = kind;
  tip.replaceChildren(
    el("strong", { class: "value", text: `${signed(phrase.contribution)} toward ${kind}` }),
    el("span", { class: "tip-phrase", text: `“${phrase.text}”, ${rank}` }),
    phrase.features && phrase.features.length
      ? el("span", { class: "tip-features", text: `model features: ${phrase.features.slice(0, TIP_FEATURES).join(" · ")}` +
          (phrase.features.length > TIP_FEATURES ? ` … and ${phrase.features.length - TIP_FEATURES} more` : "") })
      : null,
  );
  document.querySelectorAll(".phrase.active").forEach((other) => other.classList.remove("active"));
  document.querySelectorAll(`.phrase[data-phrase="${k}"]`).forEach((other) => other.classList.add("active"));
  if (shownPhrase) shownPhrase.setAttribute("aria-expanded", "false");
  mark.setAttribute("aria-expanded", "true");
  shownPhrase = mark;
  tip.hidden = false;
  // Below the phrase's first line, kept inside the card.
  const card = tip.offsetParent || document.body;
  const frame = card.getBoundingClientRect();
  const line = mark.getClientRects()[0] || mark.getBoundingClientRect();
  const left = Math.max(8, Math.min(line.left - frame.left, frame.width - tip.offsetWidth - 8));
  tip.style.left = `${left}px`;
  tip.style.top = `${line.bottom - frame.top + 6}px`;
}

function hideTip() {
  $("#phrase-tip").hidden = true;
  document.querySelectorAll(".phrase.active").forEach((other) => other.classList.remove("active"));
  if (shownPhrase) shownPhrase.setAttribute("aria-expanded", "false");
  shownPhrase = null;
}

/** "the strongest", "the 2nd strongest", "the 13th strongest". */
function rankWords(n) {
  if (n === 1) return "the strongest";
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : { 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th";
  return `the ${n}${suffix} strongest`;
}

const phraseOf = (node) => (node instanceof Element ? node.closest(".phrase") : null);

function wirePhrases(box) {
  box.addEventListener("mouseover", (event) => {
    const mark = phraseOf(event.target);
    if (mark && mark !== shownPhrase) showTip(mark);
  });
  box.addEventListener("mouseout", (event) => {
    const mark = phraseOf(event.target);
    if (mark && !mark.contains(event.relatedTarget) && document.activeElement !== mark) hideTip();
  });
  box.addEventListener("focusin", (event) => {
    const mark = phraseOf(event.target);
    if (mark) showTip(mark);
  });
  box.addEventListener("focusout", (event) => {
    if (phraseOf(event.target) && !phraseOf(event.relatedTarget)) hideTip();
  });
  box.addEventListener("click", (event) => {
    const mark = phraseOf(event.target);
    if (mark) showTip(mark);
  });
  box.addEventListener("keydown", (event) => {
    const mark = phraseOf(event.target);
    if (!mark) return;
    if (event.key === "Escape") hideTip();
    else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (shownPhrase === mark) hideTip();
      else showTip(mark);
    }
  });
}

const current = { phrases: [] };

function updateExtractOnly() {
  const only = $("#extract-only").checked;
  $("#sentences").classList.toggle("extract-only", only);
  $("#extract-empty").hidden = !only || document.querySelector('.sentence[data-extract="true"]') !== null;
  hideTip();
}

/** Move to a sentence (or a phrase) of the review text and make it flash. */
function showInReview(target, sentence) {
  if (!target) return;
  if (sentence && sentence.dataset.extract === "false" && $("#extract-only").checked) {
    $("#extract-only").checked = false;
    updateExtractOnly();
  }
  target.focus();
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  target.scrollIntoView({ block: "center", behavior: still ? "auto" : "smooth" });
  target.classList.remove("flash");
  void target.offsetWidth; // restart the animation
  target.classList.add("flash");
}

const showSentence = (index) => {
  const sentence = document.getElementById(`sentence-${index}`);
  showInReview(sentence, sentence);
};

function showPhrase(k) {
  const mark = document.querySelector(`.phrase[data-phrase="${k}"][tabindex="0"]`);
  showInReview(mark, mark && mark.closest(".sentence"));
}

function renderEvidence(evidence, score, phrases) {
  current.phrases = phrases;
  const shown = phrases.length
    ? phrases.map((p, k) => ({ text: p.text, contribution: p.contribution, k }))
      .filter((p) => hasWord(p.text)).slice(0, NGRAMS_SHOWN)
    : evidence.ngrams.slice(0, NGRAMS_SHOWN).map((e) => ({ text: e.ngram, contribution: e.contribution, k: null }));
  const largest = Math.max(1e-9, ...shown.map((e) => Math.abs(e.contribution)));
  $("#ngrams").replaceChildren(
    ...shown.map((e) => {
      const inReview = e.k !== null && document.querySelector(`.phrase[data-phrase="${e.k}"]`) !== null;
      const text = inReview
        ? el("button", { type: "button", class: "link ngram-text", title: "Show this phrase in the review", text: e.text })
        : el("span", { class: "ngram-text", text: e.text, title: e.text });
      if (inReview) text.addEventListener("click", () => showPhrase(e.k));
      return el("li", { class: `ngram ${direction(e.contribution)}` },
        text,
        el("span", { class: "bar", "aria-hidden": "true" },
          el("span", { class: "bar-fill", "--size": (Math.abs(e.contribution) / largest).toFixed(3) })),
        el("span", { class: "value", text: signed(e.contribution) }));
    }),
  );
  const what = phrases.length ? "phrase" : "n-gram";
  $("#bias").textContent = `Score ${signed(score)} = bias ${signed(evidence.bias)} + the contributions of every ` +
    `${what} in the review (positive means positive).`;
  const sentences = evidence.sentences || [];
  $("#evidence-sentences").replaceChildren(
    ...sentences.map((e) => {
      const button = el("button", { type: "button", class: "link", title: "Show this sentence in the review" },
        el("span", { class: "value", text: signed(e.contribution) }), el("span", { text: shorten(e.text, 160) }));
      button.addEventListener("click", () => showSentence(e.index));
      return el("li", { class: direction(e.contribution) }, button);
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
wirePhrases($("#sentences"));
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
    const phrases = (r.evidence && r.evidence.phrases) || [];
    const top = (sign) => phrases.filter((p) => sign * p.contribution > 0).slice(0, ROW_PHRASES).map((p) => p.text).join("; ");
    const row = r.error ? { ...r, warnings: null } : {
      ...r, n_sentences: (r.sentences || []).length, extract: extractOf(r),
      top_positive: top(1), top_negative: top(-1), warnings: (r.warnings || []).join("; "),
    };
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

// --- tab 3: films: a table of reviews summarized film by film ---------------------------------

const filmsStatus = $("#films-status");
const MAX_FILM_CHARS = 256;        // the server's longest film name
const films = { fileName: null, dated: false, yours: new Set() };

const percent = (share) => `${Math.round(share * 100)}%`;

/** The pasted or opened table as rows: JSON Lines when the file's name says so or the text starts with { or [, else CSV. */
function parseTable(text, fileName) {
  const name = fileName || "";
  const json = /\.(jsonl|ndjson|json)$/i.test(name) || (!/\.csv$/i.test(name) && /^[\s\ufeff]*[[{]/.test(text));
  return json ? parseJsonLines(text) : parseCsv(text);
}

/** The column the user named, matched exactly, else ignoring case and spaces around it. */
function findColumn(columns, wanted) {
  return columns.includes(wanted) ? wanted
    : columns.find((c) => c.trim().toLowerCase() === wanted.trim().toLowerCase());
}

/** The table's columns offered in the date column's list; a column named "date" is chosen if none is. */
function offerColumns(chooseDate) {
  let columns = [];
  try {
    columns = parseTable($("#films-table").value, films.fileName).columns;
  } catch {
    return; // Summarize says what is wrong
  }
  $("#films-columns").replaceChildren(...columns.map((c) => el("option", { value: c })));
  const date = columns.find((c) => c.trim().toLowerCase() === "date");
  if (chooseDate && date && !$("#date-column").value.trim()) $("#date-column").value = date;
}

async function loadFilmsFile(file) {
  try {
    $("#films-table").value = await file.text();
    films.fileName = file.name;
    offerColumns(true);
    say(filmsStatus, `Loaded ${file.name} (${$("#films-table").value.length.toLocaleString()} characters). ` +
      "Check the column names, then press Summarize.");
    $("#films-table").focus();
  } catch (err) {
    say(filmsStatus, `Could not read ${file.name}: ${err.message}`, "error");
  }
}

/** The request's reviews, or throw an Error whose message says what to fix. */
function filmsReviews() {
  const text = $("#films-table").value;
  if (!text.trim()) throw new Error("Paste a table of reviews, or open a file, first.");
  let table;
  try {
    table = parseTable(text, films.fileName);
  } catch (err) {
    throw new Error(`Could not read the table: ${err.message}.`);
  }
  const { columns, rows } = table;
  if (!rows.length) throw new Error("The table holds no reviews: it needs a header row and a row per review.");
  const named = { film: $("#film-column").value, text: $("#review-column").value };
  if ($("#date-column").value.trim()) named.date = $("#date-column").value;
  const found = {};
  for (const [role, wanted] of Object.entries(named)) {
    found[role] = wanted.trim() ? findColumn(columns, wanted) : undefined;
    if (found[role] === undefined) {
      const what = { film: "film", text: "review", date: "date" }[role];
      throw new Error(`The table has no column “${wanted}” for the ${what}: its columns are ${columns.join(", ")}.`);
    }
  }
  if (rows.length > BATCH_MAX_REVIEWS) {
    throw new Error(`The table has ${rows.length.toLocaleString()} reviews; the server summarizes at most ` +
      `${BATCH_MAX_REVIEWS.toLocaleString()} at a time.`);
  }
  return rows.map((row, i) => {
    const film = String(row[found.film] ?? "");
    if (film.length > MAX_FILM_CHARS) {
      throw new Error(`Row ${i + 1}: the film's name is over ${MAX_FILM_CHARS} characters.`);
    }
    const review = { film, text: String(row[found.text] ?? "") };
    if (found.date !== undefined) {
      const date = String(row[found.date] ?? "").trim();
      if (date) review.date = date.slice(0, 64); // the server's longest date; "2024-03" is all it reads
    }
    return review;
  });
}

async function runFilms() {
  const button = $("#films-run");
  if (button.disabled) return; // Ctrl+Enter while a request is on its way
  let reviews;
  let aspects;
  try {
    reviews = filmsReviews();
  } catch (err) {
    say(filmsStatus, err.message, "error");
    return;
  }
  try {
    aspects = aspectsOf("films");
  } catch (err) {
    say(filmsStatus, `Your aspects: ${err.message}`, "error");
    return;
  }
  button.disabled = true;
  button.textContent = "Summarizing…";
  say(filmsStatus, `Summarizing ${reviews.length.toLocaleString()} reviews…`);
  try {
    const answer = await api("/v1/summarize", aspects ? { reviews, aspects } : { reviews });
    films.dated = $("#date-column").value.trim() !== "";
    films.yours = new Set(Object.keys(aspects || {}));
    showFilms(answer.films);
    const failed = answer.films.reduce((sum, f) => sum + f.failed, 0);
    const count = answer.films.length;
    say(filmsStatus, `Done: ${count} ${count === 1 ? "film" : "films"} from ${reviews.length.toLocaleString()} ` +
      `reviews${failed ? ` (${failed} could not be read)` : ""}.`);
  } catch (err) {
    reportError(err, filmsStatus, runFilms);
  } finally {
    button.disabled = false;
    button.textContent = "Summarize";
  }
}

function showFilms(list) {
  $("#films-caption").textContent = `${list.length} ${list.length === 1 ? "film" : "films"}, the most reviewed first.`;
  $("#films-body").replaceChildren(...list.map((film, i) => filmRow(film, i)));
  // The aspects as columns: the most judged first (over all films), then by name.
  const judged = new Map();
  for (const film of list) {
    for (const a of film.aspects) judged.set(a.aspect, (judged.get(a.aspect) || 0) + a.reviews);
  }
  const aspects = [...judged.keys()].sort((a, b) => judged.get(b) - judged.get(a) || a.localeCompare(b));
  $("#heatmap-caption").textContent = aspects.length
    ? "Share positive of the reviews that judge each aspect, film by film."
    : "No review judges an aspect.";
  $("#heatmap-head").replaceChildren(el("tr", {}, el("th", { scope: "col", text: "film" }),
    ...aspects.map((name) => el("th", { scope: "col", class: films.yours.has(name) ? "yours" : null,
      title: films.yours.has(name) ? "one of your aspects" : null, text: name }))));
  $("#heatmap-body").replaceChildren(...list.map((film) => {
    const byName = new Map(film.aspects.map((a) => [a.aspect, a]));
    return el("tr", {}, el("th", { scope: "row", text: film.group }),
      ...aspects.map((name) => heatCell(film.group, name, byName.get(name))));
  }));
  $("#heatmap-body").closest(".card").hidden = !aspects.length;
  $("#films-result").hidden = false;
}

function filmRow(film, i) {
  const readable = film.reviews - film.failed;
  const share = film.share_positive;
  const stars = film.stars;
  const reviews = film.failed ? `${film.reviews} (${film.failed} failed)` : String(film.reviews);
  // The film's name opens a row under it: its months and its aspects' strongest quotes.
  const toggle = el("button", { type: "button", class: "film-toggle", "aria-expanded": "false",
    "aria-controls": `film-detail-${i}`, text: film.group });
  toggle.addEventListener("click", () => toggleFilm(toggle, film, i));
  return el("tr", { class: film.failed ? "has-failed film" : "film" },
    el("th", { scope: "row" }, toggle),
    el("td", { class: "number", text: reviews }),
    el("td", { class: "number", text: readable ? `${percent(share.value)} (${percent(share.low)}–${percent(share.high)})` : "—" }),
    el("td", { class: "number", text: stars.mean == null ? "—"
      : `${stars.mean.toFixed(1)} (${stars.low.toFixed(1)}–${stars.high.toFixed(1)})` }));
}

function toggleFilm(toggle, film, i) {
  const open = toggle.getAttribute("aria-expanded") === "true";
  toggle.setAttribute("aria-expanded", String(!open));
  const row = toggle.closest("tr");
  if (open) {
    document.getElementById(`film-detail-${i}`)?.remove();
    return;
  }
  row.after(el("tr", { class: "film-detail", id: `film-detail-${i}` },
    el("td", { colspan: 4 }, filmMonths(film), filmQuotes(film))));
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

/** A film's months: a small line of the share positive by month, and each month in words. */
function filmMonths(film) {
  const box = el("div", { class: "film-months", "data-testid": "film-months" },
    el("h4", { text: "By month" }));
  const months = film.months || [];
  if (!months.length) {
    box.append(el("p", { class: "hint", text: films.dated
      ? "None of its reviews has a date that reads as a month (2024-03, 2024-03-17)."
      : "Give the date column above, then Summarize again, to see its reviews month by month." }));
    return box;
  }
  const width = Math.max(120, 48 * months.length);
  const height = 48;
  const x = (k) => (months.length === 1 ? width / 2 : 8 + (k * (width - 16)) / (months.length - 1));
  const y = (share) => 6 + (1 - share) * (height - 12);
  const said = months.map((m) => `${m.month} ${percent(m.share_positive.value)}`).join(", ");
  const line = svg("svg", { class: "month-line", viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    "aria-label": `Share positive by month: ${said}` });
  line.append(svg("line", { class: "mid", x1: 0, x2: width, y1: y(0.5), y2: y(0.5) }));
  if (months.length > 1) {
    line.append(svg("polyline", { points: months.map((m, k) => `${x(k)},${y(m.share_positive.value)}`).join(" ") }));
  }
  months.forEach((m, k) => line.append(svg("circle", { cx: x(k), cy: y(m.share_positive.value), r: 3.5 })));
  box.append(line, el("ol", { class: "months" }, ...months.map((m) => el("li", { "data-testid": "film-month",
    text: `${m.month}: ${m.reviews} ${m.reviews === 1 ? "review" : "reviews"}, ${percent(m.share_positive.value)} ` +
      `positive, ${m.stars.toFixed(1)} stars` }))));
  return box;
}

/** A film's aspects, each with its strongest quote. */
function filmQuotes(film) {
  if (!film.aspects.length) return null;
  return el("div", { class: "film-quotes" }, el("h4", { text: "Aspects, with the strongest quote" }),
    el("ul", {}, ...film.aspects.map((a) => el("li", {},
      el("strong", { text: a.aspect }),
      ` ${percent(a.share_positive.value)} positive of ${a.reviews}` +
        (a.quotes.length ? `: “${shorten(a.quotes[0].text, 120)}”` : "")))));
}

/** One cell of the heat map: red (no review positive) to green (all), "80% (5)". */
function heatCell(film, aspect, found) {
  if (!found) {
    return el("td", { class: "heat empty", "aria-label": `${film}, ${aspect}: no review judges it`, text: "" });
  }
  const share = found.share_positive.value;
  const reviews = `${found.reviews} ${found.reviews === 1 ? "review" : "reviews"}`;
  const label = `${film}, ${aspect}: ${percent(share)} positive of ${reviews}`;
  const interval = `95% interval ${percent(found.share_positive.low)}–${percent(found.share_positive.high)}`;
  return el("td", { class: "heat", "--share": share.toFixed(3), "aria-label": label, title: `${label} (${interval})`,
    "data-testid": "heat-cell", text: `${percent(share)} (${found.reviews})` });
}

$("#films-form").addEventListener("submit", (event) => {
  event.preventDefault();
  runFilms();
});
$("#films-table").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    runFilms();
  }
});
$("#films-table").addEventListener("input", () => (films.fileName = null)); // typed or pasted: guess the format
$("#films-table").addEventListener("change", () => offerColumns(false));
$("#films-file").addEventListener("change", (event) => {
  if (event.target.files[0]) loadFilmsFile(event.target.files[0]);
  event.target.value = "";
});
dropZone($("#films-drop"), loadFilmsFile);

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
