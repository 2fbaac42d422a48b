// The HTML report's one stylesheet and one script, inlined in the page. The page's
// Content-Security-Policy allows exactly these two by hash, so nothing else can run or style it,
// whatever a runbook printed.

export const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--card:#f6f8fa;
--pass:#1a7f37;--fail:#cf222e;--error:#9a6700;--skip:#6e7781;--run:#0969da;--wait:#8c959f;
--timeout:#bc4c00;--never:#8250df;--cancel:#57606a;--focus:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;
--card:#161b22;--pass:#3fb950;--fail:#f85149;--error:#d29922;--skip:#9198a1;--run:#4493f8;--wait:#6e7681;
--timeout:#db6d28;--never:#a371f7;--cancel:#9198a1;--focus:#4493f8}}
*{box-sizing:border-box}
body{margin:0;padding:1.5rem;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}h3{font-size:1rem;margin:.3rem 0}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.verdict{border:2px solid var(--line);border-radius:8px;padding:1rem;background:var(--card)}
.verdict.o-pass{border-color:var(--pass)}.verdict.o-fail{border-color:var(--fail)}.verdict.o-error{border-color:var(--error)}
.muted{color:var(--muted)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600}
.badge{display:inline-block;padding:0 .4rem;border-radius:4px;font-weight:600;border:1px solid currentColor}
.o-pass .badge,.badge.o-pass{color:var(--pass)}.badge.o-fail{color:var(--fail)}.badge.o-error{color:var(--error)}.badge.o-skip{color:var(--skip)}
.card{border:1px solid var(--line);border-left:4px solid var(--fail);border-radius:6px;padding:.6rem .8rem;margin:.6rem 0;background:var(--card)}
.card.o-error{border-left-color:var(--error)}
.check{margin:.4rem 0}.check .where{color:var(--muted)}
pre{margin:.3rem 0;padding:.5rem;overflow:auto;background:var(--bg);border:1px solid var(--line);border-radius:4px;white-space:pre-wrap;word-break:break-all}
pre.numbered span{display:block}pre.numbered .ln{font-style:normal;color:var(--muted);user-select:none}
.filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin:.5rem 0;padding:.5rem;border:1px solid var(--line);border-radius:6px}
.filters fieldset{border:0;margin:0;padding:0;display:flex;gap:.6rem;align-items:center}
input,select{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:.15rem .35rem}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
svg.timeline{width:100%;height:auto;display:block}
svg text{fill:var(--fg);font-size:11px}svg .axis{stroke:var(--line)}svg .tick{fill:var(--muted)}
svg .deadline{stroke:var(--fail);stroke-dasharray:4 3;stroke-width:1.5}
svg .row:focus{outline:none}svg .row:focus .hit,svg .row:hover .hit{fill:var(--focus);fill-opacity:.15}
svg .hit{fill:transparent}
svg .whisker{stroke:var(--fg);stroke-width:1.2}
.s-PENDING,.s-DELIVERING,.s-DELIVER_DELAYED{fill:var(--wait)}
.s-RUNNING,.s-CANCELLING{fill:var(--run)}
.s-SUCCESS{fill:var(--pass)}
.s-FAILED{fill:url(#pat-FAILED)}
.s-TIMEOUT,.s-TASK_TIMEOUT{fill:url(#pat-TIMEOUT)}
.s-DELIVER_FAILED,.s-START_FAILED{fill:url(#pat-NEVER)}
.s-CANCELLED,.s-TERMINATED{fill:url(#pat-CANCEL)}
.s-OTHER{fill:var(--muted)}
.pat-bg-FAILED{fill:var(--fail)}.pat-bg-TIMEOUT{fill:var(--timeout)}.pat-bg-NEVER{fill:var(--never)}.pat-bg-CANCEL{fill:var(--cancel)}
.pat-fg{stroke:var(--bg);stroke-width:1.5}.pat-dot{fill:var(--bg)}
.legend{display:flex;flex-wrap:wrap;gap:.9rem;list-style:none;padding:0;margin:.4rem 0}
.legend li{display:flex;gap:.35rem;align-items:center}.legend svg{width:28px;height:12px}
#detail{min-height:1.5em;padding:.3rem .5rem;border:1px dashed var(--line);border-radius:4px;margin:.3rem 0}
[hidden]{display:none!important}
`;

export const SCRIPT = `
(function(){
  "use strict";
  var $ = function(s, r){ return Array.prototype.slice.call((r || document).querySelectorAll(s)); };
  var detail = document.getElementById("detail");
  var rows = $("svg.timeline .row");
  function show(el){ if (detail && el) detail.textContent = el.getAttribute("aria-label") || ""; }
  rows.forEach(function(row){
    row.addEventListener("focus", function(){ show(row); });
    row.addEventListener("mouseenter", function(){ show(row); });
    row.addEventListener("keydown", function(e){
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp" && e.key !== "Home" && e.key !== "End") return;
      var visible = rows.filter(function(r){ return !r.hasAttribute("hidden"); });
      var i = visible.indexOf(row);
      var next = e.key === "ArrowDown" ? visible[i + 1] : e.key === "ArrowUp" ? visible[i - 1]
        : e.key === "Home" ? visible[0] : visible[visible.length - 1];
      if (next) { next.focus(); e.preventDefault(); }
    });
  });
  var outcomeBoxes = $("input[name=outcome]");
  var statusSelect = document.getElementById("f-status");
  var search = document.getElementById("f-instance");
  var counter = document.getElementById("f-count");
  var more = document.getElementById("f-more");
  var tbody = document.querySelector("#tasks tbody");
  var dataEl = document.getElementById("tasks-data");
  var data = dataEl ? JSON.parse(dataEl.textContent) : { page: 200, rows: [], marks: {}, words: {} };
  var limit = data.page;
  // Timeline rows and failure cards are few enough to filter in place; the table is rendered
  // from data, a page at a time.
  var filtered = $("[data-outcome][data-status][data-instance]");
  var criteria = function(){
    var outcomes = {};
    outcomeBoxes.forEach(function(b){ outcomes[b.value] = b.checked; });
    return { outcomes: outcomes, status: statusSelect ? statusSelect.value : "",
      needle: search ? search.value.trim().toLowerCase() : "" };
  };
  function keep(c, outcome, status, instance){
    return c.outcomes[outcome] !== false && (c.status === "" || status === c.status)
      && (c.needle === "" || instance.toLowerCase().indexOf(c.needle) >= 0);
  }
  function cell(tr, text, cls){
    var td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }
  function row(r){
    var tr = document.createElement("tr");
    var badge = document.createElement("span");
    badge.className = "badge o-" + r[0];
    badge.textContent = (data.marks[r[0]] || "") + " " + (data.words[r[0]] || r[0]);
    cell(tr, "").appendChild(badge);
    cell(tr, r[1], "mono"); cell(tr, r[2]); cell(tr, r[3]); cell(tr, r[4]); cell(tr, r[5], "mono"); cell(tr, r[6]);
    return tr;
  }
  function apply(){
    var c = criteria();
    filtered.forEach(function(el){
      var ok = keep(c, el.getAttribute("data-outcome"), el.getAttribute("data-status"), el.getAttribute("data-instance"));
      if (ok) el.removeAttribute("hidden"); else el.setAttribute("hidden", "");
    });
    var matches = data.rows.filter(function(r){ return keep(c, r[0], r[2], r[1]); });
    var frag = document.createDocumentFragment();
    matches.slice(0, limit).forEach(function(r){ frag.appendChild(row(r)); });
    tbody.textContent = "";
    tbody.appendChild(frag);
    var shown = Math.min(limit, matches.length);
    if (counter) counter.textContent = shown + " of " + matches.length + " matching tasks shown"
      + (matches.length === data.rows.length ? "" : " (" + data.rows.length + " in all)");
    if (more) { if (matches.length > limit) more.removeAttribute("hidden"); else more.setAttribute("hidden", ""); }
  }
  function reset(){ limit = data.page; apply(); }
  outcomeBoxes.forEach(function(b){ b.addEventListener("change", reset); });
  if (statusSelect) statusSelect.addEventListener("change", reset);
  if (search) search.addEventListener("input", reset);
  if (more) more.addEventListener("click", function(){ limit += data.page; apply(); });
  apply();
})();
`;
