// pustaka's web page: a thin client of the JSON API (/api/openapi.json), no build step.
"use strict";

const T = {
  id: {
    search_ph: "Cari kata, \"frasa\", cites:unodc …", lang: "Bahasa", doc: "Dokumen", kind: "Jenis",
    any: "semua", back: "← kembali", citations: "Sitasi", check_title: "Periksa teks",
    check_ph: "Tempel paragraf atau draf untuk diperiksa …", check_btn: "Periksa",
    results: (n, ms) => `${n} bagian (${ms} ms)`, none: "Tidak ada bagian yang cocok.",
    lines: "baris", no_entry: "tidak ada di daftar pustaka", no_reuse: "Tidak ada teks korpus yang dipakai ulang.", not_checked: "Tidak diperiksa",
    reused: (r, p) => `${r} dari ${p} paragraf memakai ulang teks korpus`, similarity: "kemiripan",
    translated_cited: "terjemahan, mengutip sumbernya", translated_uncited: "terjemahan, tanpa mengutip sumbernya",
    cites_nothing: "sumber tidak mengutip apa pun", no_cites: "Bagian ini tidak mengutip.",
    error: "Galat", checking: "Memeriksa …", cite: "kutip", copy: "salin", page: "hlm.", source: "sumber",
    containment: "terkandung", prev: "← sebelumnya", next: "berikutnya →",
    shown: (a, b, n) => `${a}–${b} dari ${n}`,
    more: (n) => `${n} bagian lagi dari dokumen ini →`, view: "Tampilan", per_passage: "per bagian",
    per_doc: "per dokumen", doc_results: (d, n, ms) => `${d} dokumen, ${n} bagian (${ms} ms)`,
    of_doc: (n) => `${n} bagian cocok dari dokumen ini →`, doc_ph: "ketik judul, penulis, tahun …",
    doc_clear: "hapus filter dokumen", doc_none: "Tidak ada dokumen yang cocok.",
    doc_rest: (n) => `${n} lagi — ketik lebih banyak untuk mempersempit`,
    via: "lewat terjemahan",
    report_line: (pct, w, n, s) => `Indeks kemiripan ${pct}: ${w} dari ${n} kata naskah ada di ${s} sumber`,
    source_line: (n, a) => `${n} bentangan, ${a} mengutipnya`, full_report: "Laporan lengkap (HTML)",
    click_stretch: "Klik bentangan yang ditandai untuk melihat sumbernya.",
    attribution: { attributed: "naskah mengutip sumber ini di sini", cites_other: "naskah mengutip karya lain di sini", uncited: "naskah tidak mengutip apa pun di sini" },
    upload: "atau unggah .txt, .md, .docx, .odt, .pdf", checking_file: (f) => `Memeriksa ${f} …`,
    too_big: (f, mb, max) => `${f} berukuran ${mb} MB, melebihi ${max} MB yang dapat diperiksa; bagi naskahnya atau simpan teksnya sebagai .txt`,
  },
  en: {
    search_ph: "Search words, \"phrases\", cites:unodc …", lang: "Language", doc: "Document", kind: "Kind",
    any: "any", back: "← back", citations: "Citations", check_title: "Check a text",
    check_ph: "Paste a paragraph or a draft to check …", check_btn: "Check",
    results: (n, ms) => `${n} passages (${ms} ms)`, none: "No passage matches.",
    lines: "lines", no_entry: "not in the bibliography", no_reuse: "No corpus text is reused.", not_checked: "Not checked",
    reused: (r, p) => `${r} of ${p} paragraphs reuse corpus text`, similarity: "similarity",
    translated_cited: "translated, citing its source", translated_uncited: "translated, not citing its source",
    cites_nothing: "the source cites nothing", no_cites: "This passage cites nothing.",
    error: "Error", checking: "Checking …", cite: "cite", copy: "copy", page: "p.", source: "source",
    containment: "containment", prev: "← previous", next: "next →",
    shown: (a, b, n) => `${a}–${b} of ${n}`,
    more: (n) => `${n} more from this document →`, view: "View", per_passage: "per passage",
    per_doc: "per document", doc_results: (d, n, ms) => `${d} documents, ${n} passages (${ms} ms)`,
    of_doc: (n) => `${n} matching passages of this document →`, doc_ph: "type a title, author, year …",
    doc_clear: "clear the document filter", doc_none: "No document matches.",
    doc_rest: (n) => `${n} more — type more to narrow`,
    report_line: (pct, w, n, s) => `Similarity index ${pct}: ${w} of the manuscript's ${n} words stand in ${s} sources`,
    source_line: (n, a) => `${n} stretches, ${a} citing it`, full_report: "Full report (HTML)",
    click_stretch: "Click a marked stretch to see its source.",
    attribution: { attributed: "the manuscript cites this source here", cites_other: "the manuscript cites another work here", uncited: "the manuscript cites nothing here" },
    via: "through translation",
    upload: "or upload .txt, .md, .docx, .odt, .pdf", checking_file: (f) => `Checking ${f} …`,
    too_big: (f, mb, max) => `${f} is ${mb} MB, over the ${max} MB a check takes; split the manuscript or save its text as .txt`,
  },
};
const KINDS = ["body", "heading", "abstract", "keywords", "caption", "table", "footnote", "bibliography"];
let ui = localStorage.getItem("pustaka-ui") || "id";
const $ = (id) => document.getElementById(id);
const t = (k, ...a) => (typeof T[ui][k] === "function" ? T[ui][k](...a) : T[ui][k]);

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function applyLabels() {
  document.documentElement.lang = ui;
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  document.querySelectorAll("[data-ph]").forEach((el) => { el.placeholder = t(el.dataset.ph); });
  document.querySelectorAll("[data-al]").forEach((el) => { el.setAttribute("aria-label", t(el.dataset.al)); });
  $("lang-toggle").textContent = ui === "id" ? "EN" : "ID";
}

