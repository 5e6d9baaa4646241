// pustaka's web page: a thin client of the JSON API (/api/openapi.json), no build step.
"use strict";

const T = {
  id: {
    search_ph: "Cari kata, \"frasa\", cites:unodc …", lang: "Bahasa", doc: "Dokumen", kind: "Jenis",
    any: "semua", back: "← kembali", citations: "Sitasi", check_title: "Periksa teks",
    check_ph: "Tempel paragraf atau draf untuk diperiksa …", check_btn: "Periksa",
    results: (n, ms) => `${n} bagian (${ms} ms)`, none: "Tidak ada bagian yang cocok.",
    lines: "baris", no_entry: "tidak ada di daftar pustaka", no_reuse: "Tidak ada teks korpus yang dipakai ulang.",
    reused: (r, p) => `${r} dari ${p} paragraf memakai ulang teks korpus`, similarity: "kemiripan",
    cites_nothing: "sumber tidak mengutip apa pun", no_cites: "Bagian ini tidak mengutip.",
    error: "Galat", checking: "Memeriksa …", cite: "kutip", copy: "salin", page: "hlm.",
    containment: "terkandung", prev: "← sebelumnya", next: "berikutnya →",
    shown: (a, b, n) => `${a}–${b} dari ${n}`,
  },
  en: {
    search_ph: "Search words, \"phrases\", cites:unodc …", lang: "Language", doc: "Document", kind: "Kind",
    any: "any", back: "← back", citations: "Citations", check_title: "Check a text",
    check_ph: "Paste a paragraph or a draft to check …", check_btn: "Check",
    results: (n, ms) => `${n} passages (${ms} ms)`, none: "No passage matches.",
    lines: "lines", no_entry: "not in the bibliography", no_reuse: "No corpus text is reused.",
    reused: (r, p) => `${r} of ${p} paragraphs reuse corpus text`, similarity: "similarity",
    cites_nothing: "the source cites nothing", no_cites: "This passage cites nothing.",
    error: "Error", checking: "Checking …", cite: "cite", copy: "copy", page: "p.",
    containment: "containment", prev: "← previous", next: "next →",
    shown: (a, b, n) => `${a}–${b} of ${n}`,
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
  if (h.page) parts.push(`${t("page")} ${h.page}`);
  parts.push(`${t("lines")} ${h.lines[0]}–${h.lines[1]}`);
  return parts.map(esc).join(" · ");
}

const PAGE = 20;
let seq = 0;
let offset = 0;
async function search(keepPage) {
  const q = $("q").value.trim();
  const mine = ++seq;
  if (keepPage !== true) offset = 0;
  const params = new URLSearchParams({ q, limit: String(PAGE) });
  if (offset) params.set("offset", String(offset));
  for (const [k, id] of [["lang", "f-lang"], ["doc", "f-doc"], ["kind", "f-kind"]]) {
    if ($(id).value) params.set(k, $(id).value);
  }
  history.replaceState(null, "", q ? `/?${params}` : "/");
  if (!q) { $("results").innerHTML = ""; $("status").textContent = ""; return; }
  try {
    const r = await api(`/api/search?${params}`);
    if (mine !== seq) return;
    const notes = (r.notes || []).join("; ");
    $("status").textContent = (r.total ? t("results", r.total, r.took_ms.toFixed(1)) : t("none"))
      + (notes ? ` (${notes})` : "");
    pager(r.total, r.hits.length);
    // Which query the list answers: a test (or a script) waits for this, not for any list.
    $("results").dataset.q = q;
    $("results").innerHTML = r.hits.map((h) => `
      <li class="hit" data-id="${esc(h.id)}">
        ${h.cite_as ? `<span class="by">${esc(h.cite_as)}</span> · ` : ""}<a class="open" href="#${encodeURIComponent(h.id)}">${esc(h.title)}</a>
        <div class="where">${where(h)} · ${esc(h.kind)} · ${esc(h.lang)}</div>
        <p class="snippet">${h.snippet}</p>
        <button class="cite" type="button">${t("cite")}</button>
        <div class="cited" hidden></div>
      </li>`).join("");
  } catch (e) {
    if (mine === seq) $("status").textContent = `${t("error")}: ${e.message}`;
  }
}

/// Previous and next page of hits, with which ones are shown.
let lastTotal = 0;
function pager(total, shown) {
  lastTotal = total;
  const nav = $("pager");
  nav.hidden = total <= PAGE;
  if (nav.hidden) return;
  $("page-info").textContent = shown ? t("shown", offset + 1, offset + shown, total) : "";
  $("prev").disabled = offset === 0;
  $("next").disabled = offset + PAGE >= total;
}

function turn(by) {
  offset = Math.max(0, offset + by * PAGE);
  search(true);
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

async function openPassage(id) {
  try {
    const c = await api(`/api/passages/${encodeURIComponent(id)}?context=1`);
    const p = c.passage;
    const block = (x, focus) => `<div class="ctx${focus ? " focus" : ""}"><div class="where">${esc(x.id)} · ${where(x)}</div>${esc(x.text)}</div>`;
    $("context").innerHTML = `<h2>${esc(p.title)}</h2>` + (p.cite_as ? `<div class="where">${esc(p.cite_as)}</div>` : "") + c.before.map((x) => block(x, false)).join("") + block(p, true) + c.after.map((x) => block(x, false)).join("");
    let refs = null;
    if ((p.citations || []).some((x) => x.entry !== null && x.entry !== undefined)) {
      refs = await api(`/api/refs/${encodeURIComponent(p.doc)}`).catch(() => null);
    }
    const entry = (i) => refs && refs.entries.find((e) => e.index === i);
    $("citations").innerHTML = (p.citations || []).length ? p.citations.map((x) => {
      const e = x.entry !== null && x.entry !== undefined ? entry(x.entry) : null;
      const link = e ? `<div class="entry">→ <a href="#${encodeURIComponent(e.passage_id)}">${esc(e.text)}</a></div>` : `<div class="entry">→ ${t("no_entry")}</div>`;
      return `<li><strong>${esc((x.authors || []).join(", "))} ${esc(x.year || "n.d.")}</strong> — ${esc(x.raw)}${link}</li>`;
    }).join("") : `<li>${t("no_cites")}</li>`;
    $("passage").hidden = false;
    $("results").hidden = true;
    $("pager").hidden = true;
    $("passage").scrollIntoView();
  } catch (e) {
    $("status").textContent = `${t("error")}: ${e.message}`;
  }
}

function route() {
  const id = decodeURIComponent(location.hash.slice(1));
  if (id) openPassage(id);
  else { $("passage").hidden = true; $("results").hidden = false; $("pager").hidden = lastTotal <= PAGE; }
}

async function check() {
  const text = $("check-text").value;
  $("check-status").textContent = t("checking");
  try {
    const r = await api("/api/check", { method: "POST", headers: { "Content-Type": "text/plain; charset=utf-8" }, body: text });
    $("check-status").textContent = r.matches.length ? t("reused", r.reused, r.paragraphs) : t("no_reuse");
    $("check-results").innerHTML = r.matches.map((m) => {
      const mark = (s, spans) => { let out = "", pos = 0; const cs = [...s];
        for (const [a, b] of spans) { if (a < pos) continue; out += esc(cs.slice(pos, a).join("")) + "<mark>" + esc(cs.slice(a, b).join("")) + "</mark>"; pos = b; }
        return out + esc(cs.slice(pos).join("")); };
      const cites = m.citations.length ? m.citations.map((c) => esc(`${(c.authors || [])[0] || "?"} ${c.year || "n.d."}`)).join("; ") : t("cites_nothing");
      return `<li class="match"><div class="where">${t("containment")} ${m.containment.toFixed(2)} · ${t("similarity")} ${m.similarity.toFixed(2)} · <a href="#${encodeURIComponent(m.passage_id)}">${esc(m.passage_id)}</a> · ${t("lines")} ${m.lines[0]}–${m.lines[1]} · ${cites}</div>
        <p>${mark(m.input_text, m.input_spans)}</p><p class="ctx">${mark(m.text, m.spans)}</p></li>`;
    }).join("");
  } catch (e) {
    $("check-status").textContent = `${t("error")}: ${e.message}`;
  }
}

let timer = null;
function later() { clearTimeout(timer); timer = setTimeout(search, 150); }

async function init() {
  applyLabels();
  $("f-kind").insertAdjacentHTML("beforeend", KINDS.map((k) => `<option value="${k}">${k}</option>`).join(""));
  try {
    const st = await api("/api/stats");
    const names = { id: "Indonesia", en: "English" };
    $("f-lang").innerHTML = `<option value="" data-t="any">${t("any")}</option>` + Object.entries(st.languages)
      .sort((a, b) => b[1] - a[1])
      .map(([l, n]) => `<option value="${esc(l)}">${esc(names[l] || l)} (${n})</option>`).join("");
  } catch (e) { /* the two main languages stay */ }
  try {
    const d = await api("/api/docs");
    $("f-doc").insertAdjacentHTML("beforeend", d.docs.map((x) => `<option value="${esc(x.id)}">${esc(x.id.slice(0, 24))} — ${esc(x.title.slice(0, 50))}</option>`).join(""));
  } catch (e) { /* the filter stays "any" */ }
  const u = new URLSearchParams(location.search);
  $("q").value = u.get("q") || "";
  for (const [k, id] of [["lang", "f-lang"], ["doc", "f-doc"], ["kind", "f-kind"]]) if (u.get(k)) $(id).value = u.get(k);
  $("q").addEventListener("input", later);
  for (const id of ["f-lang", "f-doc", "f-kind"]) $(id).addEventListener("change", search);
  $("search-form").addEventListener("submit", (e) => { e.preventDefault(); search(); });
  $("results").addEventListener("click", (e) => {
    const a = e.target.closest("a.open");
    if (a) { e.preventDefault(); location.hash = a.getAttribute("href").slice(1); return; }
    if (e.target.closest("button.cite")) { showCite(e.target.closest("li.hit")); return; }
    const copy = e.target.closest("button.copy");
    if (copy && navigator.clipboard) navigator.clipboard.writeText(copy.previousElementSibling.textContent);
  });
  $("back").addEventListener("click", () => { history.pushState(null, "", location.pathname + location.search); route(); });
  $("check-btn").addEventListener("click", check);
  $("prev").addEventListener("click", () => turn(-1));
  $("next").addEventListener("click", () => turn(1));
  $("lang-toggle").addEventListener("click", () => { ui = ui === "id" ? "en" : "id"; localStorage.setItem("pustaka-ui", ui); applyLabels(); search(); });
  window.addEventListener("hashchange", route);
  if ($("q").value) await search();
  route();
}
init();
