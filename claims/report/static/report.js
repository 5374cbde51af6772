/* claims review page.
 * Every element is created with createElement and filled with textContent: no document text,
 * field or id ever passes through an HTML parser. A document's text is drawn only when it is
 * opened, so the page stays light with hundreds of documents; the events view (a page made with
 * a database) is built when first shown, and draws its cards a batch at a time.
 */
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  const TYPE_LABEL = { meeting: "Meeting", arms_delivery: "Arms delivery", treaty_signing: "Treaty signing" };
  const TYPE_PLURAL = { meeting: "meetings", arms_delivery: "arms deliveries", treaty_signing: "treaty signings" };
  const REASON_LABEL = {
    not_found: "quote not in source",
    too_short: "quote too short",
    unknown_document: "unknown document",
    unsupported_fields: "unsupported fields",
    invalid: "invalid claim",
  };
  const LIST_FILTERS = [
    ["all", "All documents", () => true],
    ["claims", "With claims", (d) => claimCount(d) > 0],
    ["none", "Without claims", (d) => claimCount(d) === 0],
    ["rejected", "With rejected claims", (d) => d.counts.rejected > 0],
  ];
  if (DATA.has_eval) LIST_FILTERS.push(["eval", "With eval errors", (d) => d.counts.fp + d.counts.fn > 0]);

  const state = {
    doc: -1,
    selection: null, // {kind: "claim" | "fn" | "rejected", item: index}
    shown: [], // the items listed in the Selection panel
    types: new Set(DATA.types),
    statuses: new Set(DATA.statuses),
    showFn: true,
    showNear: true,
    query: "",
    listFilter: "all",
    view: "documents",
    fromEvent: null, // {id, doc}: the event whose quote opened this document
  };
  const $ = (id) => document.getElementById(id);
  let lowerTexts = null;

  // --- small DOM helpers (text only) -----------------------------------------------------

  function el(tag, opts, children) {
    const node = document.createElement(tag);
    if (opts) {
      if (opts.cls) node.className = opts.cls;
      if (opts.text !== undefined && opts.text !== null) node.textContent = String(opts.text);
      if (opts.data) for (const key of Object.keys(opts.data)) node.dataset[key] = String(opts.data[key]);
      if (opts.attrs) for (const key of Object.keys(opts.attrs)) node.setAttribute(key, String(opts.attrs[key]));
      if (opts.title) node.title = opts.title;
      if (opts.onclick) node.addEventListener("click", opts.onclick);
    }
    for (const child of children || []) if (child !== null && child !== undefined) node.append(child);
    return node;
  }
  const none = () => el("span", { cls: "none", text: "—" });
  const str = (value) => (typeof value === "string" ? value : value === null || value === undefined ? "" : JSON.stringify(value));
  const value = (v) => (v === null || v === undefined || v === "" ? none() : el("span", { text: str(v) }));
  const isType = (t) => Object.prototype.hasOwnProperty.call(TYPE_LABEL, t);
  const claimCount = (d) => DATA.types.reduce((sum, t) => sum + (d.counts[t] || 0), 0);

  function formatScalar(v) {
    if (typeof v === "number" && !Number.isInteger(v)) return v.toFixed(3);
    return str(v);
  }

  // --- filters ---------------------------------------------------------------------------

  const typeOk = (t) => typeof t !== "string" || !isType(t) || state.types.has(t);
  const statusOk = (s) => typeof s !== "string" || !DATA.statuses.includes(s) || state.statuses.has(s);

  function markVisible(doc, m) {
    const mark = doc.marks[m];
    if (mark.kind === "claim" || mark.kind === "alt") {
      const record = doc.claims[mark.item].record;
      return typeOk(record.type) && statusOk(record.status);
    }
    if (mark.kind === "fn") {
      const fields = doc.fns[mark.item].fields;
      return state.showFn && typeOk(fields.type) && statusOk(fields.status);
    }
    if (mark.kind === "near") {
      const claim = doc.rejected[mark.item].record.claim || {};
      return state.showNear && typeOk(claim.type);
    }
    return false;
  }

  function itemVisible(doc, sel) {
    if (sel.kind === "claim") return markVisible(doc, doc.claims[sel.item].mark);
    if (sel.kind === "fn") {
      const f = doc.fns[sel.item].fields;
      return state.showFn && typeOk(f.type) && statusOk(f.status);
    }
    return true;
  }

  function chip(label, pressed, swatchCls, onToggle, data) {
    const button = el("button", { cls: "chip", attrs: { type: "button", "aria-pressed": pressed }, data: data }, [
      swatchCls ? el("span", { cls: "swatch " + swatchCls }) : null,
      ...(Array.isArray(label) ? label : [label]),
    ]);
    button.addEventListener("click", () => {
      const on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", String(on));
      onToggle(on);
      refresh();
    });
    return button;
  }

  function buildFilters() {
    const box = $("filters");
    box.append(el("span", { cls: "filter-label", text: "Type" }));
    for (const t of DATA.types) {
      box.append(
        chip([TYPE_LABEL[t], el("span", { cls: "n", text: DATA.totals[t] })], true, "t-" + t, (on) => toggle(state.types, t, on), {
          filterType: t,
        }),
      );
    }
    box.append(el("span", { cls: "filter-label", text: "Status" }));
    for (const s of DATA.statuses) {
      box.append(chip(s, true, null, (on) => toggle(state.statuses, s, on), { filterStatus: s }));
    }
    if (DATA.has_eval) {
      box.append(chip("Missed (FN)", true, "k-fn", (on) => (state.showFn = on), { filterKind: "fn" }));
    }
    if (DATA.totals.rejected > 0) {
      box.append(chip("Near misses", true, "k-near", (on) => (state.showNear = on), { filterKind: "near" }));
    }
  }

  function toggle(set, key, on) {
    if (on) set.add(key);
    else set.delete(key);
  }

  function refresh() {
    if (state.doc < 0) return;
    renderText();
    renderItems();
    renderDetails();
  }

  // --- header and document list -----------------------------------------------------------

  function buildSummary() {
    const t = DATA.totals;
    const box = $("summary");
    const part = (n, label) => el("span", null, [el("b", { text: n }), " " + label]);
    box.append(part(t.documents, t.documents === 1 ? "document" : "documents"));
    box.append(part(t.claims, t.claims === 1 ? "claim" : "claims"));
    box.append(part(t.rejected, "rejected"));
    if (DATA.events) box.append(part(DATA.events.count, DATA.events.count === 1 ? "event" : "events"));
    if (DATA.has_eval) {
      box.append(
        el("span", { cls: "sep" }),
        part(t.false_positives, t.false_positives === 1 ? "false positive" : "false positives"),
        part(t.false_negatives, t.false_negatives === 1 ? "false negative" : "false negatives"),
      );
      for (const [key, v] of Object.entries(DATA.overall).slice(0, 6)) {
        box.append(el("span", { cls: "metric", data: { metric: key } }, [key + " ", el("b", { text: formatScalar(v) })]));
      }
    }
  }

  function countChips(doc, long) {
    const box = el("span", { cls: "counts" });
    for (const t of DATA.types) {
      const n = doc.counts[t] || 0;
      box.append(
        el("span", {
          cls: "count t-" + t + (n ? "" : " zero"),
          text: long ? n + " " + (n === 1 ? TYPE_LABEL[t].toLowerCase() : TYPE_PLURAL[t]) : n,
          title: n + " " + TYPE_PLURAL[t],
          data: { count: t },
        }),
      );
    }
    if (doc.counts.rejected) {
      box.append(el("span", { cls: "count k-rejected", text: doc.counts.rejected + " rejected", data: { count: "rejected" } }));
    }
    if (DATA.has_eval) {
      box.append(el("span", { cls: "count k-fp" + (doc.counts.fp ? "" : " zero"), text: "FP " + doc.counts.fp, data: { count: "fp" } }));
      box.append(el("span", { cls: "count k-fn" + (doc.counts.fn ? "" : " zero"), text: "FN " + doc.counts.fn, data: { count: "fn" } }));
    }
    return box;
  }

  function buildDocList() {
    const list = $("doc-list");
    const fragment = document.createDocumentFragment();
    DATA.documents.forEach((doc, index) => {
      const button = el(
        "button",
        { cls: "doc-item", attrs: { type: "button" }, data: { docIndex: index, docId: doc.id } },
        [
          el("span", { cls: "doc-item-top" }, [
            el("span", { cls: "doc-id", text: doc.id, title: doc.id }),
            el("span", { cls: "doc-date", text: doc.published || "" }),
          ]),
          countChips(doc),
        ],
      );
      button.addEventListener("click", () => openDocument(index, null));
      fragment.append(el("li", null, [button]));
    });
    list.append(fragment);
    list.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      const buttons = [...list.querySelectorAll("li:not([hidden]) .doc-item")];
      const at = buttons.indexOf(document.activeElement);
      const next = buttons[at + (event.key === "ArrowDown" ? 1 : -1)];
      if (next) {
        event.preventDefault();
        next.focus();
        next.click();
      }
    });
    const select = $("doc-filter");
    for (const [key, label] of LIST_FILTERS) select.append(el("option", { text: label, attrs: { value: key } }));
    select.addEventListener("change", () => {
      state.listFilter = select.value;
      filterDocList();
    });
    $("search").addEventListener("input", (event) => {
      state.query = event.target.value.trim().toLowerCase();
      filterDocList();
    });
    filterDocList();
  }

  function documentMatches(doc, index) {
    const [, , keep] = LIST_FILTERS.find(([key]) => key === state.listFilter) || LIST_FILTERS[0];
    if (!keep(doc)) return false;
    if (!state.query) return true;
    if (doc.id.toLowerCase().includes(state.query)) return true;
    if (lowerTexts === null) {
      lowerTexts = DATA.documents.map((d) => d.segments.map((s) => s[0]).join("").toLowerCase());
    }
    return lowerTexts[index].includes(state.query);
  }

  function filterDocList() {
    let shown = 0;
    $("doc-list")
      .querySelectorAll("li")
      .forEach((li, index) => {
        const match = documentMatches(DATA.documents[index], index);
        li.hidden = !match;
        if (match) shown += 1;
      });
    const total = DATA.documents.length;
    $("doc-count").textContent = shown === total ? total + " documents" : "Showing " + shown + " of " + total + " documents";
  }

  // --- one document -------------------------------------------------------------------------

  function openDocument(index, selection) {
    state.doc = index;
    state.selection = selection;
    state.shown = selection ? [selection] : [];
    for (const button of $("doc-list").querySelectorAll('.doc-item[aria-current="true"]')) button.setAttribute("aria-current", "false");
    const current = $("doc-list").children[index]; // one <li> per document, in order
    if (current) current.firstChild.setAttribute("aria-current", "true");
    renderHeader();
    renderText();
    renderItems();
    renderDetails();
    updateHash();
    document.querySelector(".reader").scrollTop = 0;
    const first = paintSelection();
    if (first) first.scrollIntoView({ block: "center" });
  }

  // Page metadata is untrusted: only an http(s) URL becomes a link, and it opens only when clicked.
  const WEB_URL = /^https?:\/\/[^\s/]/i;
  function sourceLine(origin) {
    if (!origin || !(origin.title || origin.site || origin.url)) return null;
    const url = typeof origin.url === "string" && WEB_URL.test(origin.url) ? origin.url : null;
    return el("div", { cls: "doc-meta doc-origin", data: { role: "doc-origin" } }, [
      origin.title ? el("span", { cls: "origin-title", text: origin.title, data: { field: "origin-title" } }) : null,
      origin.site ? el("span", { text: origin.site, data: { field: "origin-site" } }) : null,
      url
        ? el("a", {
            cls: "mono origin-url",
            text: url,
            data: { field: "origin-url" },
            attrs: { href: url, target: "_blank", rel: "noopener noreferrer nofollow", referrerpolicy: "no-referrer" },
          })
        : null,
    ]);
  }

  function renderHeader() {
    const doc = DATA.documents[state.doc];
    const origin = doc.origin || {};
    const meta = el("div", { cls: "doc-meta" }, [
      doc.published ? el("span", { text: "published " + doc.published }) : null,
      doc.language ? el("span", { text: "language " + doc.language }) : null,
      el("span", { text: doc.length.toLocaleString("en") + " characters" }),
      doc.source ? el("span", { cls: "mono", text: doc.source }) : null,
      origin.encoding && origin.encoding !== "utf-8" ? el("span", { text: "encoding " + origin.encoding }) : null,
      origin.extractor ? el("span", { text: "text by " + origin.extractor }) : null,
    ]);
    const evalLine = doc.eval
      ? el(
          "div",
          { cls: "doc-meta doc-eval", data: { role: "doc-eval" } },
          [el("span", { cls: "label", text: "evaluation" })].concat(
            Object.entries(doc.eval).map(([key, v]) => el("span", null, [key + " ", el("b", { text: formatScalar(v) })])),
          ),
        )
      : null;
    const legend = el("div", { cls: "legend" }, [
      ...DATA.types.map((t) => el("span", null, [el("span", { cls: "swatch t-" + t }), TYPE_LABEL[t]])),
      el("span", null, [el("span", { cls: "fp-sample", text: "wavy" }), " false positive"]),
      DATA.has_eval ? el("span", null, [el("span", { cls: "swatch k-fn" }), "missed gold (FN)"]) : null,
      doc.rejected.length ? el("span", null, [el("span", { cls: "swatch k-near" }), "near miss of a rejected quote"]) : null,
    ]);
    const from = state.fromEvent && state.fromEvent.doc === state.doc ? state.fromEvent.id : null;
    const back = from
      ? el("div", { cls: "back-link" }, [
          el("button", {
            cls: "link",
            text: "← back to the event",
            attrs: { type: "button" },
            data: { action: "back-to-event" },
            onclick: () => showView("events", from),
          }),
        ])
      : null;
    const parts = [back, el("h1", { cls: "doc-title", text: doc.id }), sourceLine(doc.origin), meta, countChips(doc, true), evalLine, legend];
    $("doc-header").replaceChildren(...parts.filter((part) => part !== null)); // a null would show as "null"
  }

  function stripes(types) {
    const step = 100 / types.length;
    const stops = types.map((t, i) => "var(--" + t + "-bg) " + (i * step).toFixed(2) + "% " + ((i + 1) * step).toFixed(2) + "%");
    return "linear-gradient(to bottom, " + stops.join(", ") + ")";
  }

  function segmentNode(doc, text, active) {
    const node = el("mark", { cls: "seg", text: text, attrs: { tabindex: "0", role: "button" } });
    const types = new Set();
    const kinds = new Set();
    const claimIds = [];
    const altIds = [];
    let primaries = 0;
    let fp = false;
    for (const m of active) {
      const mark = doc.marks[m];
      kinds.add(mark.kind);
      if (mark.kind === "claim" || mark.kind === "alt") {
        const item = doc.claims[mark.item];
        types.add(item.record.type);
        if (mark.kind === "claim") {
          claimIds.push(item.record.claim_id);
          primaries += 1;
          if (item.fp) fp = true;
        } else altIds.push(item.record.claim_id);
      }
    }
    const typeList = DATA.types.filter((t) => types.has(t));
    if (typeList.length === 1) node.classList.add("t-" + typeList[0]);
    else if (typeList.length > 1) {
      node.classList.add("multi");
      node.style.setProperty("--stripes", stripes(typeList));
    } else node.classList.add("plain");
    if (primaries > 1) node.classList.add("overlap");
    if (kinds.has("alt") && !kinds.has("claim")) node.classList.add("alt-only");
    if (kinds.has("near")) node.classList.add("near");
    if (kinds.has("fn")) node.classList.add("fn");
    if (fp) node.classList.add("fp");
    node.dataset.marks = active.join(" ");
    node.dataset.kinds = [...kinds].join(" ");
    node.dataset.types = typeList.join(" ");
    if (claimIds.length) node.dataset.claimIds = claimIds.join(" ");
    if (altIds.length) node.dataset.altIds = altIds.join(" ");
    node.marks = active;
    return node;
  }

  function renderText() {
    const doc = DATA.documents[state.doc];
    const root = $("doc-text");
    if (!doc.segments.length) {
      root.replaceChildren(el("p", { cls: "empty", text: "This document is empty." }));
      return;
    }
    const fragment = document.createDocumentFragment();
    for (const [text, marks] of doc.segments) {
      const active = marks.filter((m) => markVisible(doc, m));
      fragment.append(active.length ? segmentNode(doc, text, active) : text);
    }
    root.replaceChildren(fragment);
    paintSelection();
  }

  function selectionMarks(doc, sel) {
    if (!sel) return [];
    if (sel.kind === "claim") return [doc.claims[sel.item].mark, ...doc.claims[sel.item].alt_marks];
    const mark = sel.kind === "fn" ? doc.fns[sel.item].mark : doc.rejected[sel.item].mark;
    return mark === null ? [] : [mark];
  }

  function paintSelection() {
    const chosen = new Set(selectionMarks(DATA.documents[state.doc], state.selection));
    let first = null;
    for (const node of $("doc-text").querySelectorAll("mark.seg")) {
      const on = node.marks.some((m) => chosen.has(m));
      node.classList.toggle("selected", on);
      if (on && first === null) first = node;
    }
    return first;
  }

  function itemsUnder(doc, marks) {
    const items = [];
    const seen = new Set();
    const order = { claim: 0, fn: 1, rejected: 2 };
    for (const m of marks) {
      const mark = doc.marks[m];
      const kind = mark.kind === "alt" ? "claim" : mark.kind === "near" ? "rejected" : mark.kind;
      const key = kind + ":" + mark.item;
      if (!seen.has(key)) {
        seen.add(key);
        items.push({ kind: kind, item: mark.item });
      }
    }
    return items.sort((a, b) => order[a.kind] - order[b.kind] || a.item - b.item);
  }

  const sameItem = (a, b) => a !== null && b !== null && a.kind === b.kind && a.item === b.item;

  function onSegment(node) {
    const doc = DATA.documents[state.doc];
    const items = itemsUnder(doc, node.marks);
    if (!items.length) return;
    // Clicking the same place again steps through the claims that overlap there.
    const at = items.findIndex((it) => sameItem(it, state.selection));
    state.selection = items[(at + 1) % items.length];
    state.shown = items;
    renderDetails();
    renderItems();
    paintSelection();
    updateHash();
  }

  function select(sel, scroll) {
    state.selection = sel;
    if (!state.shown.some((it) => sameItem(it, sel))) state.shown = [sel];
    renderDetails();
    renderItems();
    const first = paintSelection();
    updateHash();
    if (scroll && first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  // --- the panel: cards for claims, missed gold claims and rejected claims -------------------

  function actorNode(actor) {
    if (!actor || typeof actor !== "object") return none();
    return el("span", { cls: "actor" }, [
      el("span", { cls: "actor-name", text: str(actor.name) || "?" }),
      actor.country ? el("span", { cls: "actor-country", text: str(actor.country) }) : null,
      actor.role ? el("span", { cls: "actor-role", text: str(actor.role) }) : null,
    ]);
  }

  const actorsNode = (list) => (Array.isArray(list) && list.length ? el("span", null, list.map(actorNode)) : none());

  function tagsNode(list, cls) {
    if (!Array.isArray(list) || !list.length) return none();
    return el("span", null, list.map((item) => el("span", { cls: "tag" + (cls ? " " + cls : ""), text: str(item) })));
  }

  function claimRows(c) {
    const rows = [];
    if (c.type === "meeting") rows.push(["Participants", actorsNode(c.participants), "participants"]);
    if (c.type === "arms_delivery") {
      rows.push(["Supplier", actorNode(c.supplier), "supplier"]);
      rows.push(["Recipient", actorNode(c.recipient), "recipient"]);
      rows.push(["Weapons", tagsNode(c.weapons), "weapons"]);
      rows.push(["Categories", tagsNode(c.weapon_categories), "weapon_categories"]);
    }
    if (c.type === "treaty_signing") {
      rows.push(["Parties", actorsNode(c.parties), "parties"]);
      rows.push(["Agreement", value(c.agreement), "agreement"]);
    }
    rows.push(["Status", value(c.status), "status"]);
    rows.push(["Date", value(c.date), "date"]);
    rows.push(["Location", value(c.location), "location"]);
    rows.push(["Attributed to", value(c.attributed_to), "attributed_to"]);
    return rows;
  }

  function fieldList(rows) {
    const list = el("dl", { cls: "fields" });
    for (const [label, node, key] of rows) list.append(el("dt", { text: label }), el("dd", { data: { field: key } }, [node]));
    return list;
  }

  function typeBadge(type) {
    return el("span", { cls: "badge" + (isType(type) ? " t-" + type : ""), text: TYPE_LABEL[type] || str(type) || "?" });
  }

  function claimCard(doc, index) {
    const item = doc.claims[index];
    const c = item.record;
    const unsupported = c.unsupported_fields || [];
    const head = el("div", { cls: "card-head" }, [
      typeBadge(c.type),
      el("span", { cls: "badge status", text: str(c.status) }),
      c.match === "normalized" ? el("span", { cls: "badge", text: "normalized match" }) : null,
      unsupported.length ? el("span", { cls: "badge warn", text: unsupported.length + " unsupported" }) : null,
      item.fp ? el("span", { cls: "badge fp", text: "false positive" }) : null,
    ]);
    const provenance = c.provenance || {};
    const rows = claimRows(c);
    rows.push([
      "Match",
      el("span", {
        text: str(c.match) + (c.occurrences > 1 ? " · quote occurs " + c.occurrences + "×" : ""),
      }),
      "match",
    ]);
    rows.push(["Unsupported", tagsNode(unsupported, "warn"), "unsupported_fields"]);
    rows.push(["Span", el("span", { cls: "mono", text: c.span.start + "–" + c.span.end }), "span"]);
    if (item.alt_marks.length) rows.push(["Also stated", value(item.alt_marks.length + " more mention(s), dashed"), "alt_spans"]);
    rows.push([
      "Provenance",
      value([provenance.backend, provenance.model, provenance.chunk !== null && provenance.chunk !== undefined ? "chunk " + provenance.chunk : null].filter(Boolean).join(" · ")),
      "provenance",
    ]);
    rows.push(["Claim id", el("span", { cls: "mono", text: str(c.claim_id) }), "claim_id"]);
    if (DATA.has_eval) {
      const detail = item.fp ? "false positive" + (item.fp.reason ? " — " + str(item.fp.reason) : "") : "no evaluation error";
      rows.push(["Evaluation", el("span", { cls: item.fp ? "badge fp" : "badge ok", text: detail }), "eval"]);
    }
    return el("div", { cls: "card t-" + c.type, data: { claimId: c.claim_id, kind: "claim" } }, [
      head,
      el("blockquote", { cls: "quote", text: c.quote }),
      fieldList(rows),
    ]);
  }

  function missedCard(doc, index) {
    const item = doc.fns[index];
    const f = item.fields;
    return el("div", { cls: "card kind-fn", data: { kind: "fn", fnIndex: index } }, [
      el("div", { cls: "card-head" }, [
        el("span", { cls: "badge fn", text: "missed gold claim (FN)" }),
        typeBadge(f.type),
        f.status ? el("span", { cls: "badge status", text: str(f.status) }) : null,
      ]),
      el("blockquote", { cls: "quote", text: str(f.quote) }),
      item.mark === null ? el("p", { cls: "hint", text: "This quote was not found in the text." }) : null,
      fieldList(claimRows(f)),
    ]);
  }

  function rejectedCard(doc, index) {
    const item = doc.rejected[index];
    const r = item.record;
    const claim = r.claim && typeof r.claim === "object" ? r.claim : {};
    const near = r.near_miss;
    const rows = claimRows(claim);
    if ((r.unsupported_fields || []).length) rows.push(["Unsupported", tagsNode(r.unsupported_fields, "warn"), "unsupported_fields"]);
    return el("div", { cls: "card kind-rejected", data: { kind: "rejected", rejectedIndex: index } }, [
      el("div", { cls: "card-head" }, [
        el("span", { cls: "badge reason", text: str(r.reason) }),
        claim.type ? typeBadge(claim.type) : null,
        el("span", { cls: "item-meta", text: REASON_LABEL[r.reason] || "" }),
      ]),
      r.detail ? el("p", { cls: "hint", text: r.detail, data: { field: "detail" } }) : null,
      el("dl", { cls: "fields" }, [el("dt", { text: "Proposed quote" }), el("dd", { data: { field: "quote" } }, [value(claim.quote)])]),
      near
        ? el("dl", { cls: "fields" }, [
            el("dt", { text: "Near miss" }),
            el("dd", { data: { field: "near_miss" } }, [
              el("blockquote", { cls: "quote", text: near.text }),
              el("span", { cls: "item-meta", text: "similarity " + Math.round(near.similarity * 100) + "% · " + near.span.start + "–" + near.span.end + " " }),
              item.mark !== null
                ? el("button", {
                    cls: "link",
                    text: "show in text",
                    attrs: { type: "button" },
                    data: { action: "show-near" },
                    onclick: () => select({ kind: "rejected", item: index }, true),
                  })
                : null,
            ]),
          ])
        : null,
      fieldList(rows),
    ]);
  }

  function card(doc, sel) {
    if (sel.kind === "claim") return claimCard(doc, sel.item);
    if (sel.kind === "fn") return missedCard(doc, sel.item);
    return rejectedCard(doc, sel.item);
  }

  function renderDetails() {
    const box = $("details");
    if (state.doc < 0) return;
    const doc = DATA.documents[state.doc];
    if (!state.shown.length) {
      box.replaceChildren(el("p", { cls: "hint", text: "Click a highlight in the text, or an item below, to see its claim." }));
      return;
    }
    box.replaceChildren(
      ...state.shown.map((sel) => {
        const node = card(doc, sel);
        if (sameItem(sel, state.selection)) node.classList.add("current");
        node.addEventListener("click", (event) => {
          if (!event.target.closest("button") && !sameItem(sel, state.selection)) select(sel, true);
        });
        return node;
      }),
    );
  }

  function summaryOf(c) {
    const names = (list) => (Array.isArray(list) ? list.map((a) => str(a && a.name)).join(" · ") : "");
    if (c.type === "meeting") return names(c.participants);
    if (c.type === "arms_delivery") return str(c.supplier && c.supplier.name) + " → " + str(c.recipient && c.recipient.name);
    if (c.type === "treaty_signing") return names(c.parties) + (c.agreement ? ": " + str(c.agreement) : "");
    return str(c.quote);
  }

  function itemButton(sel, swatch, text, meta, visible, data) {
    return el("li", null, [
      el(
        "button",
        {
          cls: "item" + (visible ? "" : " filtered") + (sameItem(sel, state.selection) ? " current" : ""),
          attrs: { type: "button" },
          data: data,
          onclick: () => {
            state.shown = [sel];
            select(sel, true);
          },
        },
        [el("span", { cls: "swatch " + swatch }), el("span", { cls: "item-text", text: text, title: text }), el("span", { cls: "item-meta", text: meta })],
      ),
    ]);
  }

  function renderItems() {
    const doc = DATA.documents[state.doc];
    const parts = [];
    const title = (label, n) => el("h2", { cls: "panel-title" }, [label, el("span", { cls: "n", text: n })]);
    parts.push(title("Claims in this document", doc.claims.length));
    if (doc.claims.length) {
      parts.push(
        el(
          "ul",
          { cls: "items", data: { list: "claims" } },
          doc.claims.map((item, index) => {
            const c = item.record;
            const sel = { kind: "claim", item: index };
            return itemButton(sel, "t-" + c.type, summaryOf(c), str(c.status) + (item.fp ? " · FP" : ""), itemVisible(doc, sel), {
              claimId: c.claim_id,
            });
          }),
        ),
      );
    } else parts.push(el("p", { cls: "hint", text: "No verified claims." }));
    if (DATA.has_eval) {
      parts.push(title("Missed gold claims (FN)", doc.fns.length));
      parts.push(
        el(
          "ul",
          { cls: "items", data: { list: "fns" } },
          doc.fns.map((item, index) => {
            const sel = { kind: "fn", item: index };
            return itemButton(sel, "k-fn", summaryOf(item.fields) || str(item.fields.quote), str(item.fields.type), itemVisible(doc, sel), {});
          }),
        ),
      );
    }
    parts.push(title("Rejected claims", doc.rejected.length));
    if (doc.rejected.length) {
      parts.push(
        el(
          "ul",
          { cls: "items", data: { list: "rejected" } },
          doc.rejected.map((item, index) => {
            const claim = item.record.claim || {};
            const sel = { kind: "rejected", item: index };
            return itemButton(sel, "k-rejected", str(claim.quote) || summaryOf(claim), str(item.record.reason), true, {});
          }),
        ),
      );
    } else parts.push(el("p", { cls: "hint", text: "None for this document." }));
    if (DATA.orphans.length) {
      parts.push(title("Rejected, naming no given document", DATA.orphans.length));
      parts.push(
        el(
          "ul",
          { cls: "items", data: { list: "orphans" } },
          DATA.orphans.map((r) =>
            el("li", { cls: "item" }, [
              el("span", { cls: "badge reason", text: str(r.reason) }),
              el("span", { cls: "item-text", text: str(r.doc_id) + ": " + str(r.claim && r.claim.quote) }),
            ]),
          ),
        ),
      );
    }
    $("doc-items").replaceChildren(...parts);
  }

  // --- the events view: a timeline of the database's events, drawn a batch at a time --------------

  const EVENTS = DATA.events;
  const EVENT_BATCH = 100; // cards drawn at once; more as the reader scrolls (or clicks "Show more")
  const QUOTES_SHOWN = 12; // quotes a card shows before "show all"
  const ev = {
    built: false,
    group: "date", // or "type"
    types: new Set(DATA.types),
    country: "",
    flagged: false,
    query: "",
    matches: [], // indices into EVENTS.items, in display order
    drawn: 0,
    lastGroup: null,
    groupSizes: new Map(),
    texts: null,
  };

  function showView(name, eventId) {
    if (!EVENTS) name = "documents";
    state.view = name;
    $("filters").hidden = name !== "documents";
    document.querySelector(".layout").hidden = name !== "documents";
    $("events-view").hidden = name !== "events";
    for (const tab of $("views").querySelectorAll(".view-tab")) {
      tab.setAttribute("aria-pressed", String(tab.dataset.view === name));
    }
    if (name !== "events") {
      if (state.doc >= 0) updateHash();
      return;
    }
    if (!ev.built) buildEventsView();
    setHash(eventId ? "event=" + encodeURIComponent(eventId) : "events");
    if (eventId) revealEvent(eventId);
  }

  function buildViewTabs() {
    if (!EVENTS) return;
    const tab = (view, label, n) =>
      el("button", { cls: "view-tab", attrs: { type: "button", "aria-pressed": "false" }, data: { view: view } }, [
        label,
        n === null ? null : el("span", { cls: "n", text: n }),
      ]);
    const documentsTab = tab("documents", "Documents", DATA.documents.length);
    const eventsTab = tab("events", "Events", EVENTS.count);
    documentsTab.addEventListener("click", () => showView("documents"));
    eventsTab.addEventListener("click", () => showView("events"));
    $("views").append(documentsTab, eventsTab);
    $("views").hidden = false;
  }

  function buildEventsView() {
    ev.built = true;
    const tools = el("div", { cls: "events-tools", attrs: { role: "group", "aria-label": "Which events to show" } });
    const grouping = el("span", { cls: "segmented", data: { role: "group-by" } });
    for (const [key, label] of [
      ["date", "By date"],
      ["type", "By type"],
    ]) {
      const button = el("button", { text: label, attrs: { type: "button", "aria-pressed": String(ev.group === key) }, data: { groupBy: key } });
      button.addEventListener("click", () => {
        ev.group = key;
        for (const b of grouping.children) b.setAttribute("aria-pressed", String(b.dataset.groupBy === key));
        renderEvents();
      });
      grouping.append(button);
    }
    tools.append(el("span", { cls: "filter-label", text: "Timeline" }), grouping);
    tools.append(el("span", { cls: "filter-label", text: "Type" }));
    for (const t of DATA.types) {
      const n = EVENTS.items.filter((item) => item.type === t).length;
      const button = el("button", { cls: "chip", attrs: { type: "button", "aria-pressed": "true" }, data: { eventType: t } }, [
        el("span", { cls: "swatch t-" + t }),
        TYPE_LABEL[t],
        el("span", { cls: "n", text: n }),
      ]);
      button.addEventListener("click", () => {
        const on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", String(on));
        toggle(ev.types, t, on);
        renderEvents();
      });
      tools.append(button);
    }
    const country = el("select", { attrs: { id: "event-country", "aria-label": "Events of a country" } }, [
      el("option", { text: "All countries", attrs: { value: "" } }),
      ...EVENTS.countries.map(([code, n]) => el("option", { text: code + " (" + n + ")", attrs: { value: code } })),
    ]);
    country.addEventListener("change", () => {
      ev.country = country.value;
      renderEvents();
    });
    tools.append(el("span", { cls: "filter-label", text: "Country" }), country);
    const flagged = el("button", { cls: "chip toggle", attrs: { type: "button", "aria-pressed": "false" }, data: { eventFilter: "flagged" } }, [
      el("span", { cls: "swatch k-flag" }),
      "Only flagged",
      el("span", { cls: "n", text: EVENTS.flagged }),
    ]);
    flagged.addEventListener("click", () => {
      ev.flagged = flagged.getAttribute("aria-pressed") !== "true";
      flagged.setAttribute("aria-pressed", String(ev.flagged));
      renderEvents();
    });
    tools.append(flagged);
    const search = el("input", {
      attrs: { id: "event-search", type: "search", placeholder: "Actor, place, quote…", "aria-label": "Search events", autocomplete: "off" },
    });
    search.addEventListener("input", () => {
      ev.query = search.value.trim().toLowerCase();
      renderEvents();
    });
    tools.append(search, el("span", { cls: "events-count", attrs: { id: "events-count" } }));
    const more = el("button", { cls: "events-more", text: "Show more", attrs: { id: "events-more", type: "button" } });
    more.addEventListener("click", drawMore);
    const scroll = el("div", { cls: "events-scroll" }, [el("div", { cls: "event-list", attrs: { id: "event-list" } }), more]);
    $("events-view").replaceChildren(tools, scroll);
    if (typeof IntersectionObserver === "function") {
      new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !more.hidden) drawMore();
      }, { root: scroll, rootMargin: "400px" }).observe(more);
    }
    renderEvents();
  }

  function eventText(index) {
    if (ev.texts === null) {
      ev.texts = EVENTS.items.map((item) =>
        [item.id, item.location, item.date, ...item.actors.map((a) => str(a && a.name)), ...item.claims.map((c) => c.quote + " " + c.doc_id)]
          .map(str)
          .join("\n")
          .toLowerCase(),
      );
    }
    return ev.texts[index];
  }

  function eventMatches(item, index) {
    if (isType(item.type) && !ev.types.has(item.type)) return false;
    if (ev.country && !item.countries.includes(ev.country)) return false;
    if (ev.flagged && !item.flags.length) return false;
    return !ev.query || eventText(index).includes(ev.query);
  }

  function groupOf(item) {
    if (ev.group === "type") return item.type;
    return item.date ? item.date.slice(0, 7) : "";
  }

  function groupLabel(key) {
    if (ev.group === "type") return TYPE_LABEL[key] || key;
    if (!key) return "No date";
    return key.length === 4 ? key + " (month not known)" : key;
  }

  function renderEvents() {
    const matches = [];
    EVENTS.items.forEach((item, index) => {
      if (eventMatches(item, index)) matches.push(index);
    });
    if (ev.group === "type") {
      const order = (t) => (DATA.types.includes(t) ? DATA.types.indexOf(t) : DATA.types.length);
      matches.sort((a, b) => order(EVENTS.items[a].type) - order(EVENTS.items[b].type) || a - b);
    }
    ev.matches = matches;
    ev.drawn = 0;
    ev.lastGroup = null;
    ev.groupSizes = new Map();
    for (const index of matches) {
      const key = groupOf(EVENTS.items[index]);
      ev.groupSizes.set(key, (ev.groupSizes.get(key) || 0) + 1);
    }
    const total = EVENTS.items.length;
    $("events-count").textContent = matches.length === total ? total + " events" : "Showing " + matches.length + " of " + total + " events";
    const list = $("event-list");
    if (matches.length) list.replaceChildren();
    else list.replaceChildren(el("p", { cls: "events-empty", text: total ? "No event matches." : "The database holds no events." }));
    drawMore();
  }

  function drawMore() {
    const fragment = document.createDocumentFragment();
    const end = Math.min(ev.matches.length, ev.drawn + EVENT_BATCH);
    for (; ev.drawn < end; ev.drawn += 1) {
      const index = ev.matches[ev.drawn];
      const item = EVENTS.items[index];
      const key = groupOf(item);
      if (key !== ev.lastGroup) {
        ev.lastGroup = key;
        fragment.append(
          el("h2", { cls: "event-group" + (key ? "" : " undated"), data: { group: key } }, [
            groupLabel(key),
            el("span", { cls: "n", text: ev.groupSizes.get(key) }),
          ]),
        );
      }
      fragment.append(eventCard(item));
    }
    $("event-list").append(fragment);
    const left = ev.matches.length - ev.drawn;
    const more = $("events-more");
    more.hidden = left <= 0;
    more.textContent = "Show " + Math.min(left, EVENT_BATCH) + " more (" + left + " left)";
  }

  function eventCard(item) {
    const flags = item.flags || [];
    const head = el("div", { cls: "event-head" }, [
      typeBadge(item.type),
      el("span", { cls: "event-date" + (item.date ? "" : " none"), text: item.date || "no date", data: { field: "date" } }),
      flags.includes("dates")
        ? el("span", { cls: "badge warn", text: "dates disagree: " + item.date_conflicts.join(" · "), data: { flag: "dates" } })
        : null,
      flags.includes("statuses") ? el("span", { cls: "badge warn", text: "mixed statuses", data: { flag: "statuses" } }) : null,
      el("span", { cls: "event-id", text: item.id }),
    ]);
    const statuses = Object.entries(item.status_counts).map(([s, n]) => el("span", { cls: "status-count", text: s + " " + n, data: { status: s } }));
    const meta = el("div", { cls: "event-meta" }, [
      el("span", { data: { field: "location" } }, [item.location ? el("span", { text: item.location }) : el("span", { cls: "none", text: "no place" })]),
      el("span", { data: { field: "documents" } }, [el("b", { text: item.documents }), item.documents === 1 ? " document" : " documents"]),
      el("span", { data: { field: "sources" } }, [el("b", { text: item.sources }), item.sources === 1 ? " source" : " sources"]),
      el("span", { data: { field: "statuses" } }, statuses),
      item.first_reported
        ? el("span", {
            text: "reported " + item.first_reported + (item.last_reported && item.last_reported !== item.first_reported ? " – " + item.last_reported : ""),
          })
        : null,
    ]);
    const weapons = item.weapons.length ? el("div", { cls: "event-meta", data: { field: "weapons" } }, [tagsNode(item.weapons)]) : null;
    const quotes = el("ol", { cls: "event-quotes", data: { field: "quotes" } });
    const addQuotes = (from, to) => {
      for (const ref of item.claims.slice(from, to)) quotes.append(quoteItem(item, ref));
    };
    addQuotes(0, QUOTES_SHOWN);
    const rest = item.claims.length - QUOTES_SHOWN;
    const showAll =
      rest > 0
        ? el("button", {
            cls: "link",
            text: "show all " + item.claims.length + " quotes",
            attrs: { type: "button" },
            onclick: (event) => {
              addQuotes(QUOTES_SHOWN, item.claims.length);
              event.target.remove();
            },
          })
        : null;
    return el("article", { cls: "event t-" + item.type + (flags.length ? " flagged" : ""), data: { eventId: item.id, flags: flags.join(" ") } }, [
      head,
      el("div", { cls: "event-actors", data: { field: "actors" } }, item.actors.length ? item.actors.map(actorNode) : [none()]),
      meta,
      weapons,
      quotes,
      showAll,
    ]);
  }

  function quoteItem(item, ref) {
    const differs = ref.date !== null && item.date_conflicts.includes(ref.date);
    const meta = el("span", { cls: "quote-meta" }, [
      el("span", { cls: "mono", text: ref.doc_id }),
      el("span", { cls: "badge status", text: str(ref.status) }),
      ref.date ? el("span", { cls: "quote-date" + (differs ? " differs" : ""), text: ref.date, title: differs ? "this date disagrees with another source" : "" }) : null,
      ref.unlinked ? el("span", { text: ref.unlinked }) : null,
    ]);
    const data = { docId: ref.doc_id, claimId: ref.claim_id };
    const children = [el("span", { cls: "quote-text", text: ref.quote }), meta];
    if (ref.doc === null) return el("li", null, [el("div", { cls: "event-quote unlinked", data: data }, children)]);
    return el("li", null, [
      el("button", { cls: "event-quote", attrs: { type: "button" }, data: data, onclick: () => openEventClaim(item, ref) }, children),
    ]);
  }

  // Opening a quote: the documents view, at the claim, with the filters letting it show.
  function openEventClaim(item, ref) {
    const doc = DATA.documents[ref.doc];
    const index = doc.claims.findIndex((it) => it.record.claim_id === ref.claim_id);
    if (index < 0) return;
    const record = doc.claims[index].record;
    for (const [set, key, field] of [
      [state.types, record.type, "filterType"],
      [state.statuses, record.status, "filterStatus"],
    ]) {
      if (set.has(key) || !(isType(key) || DATA.statuses.includes(key))) continue;
      set.add(key);
      for (const chipNode of $("filters").querySelectorAll(".chip")) {
        if (chipNode.dataset[field] === key) chipNode.setAttribute("aria-pressed", "true");
      }
    }
    state.fromEvent = { id: item.id, doc: ref.doc };
    showView("documents");
    openDocument(ref.doc, { kind: "claim", item: index });
  }

  function revealEvent(eventId) {
    const at = EVENTS.items.findIndex((item) => item.id === eventId);
    if (at < 0) return;
    const position = ev.matches.indexOf(at);
    if (position < 0) return; // filtered out: leave the reader's filters as they are
    while (ev.drawn <= position) drawMore();
    const card = [...$("event-list").querySelectorAll(".event")].find((node) => node.dataset.eventId === eventId);
    if (!card) return;
    for (const node of $("event-list").querySelectorAll(".event.current")) node.classList.remove("current");
    card.classList.add("current");
    card.scrollIntoView({ block: "center" });
  }

  // --- links: #doc=ID&claim=CLAIM_ID, #events, #event=EVENT_ID --------------------------------

  function setHash(hash) {
    try {
      history.replaceState(null, "", "#" + hash);
    } catch (error) {
      /* some file:// settings refuse it; the link is a convenience */
    }
  }

  function updateHash() {
    if (state.view !== "documents") return;
    const doc = DATA.documents[state.doc];
    let hash = "doc=" + encodeURIComponent(doc.id);
    if (state.selection && state.selection.kind === "claim") {
      hash += "&claim=" + encodeURIComponent(doc.claims[state.selection.item].record.claim_id);
    }
    setHash(hash);
  }

  function openFromHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    const events = EVENTS && (params.has("events") || params.has("event"));
    if (events) state.view = "events"; // the document opened below does not take the link over
    let index = DATA.documents.findIndex((d) => d.id === params.get("doc"));
    if (index < 0) {
      const first = $("doc-list").querySelector("li:not([hidden]) .doc-item");
      index = first ? Number(first.dataset.docIndex) : -1;
    }
    if (index < 0) {
      $("doc-text").replaceChildren(el("p", { cls: "empty", text: "No documents in this report." }));
    } else {
      const claimIndex = DATA.documents[index].claims.findIndex((it) => it.record.claim_id === params.get("claim"));
      openDocument(index, claimIndex >= 0 ? { kind: "claim", item: claimIndex } : null);
    }
    showView(events ? "events" : "documents", events ? params.get("event") : null);
  }

  // --- start ------------------------------------------------------------------------------------

  const text = $("doc-text");
  text.addEventListener("click", (event) => {
    const node = event.target.closest("mark.seg");
    if (node) onSegment(node);
  });
  text.addEventListener("keydown", (event) => {
    const node = event.target.closest("mark.seg");
    if (node && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      onSegment(node);
    }
  });
  buildSummary();
  buildViewTabs();
  buildFilters();
  buildDocList();
  openFromHash();
})();