async function api(path, opts) {
  const r = await fetch(path, opts);
  const body = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function where(h) {
  const parts = [h.doc];
  if (h.chapter && h.chapter !== h.title) parts.push(h.chapter);
  if (h.section || h.section_title) parts.push([h.section, h.section_title].filter(Boolean).join(" "));
  // On a paged source the page's own line numbers are what a reader of the page counts.
  if (h.page && h.page_lines) {
    const [a, b] = h.page_lines;
    parts.push(h.page_end && h.page_end !== h.page
      ? `${t("page")} ${h.page}:${a} – ${h.page_end}:${b}`
      : `${t("page")} ${h.page}, ${t("lines")} ${a}–${b}`);
  } else {
    if (h.page) parts.push(`${t("page")} ${h.page}`);
    parts.push(`${t("lines")} ${h.lines[0]}–${h.lines[1]}`);
  }
  // Read by OCR from a scanned page: a word may be misread, so a quote wants checking.
  if (h.ocr) parts.push("OCR");
  return parts.map(esc).join(" · ");
}

// ---- The page's state, kept in its URL ----
// Everything the page shows follows from its URL, so that a reload, a shared link and
// back/forward show the same thing:
//   /?q=…&lang=…&doc=…&kind=…&view=docs&page=2&p=<passage id>
// Every change goes through `go` (which writes the URL) and `render` (which shows it).

const PAGE = 20;

/// The state a URL says (the page's own by default).
function readState(url) {
  const u = new URL(url || location.href);
  const s = u.searchParams;
  let page = parseInt(s.get("page"), 10) || 1;
  // Links written before page numbers: ?offset=20.
  if (!s.has("page") && s.get("offset")) page = Math.floor((parseInt(s.get("offset"), 10) || 0) / PAGE) + 1;
  return {
    q: s.get("q") || "", lang: s.get("lang") || "", doc: s.get("doc") || "", kind: s.get("kind") || "",
    view: s.get("view") === "docs" ? "docs" : "", page: Math.max(1, page),
    // Links written before the passage was a parameter: /#<passage id>.
    p: s.get("p") || hashId(u.hash),
  };
}

function hashId(hash) {
  try { return decodeURIComponent(hash.slice(1)); } catch (e) { return ""; }
}

/// The URL of a state; parameters at their defaults are left out.
function stateUrl(st) {
  const u = new URLSearchParams();
  for (const k of ["q", "lang", "doc", "kind", "view"]) if (st[k]) u.set(k, st[k]);
  if (st.page > 1) u.set("page", String(st.page));
  if (st.p) u.set("p", st.p);
  const s = u.toString();
  return s ? `/?${s}` : "/";
}

/// The API request for a state's results: the same for every passage opened over them.
function searchParams(st) {
  const params = new URLSearchParams({ q: st.q, limit: String(PAGE) });
  if (st.page > 1) params.set("offset", String((st.page - 1) * PAGE));
  for (const k of ["lang", "doc", "kind"]) if (st[k]) params.set(k, st[k]);
  if (st.view === "docs") params.set("docs", "1");
  return params.toString();
}

/// Move to a state: a new history entry ("push") or in place of this one ("replace"). An entry
/// that only opens a passage over the list of the entry before is marked `over`, so that
/// closing the passage can go back to that list instead of stacking another entry.
function go(st, how) {
  const url = stateUrl(st);
  const now = readState();
  if (how === "push" && url !== stateUrl(now)) {
    const over = Boolean(st.p) && !now.p && searchParams(st) === searchParams(now);
    history.pushState({ over }, "", url);
  } else {
    history.replaceState(history.state, "", url);
  }
  return render(st);
}

/// A query being typed replaces its own entry rather than adding one per pause; a different
/// query (or one typed over an opened passage) gets its own, for back to return to.
function typingHow(before, q) {
  if (before.p) return "push";
  const same = before.q && q && (q.startsWith(before.q) || before.q.startsWith(q));
  return same ? "replace" : "push";
}

let renders = 0;
let shownSearch = null;
/// Show a state: its search (unless the list already shows it), then the passage or the list.
async function render(st, force) {
  const mine = ++renders;
  showForm(st);
  const key = searchParams(st);
  if (force || key !== shownSearch) {
    await runSearch(st, key, mine);
    if (mine !== renders) return;
  }
  if (st.p) await openPassage(st.p, mine);
  else closePassage();
}

/// The form as the state says, leaving alone a field the user is typing in.
function showForm(st) {
  if ($("q").value.trim() !== st.q) $("q").value = st.q;
  setSelect($("f-lang"), st.lang);
  setSelect($("f-kind"), st.kind);
  setSelect($("f-view"), st.view);
  if (document.activeElement !== $("f-doc")) $("f-doc").value = docLabel(st.doc);
  $("f-doc-clear").hidden = !st.doc;
}

/// A select set to a value, with an option added for a value it does not offer (a shared link
/// may name a language this index does not hold).
function setSelect(el, v) {
  if (v && ![...el.options].some((o) => o.value === v)) el.insertAdjacentHTML("beforeend", `<option value="${esc(v)}">${esc(v)}</option>`);
  el.value = v;
}

// ---- Results ----

async function runSearch(st, key, mine) {
  if (!st.q) {
    shownSearch = key;
    $("results").innerHTML = ""; $("status").textContent = ""; pager(st, 0, 0);
    $("results").dataset.q = ""; $("results").dataset.search = key;
    return;
  }
  try {
    const r = await api(`/api/search?${key}`);
    if (mine !== renders) return;
    shownSearch = key;
    const notes = (r.notes || []).join("; ");
    const docs = st.view === "docs";
    const took = r.took_ms.toFixed(1);
    $("status").textContent = (r.total ? (docs ? t("doc_results", r.total_docs, r.total, took) : t("results", r.total, took)) : t("none"))
      + (notes ? ` (${notes})` : "");
    pager(st, docs ? r.total_docs : r.total, (docs ? r.docs : r.hits).length);
    // Which search the list answers: a test (or a script) waits for this, not for any list.
    $("results").dataset.q = st.q;
    $("results").dataset.search = key;
    $("results").innerHTML = docs ? r.docs.map((d) => docItem(d, st)).join("") : r.hits.map((h) => hitItem(h, st)).join("");
  } catch (e) {
    if (mine === renders) { shownSearch = null; $("status").textContent = `${t("error")}: ${e.message}`; }
  }
}

/// A link within the page: a real URL (it can be opened in a new tab or copied), followed in
/// place by `onLinkClick`. A link to a passage also names it alone (`data-p`): followed, it
/// opens over whatever the page shows then, which for the check panel's links may no longer be
/// the search they were drawn under.
function link(st, cls, html) {
  const p = st.p ? ` data-p="${esc(st.p)}"` : "";
  return `<a class="nav ${cls}" href="${esc(stateUrl(st))}"${p}>${html}</a>`;
}

/// The same search restricted to one document: the server then shows all its passages.
function docState(st, doc) {
  return { ...st, doc, view: "", page: 1, p: "" };
}

/// A link to the hit's original file, at its page where the file is a PDF, for checking a
/// quotation against the source. Only documents that are files of their own have one: a record
/// of a JSON Lines file (an id without a file extension) does not, and the server would say so.
function sourceLink(h) {
  if (!/\.(txt|md|pdf|docx|odt)$/i.test(h.doc)) return "";
  const at = h.page && /\.pdf$/i.test(h.doc) ? `#page=${h.page}` : "";
  const href = `/api/docs/${encodeURIComponent(h.doc)}/file${at}`;
  return ` <a class="source" href="${esc(href)}" target="_blank" rel="noopener">${t("source")}</a>`;
}

/// Which query words a hit matched only in translation: `women → perempuan`.
function viaLine(h) {
  if (!h.via || !h.via.length) return "";
  const pairs = h.via.map((v) => `${esc(v.word)} → <mark>${esc(v.as)}</mark>`).join(", ");
  return `<div class="via">${t("via")}: ${pairs}</div>`;
}

function hitItem(h, st) {
  // `more` is on a document's last hit of the page, when the page shows few of its passages.
  const more = h.more ? `<div>${link(docState(st, h.doc), "more", esc(t("more", h.more)))}</div>` : "";
  return `
      <li class="hit" data-id="${esc(h.id)}" data-doc="${esc(h.doc)}">
        ${h.cite_as ? `<span class="by">${esc(h.cite_as)}</span> · ` : ""}${link({ ...st, p: h.id }, "open", esc(h.title))}
        <div class="where">${where(h)} · ${esc(h.kind)} · ${esc(h.lang)}</div>
        <p class="snippet">${h.snippet}</p>${viaLine(h)}
        <button class="cite" type="button">${t("cite")}</button>${sourceLink(h)}
        <div class="cited" hidden></div>
        ${more}
      </li>`;
}

/// A document of the per-document view: its best passage, and how many of its passages match.
function docItem(d, st) {
  const h = d.best;
  return `
      <li class="hit doc" data-id="${esc(h.id)}" data-doc="${esc(d.doc)}">
        ${h.cite_as ? `<span class="by">${esc(h.cite_as)}</span> · ` : ""}${link({ ...st, p: h.id }, "open", esc(d.title))}
        <div class="where">${where(h)} · ${esc(h.kind)} · ${esc(h.lang)}</div>
        <p class="snippet">${h.snippet}</p>${viaLine(h)}
        <div>${link(docState(st, d.doc), "more", esc(t("of_doc", d.matches)))}</div>
      </li>`;
}

/// Previous and next page of hits, with which ones are shown.
let pagerWanted = false;
function pager(st, total, shown) {
  const from = (st.page - 1) * PAGE;
  pagerWanted = total > PAGE || st.page > 1;
  $("pager").hidden = !pagerWanted;
  if (!pagerWanted) return;
  $("page-info").textContent = shown ? t("shown", from + 1, from + shown, total) : "";
  $("prev").disabled = st.page === 1;
  $("next").disabled = from + PAGE >= total;
}

function turn(by) {
  const st = readState();
  go({ ...st, page: Math.max(1, st.page + by), p: "" }, "push");
  window.scrollTo(0, 0);
}

/// The citation of a hit (in-text, APA, BibTeX), shown under it with a copy button each.
async function showCite(li) {
  const box = li.querySelector(".cited");
  if (!box.hidden) { box.hidden = true; return; }
  try {
    const c = await api(`/api/cite?id=${encodeURIComponent(li.dataset.id)}`);
    box.innerHTML = [c.in_text, c.apa, c.bibtex].map((x) =>
      `<div class="ref"><pre>${esc(x)}</pre><button class="copy" type="button">${t("copy")}</button></div>`).join("");
    box.hidden = false;
  } catch (e) {
    box.textContent = `${t("error")}: ${e.message}`;
    box.hidden = false;
  }
}

// ---- The passage in context ----

async function openPassage(id, mine) {
  try {
    const c = await api(`/api/passages/${encodeURIComponent(id)}?context=1`);
    if (mine !== renders) return;
    const p = c.passage;
    const block = (x, focus) => `<div class="ctx${focus ? " focus" : ""}"><div class="where">${esc(x.id)} · ${where(x)}</div>${esc(x.text)}</div>`;
    $("context").innerHTML = `<h2>${esc(p.title)}</h2>` + (p.cite_as ? `<div class="where">${esc(p.cite_as)}</div>` : "") + c.before.map((x) => block(x, false)).join("") + block(p, true) + c.after.map((x) => block(x, false)).join("");
    $("context").dataset.id = p.id;
    let refs = null;
    if ((p.citations || []).some((x) => x.entry !== null && x.entry !== undefined)) {
      refs = await api(`/api/refs/${encodeURIComponent(p.doc)}`).catch(() => null);
      if (mine !== renders) return;
    }
    $("citations").innerHTML = citationItems(p, refs);
    $("passage").hidden = false;
    $("results").hidden = true;
    $("pager").hidden = true;
    $("passage").scrollIntoView();
  } catch (e) {
    if (mine !== renders) return;
    $("status").textContent = `${t("error")}: ${e.message}`;
    closePassage();
  }
}

/// A passage's citations, each linked to its entry in the document's bibliography.
function citationItems(p, refs) {
  if (!(p.citations || []).length) return `<li>${t("no_cites")}</li>`;
  const st = readState();
  const entry = (i) => refs && refs.entries.find((e) => e.index === i);
  return p.citations.map((x) => {
    const e = x.entry !== null && x.entry !== undefined ? entry(x.entry) : null;
    const to = e ? `→ ${link({ ...st, p: e.passage_id }, "", esc(e.text))}` : `→ ${t("no_entry")}`;
    return `<li><strong>${esc((x.authors || []).join(", "))} ${esc(x.year || "n.d.")}</strong> — ${esc(x.raw)}<div class="entry">${to}</div></li>`;
  }).join("");
}

function closePassage() {
  const was = $("passage").hidden ? "" : $("context").dataset.id;
  $("passage").hidden = true;
  $("results").hidden = false;
  $("pager").hidden = !pagerWanted;
  // Back where the reader left the list: at the hit just read.
  const hit = was && [...document.querySelectorAll("#results li.hit")].find((li) => li.dataset.id === was);
  if (hit) hit.scrollIntoView({ block: "center" });
}

/// The back button: to the results the passage was opened over if that is the entry before,
/// else to this state without the passage.
function leavePassage() {
  if (history.state && history.state.over) history.back();
  else go({ ...readState(), p: "" }, "push");
}

// ---- The document filter: type to narrow 600+ documents ----
// A combobox (WAI-ARIA 1.2 pattern) over /api/docs: each typed word must occur in a document's
// id, title, authors, year or journal. A native <select> of 600 titles cannot be searched,
// and a <datalist> matches on different fields per browser and shows ids once chosen.

const SHOW_DOCS = 50; // options drawn at once: enough to browse, few enough to stay instant
let DOCS = [];
let docOptions = [];
let activeDoc = -1;

async function loadDocs() {
  try {
    const d = await api("/api/docs");
    DOCS = d.docs.map((x) => ({
      id: x.id,
      title: x.title,
      label: `${x.cite_as || x.id.replace(/\.txt$/, "")} — ${x.title}`,
      meta: [x.id, (x.authors || []).join(", "), x.year, x.journal].filter(Boolean).join(" · "),
      hay: fold([x.id, x.title, x.cite_as, (x.authors || []).join(" "), x.year, x.journal].join(" ")),
    }));
    $("f-doc").dataset.docs = String(DOCS.length);
    showForm(readState());
  } catch (e) { /* the filter then takes a typed document id as it is */ }
}

/// Lower case without accents, so `Tapachula` finds `tapachula` and `Mexico` finds `México`.
function fold(s) {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function docLabel(id) {
  const d = DOCS.find((x) => x.id === id);
  return d ? d.label : id;
}

function docMatches(text) {
  const words = fold(text).split(/\s+/).filter(Boolean);
  return DOCS.filter((d) => words.every((w) => d.hay.includes(w)));
}

function showDocList(text) {
  const all = docMatches(text);
  docOptions = all.slice(0, SHOW_DOCS);
  const rest = all.length - docOptions.length;
  $("doc-list").innerHTML = docOptions.map((d, i) =>
    `<li role="option" id="doc-opt-${i}" data-i="${i}" aria-selected="false" title="${esc(d.label)}"><span class="t">${esc(d.title)}</span><span class="where">${esc(d.meta)}</span></li>`).join("")
    + (all.length ? "" : `<li class="note" role="presentation">${t("doc_none")}</li>`)
    + (rest > 0 ? `<li class="note" role="presentation">${t("doc_rest", rest)}</li>` : "");
  $("doc-list").hidden = false;
  $("f-doc").setAttribute("aria-expanded", "true");
  setActiveDoc(-1);
}

function hideDocList() {
  $("doc-list").hidden = true;
  $("f-doc").setAttribute("aria-expanded", "false");
  setActiveDoc(-1);
}

function setActiveDoc(i) {
  const old = $(`doc-opt-${activeDoc}`);
  if (old) old.setAttribute("aria-selected", "false");
  activeDoc = i;
  const el = $(`doc-opt-${i}`);
  if (!el) { $("f-doc").removeAttribute("aria-activedescendant"); return; }
  el.setAttribute("aria-selected", "true");
  $("f-doc").setAttribute("aria-activedescendant", el.id);
  el.scrollIntoView({ block: "nearest" });
}

/// The document chosen becomes the `doc` filter; none (cleared) lifts it.
function chooseDoc(id) {
  hideDocList();
  $("f-doc").value = docLabel(id);
  if (id !== readState().doc) go(fromForm({ doc: id }), "push");
  else showForm(readState());
}

function onDocInput() {
  const text = $("f-doc").value;
  if (text.trim()) { showDocList(text); return; }
  hideDocList();
  if (readState().doc) chooseDoc("");
}

function onDocKey(e) {
  const open = !$("doc-list").hidden;
  if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    e.preventDefault();
    if (!open) { showDocList(docLabel(readState().doc) === $("f-doc").value ? "" : $("f-doc").value); return; }
    const n = docOptions.length;
    if (n) setActiveDoc(e.key === "ArrowDown" ? (activeDoc + 1) % n : (activeDoc - 1 + n) % n);
  } else if (e.key === "Enter" && open) {
    // Enter takes the highlighted document, or the first that matches; it does not submit.
    e.preventDefault();
    const d = docOptions[Math.max(activeDoc, 0)];
    if (d) chooseDoc(d.id);
  } else if (e.key === "Escape" && open) {
    e.preventDefault();
    hideDocList();
    $("f-doc").value = docLabel(readState().doc);
  }
}

/// Leaving the field without choosing keeps the filter as it was.
function onDocBlur() {
  hideDocList();
  $("f-doc").value = docLabel(readState().doc);
}

function wireDocFilter() {
  $("f-doc").addEventListener("input", onDocInput);
  $("f-doc").addEventListener("keydown", onDocKey);
  $("f-doc").addEventListener("blur", onDocBlur);
  // mousedown would blur the field (and close the list) before the click lands.
  $("doc-list").addEventListener("mousedown", (e) => e.preventDefault());
  $("doc-list").addEventListener("click", (e) => {
    const li = e.target.closest("li[data-i]");
    if (li) chooseDoc(docOptions[Number(li.dataset.i)].id);
  });
  $("f-doc-clear").addEventListener("click", () => { chooseDoc(""); $("f-doc").focus(); });
}

// ---- Check a text ----

/// The largest body the server takes (server::MAX_BODY, 2 MiB): a larger file is refused here,
/// before its bytes are sent, with the same limit the server would answer 413 with.
const MAX_BODY = 2097152;

/// What the check sends: the chosen file's bytes with its type and name (the server reads a
/// .docx, .odt or .pdf as `pustaka check FILE` does), else the pasted text.
function manuscript() {
  const file = $("check-file").files[0];
  if (!file) return { body: $("check-text").value, type: "text/plain; charset=utf-8", query: "" };
  return { file, body: file, type: file.type || "application/octet-stream", query: `filename=${encodeURIComponent(file.name)}` };
}

/// POST the manuscript to /api/check with these parameters (`format=html` for the page).
function send(m, params) {
  const q = [m.query, params].filter(Boolean).join("&");
  return fetch(`/api/check${q ? "?" + q : ""}`, { method: "POST", headers: { "Content-Type": m.type }, body: m.body });
}

async function check() {
  const ms = manuscript();
  if (ms.file && ms.file.size > MAX_BODY) {
    const mb = (n) => (n / 1048576).toFixed(1);
    $("check-status").textContent = t("too_big", ms.file.name, mb(ms.file.size), mb(MAX_BODY));
    $("check-report").hidden = true;
    $("check-results").innerHTML = "";
    return;
  }
  $("check-status").textContent = ms.file ? t("checking_file", ms.file.name) : t("checking");
  try {
    const res = await send(ms, "");
    const r = await res.json().catch(() => ({ error: res.statusText }));
    if (!res.ok) throw new Error(r.error || res.statusText);
    // What of the manuscript could not be read (a PDF's scanned pages) is said with the finding,
    // which covers the rest only.
    const unread = (r.report.unread || []).map((n) => `\n${t("not_checked")}: ${n}`).join("");
    $("check-status").textContent = (r.matches.length ? t("reused", r.reused, r.paragraphs) : t("no_reuse")) + unread;
    showReport(r.report, ms);
    const st = readState();
    $("check-results").innerHTML = r.matches.map((m) => {
      const mark = (s, spans) => { let out = "", pos = 0; const cs = [...s];
        for (const [a, b] of spans) { if (a < pos) continue; out += esc(cs.slice(pos, a).join("")) + "<mark>" + esc(cs.slice(a, b).join("")) + "</mark>"; pos = b; }
        return out + esc(cs.slice(pos).join("")); };
      const cites = m.citations.length ? m.citations.map((c) => esc(`${(c.authors || [])[0] || "?"} ${c.year || "n.d."}`)).join("; ") : t("cites_nothing");
      const tr = m.translated ? `${t(m.cites_source ? "translated_cited" : "translated_uncited")} · ` : "";
      return `<li class="match"><div class="where">${tr}${t("containment")} ${m.containment.toFixed(2)} · ${t("similarity")} ${m.similarity.toFixed(2)} · ${link({ ...st, p: m.passage_id }, "", esc(m.passage_id))} · ${t("lines")} ${m.lines[0]}–${m.lines[1]} · ${cites}</div>
        <p>${mark(m.input_text, m.input_spans)}</p><p class="ctx">${mark(m.text, m.spans)}</p></li>`;
    }).join("");
  } catch (e) {
    $("check-status").textContent = `${t("error")}: ${e.message}`;
    $("check-report").hidden = true;
    $("check-results").innerHTML = "";
  }
}

/// The editor's report above the matches: the similarity index and the sources ranked, and a
/// button opening the whole report (the same self-contained page `check --format html` writes)
/// for the manuscript `m` that was checked.
function showReport(rep, m) {
  const box = $("check-report");
  if (!rep.stretches.length) { box.hidden = true; return; }
  const pct = `${Math.round(rep.similarity_index * 100)}%`;
  box.innerHTML = `<p class="index">${esc(t("report_line", pct, rep.matched_words, rep.words, rep.sources.length))}</p>
    <ol class="sources">${rep.sources.map((s) => `<li><b>${Math.round(s.share * 100)}%</b> ${esc(s.doc)}
      ${esc(s.cite_as || "")} · ${esc(t("source_line", s.stretches, s.attributed))}</li>`).join("")}</ol>
    <button type="button" id="report-btn">${esc(t("full_report"))}</button>
    ${reportBody(rep)}`;
  box.hidden = false;
  box.querySelector(".manuscript").addEventListener("click", (e) => {
    const mark = e.target.closest("mark[data-s]");
    if (mark) showStretch(rep, Number(mark.dataset.s));
  });
  $("report-btn").addEventListener("click", async () => {
    // The window opens at the click (a popup opened after an await is blocked), then the report
    // is written into it.
    const w = window.open("", "_blank");
    const r = await send(m, "format=html");
    const html = await r.text();
    if (w) { w.document.open(); w.document.write(html); w.document.close(); }
  });
}

/// `text` with character spans `[a, b)` wrapped by `wrap(i, inner)`, `spans` as `[a, b, i]`
/// sorted by start; overlapping ones after the first are left plain.
function marked(text, spans, wrap) {
  const cs = [...text];
  let out = "", pos = 0;
  for (const [a, b, i] of spans) {
    if (a < pos) continue;
    out += esc(cs.slice(pos, a).join("")) + wrap(i, esc(cs.slice(a, b).join("")));
    pos = b;
  }
  return out + esc(cs.slice(pos).join(""));
}

/// The report laid out as the HTML report is: the manuscript with every stretch marked in its
/// source's colour (and numbered by the source's rank) on the left, and on the right the source
/// passage of the stretch last clicked.
function reportBody(rep) {
  const spans = rep.paragraphs.map(() => []);
  rep.stretches.forEach((s, i) => spans[s.paragraph].push([s.span[0], s.span[1], i]));
  const paras = rep.paragraphs.map((p, k) => {
    const wrap = (i, inner) => { const src = rep.stretches[i].source;
      return `<mark class="src-${src % 6}" data-s="${i}" tabindex="0">${inner}<sup>${src + 1}</sup></mark>`; };
    const sorted = spans[k].sort((x, y) => x[0] - y[0]);
    return `<p${p.counted ? "" : ' class="dim"'}>${marked(p.text, sorted, wrap)}</p>`;
  }).join("");
  return `<div class="report-body"><div class="manuscript">${paras}</div>
    <aside id="stretch-source" aria-live="polite">${esc(t("click_stretch"))}</aside></div>`;
}

/// Stretch `i` of the report beside its source passage, the matching part marked.
function showStretch(rep, i) {
  const s = rep.stretches[i], src = rep.sources[s.source], at = s.passage;
  const where = [`<b>${s.source + 1}. ${esc(src.doc)}</b> ${esc(src.cite_as || "")}`,
    link({ ...readState(), p: at.passage_id }, "", esc(at.passage_id)),
    `${t("lines")} ${at.lines[0]}–${at.lines[1]}`, esc(t("attribution")[s.attribution] || s.attribution)];
  const wrap = (_, inner) => `<mark class="src-${s.source % 6}">${inner}</mark>`;
  $("stretch-source").innerHTML = `<p class="where">${where.join(" · ")}</p>
    <p class="stretch">${esc(s.text)}</p>
    <p class="ctx">${marked(s.passage_text, [[s.passage_span[0], s.passage_span[1], 0]], wrap)}</p>`;
}

// ---- Wiring ----

/// The state after a change made in the form. It takes the query as typed, pending or not, so
/// a filter changed within the typing pause neither loses the new words nor searches the old.
function fromForm(changes) {
  clearTimeout(timer);
  return { ...readState(), q: $("q").value.trim(), page: 1, p: "", ...changes };
}

let timer = null;
function later() {
  clearTimeout(timer);
  timer = setTimeout(() => {
    const st = readState();
    const q = $("q").value.trim();
    if (q !== st.q) go({ ...st, q, page: 1, p: "" }, typingHow(st, q));
  }, 150);
}

/// A plain click on a link within the page moves to its state without reloading; a click with
/// a modifier (new tab, new window) is left to the browser.
function onLinkClick(e) {
  const a = e.target.closest("a.nav");
  if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  go(a.dataset.p ? { ...readState(), p: a.dataset.p } : readState(a.href), "push");
}

function onResultsClick(e) {
  if (e.target.closest("button.cite")) { showCite(e.target.closest("li.hit")); return; }
  const copy = e.target.closest("button.copy");
  if (copy && navigator.clipboard) navigator.clipboard.writeText(copy.previousElementSibling.textContent);
}

async function loadLanguages() {
  try {
    const st = await api("/api/stats");
    const names = { id: "Indonesia", en: "English" };
    $("f-lang").innerHTML = `<option value="" data-t="any">${t("any")}</option>` + Object.entries(st.languages)
      .sort((a, b) => b[1] - a[1])
      .map(([l, n]) => `<option value="${esc(l)}">${esc(names[l] || l)} (${n})</option>`).join("");
  } catch (e) { /* the two main languages stay */ }
}

function wire() {
  $("q").addEventListener("input", later);
  for (const [id, k] of [["f-lang", "lang"], ["f-kind", "kind"], ["f-view", "view"]]) {
    $(id).addEventListener("change", () => go(fromForm({ [k]: $(id).value }), "push"));
  }
  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    go(fromForm({}), "push");
  });
  wireDocFilter();
  document.addEventListener("click", onLinkClick);
  $("results").addEventListener("click", onResultsClick);
  $("back").addEventListener("click", leavePassage);
  $("check-btn").addEventListener("click", check);
  // A chosen file is checked at once; typing again means the text is what to check.
  $("check-file").addEventListener("change", () => { if ($("check-file").files.length) check(); });
  $("check-text").addEventListener("input", () => { $("check-file").value = ""; });
  $("prev").addEventListener("click", () => turn(-1));
  $("next").addEventListener("click", () => turn(1));
  $("lang-toggle").addEventListener("click", () => {
    ui = ui === "id" ? "en" : "id";
    localStorage.setItem("pustaka-ui", ui);
    applyLabels();
    render(readState(), true);
  });
  window.addEventListener("popstate", () => render(readState()));
  // An old-style link followed within the page (/#<passage id>) becomes the state it means.
  window.addEventListener("hashchange", () => go(readState(), "replace"));
}

async function init() {
  applyLabels();
  $("f-kind").insertAdjacentHTML("beforeend", KINDS.map((k) => `<option value="${k}">${k}</option>`).join(""));
  await loadLanguages();
  // Not awaited: the metadata of hundreds of documents need not hold up the first search.
  loadDocs();
  wire();
  await go(readState(), "replace");
}
init();
