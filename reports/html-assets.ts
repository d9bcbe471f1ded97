/**
 * The inline stylesheet and page script of report.html, kept apart from the HTML builder so each is
 * readable on its own. Both are constants: the page's Content-Security-Policy allows exactly these
 * texts by hash, so they must not vary with the data.
 *
 * The script is plain ES2017 (no build step, runs in any current browser). It reads the embedded JSON,
 * draws the chart specs with chart.js, and wires the run and guest pickers (a run's charts come from
 * its script in runs/, added when the run is first picked). It never inserts markup:
 * every user-supplied string reaches the DOM through textContent or the Option constructor.
 */

/** Stylesheet: system fonts only (no web fonts, nothing to download), readable tables, chart grid. */
export const PAGE_CSS = `
:root { --fg: #1d1f23; --muted: #5b6170; --line: #d9dce3; --bg: #ffffff; --soft: #f5f6f8; --good: #0a7a46; --bad: #b3261e; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header, main { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; border-bottom: 1px solid var(--line); padding-bottom: 12px; }
h1 { font-size: 26px; margin: 0 0 12px; overflow-wrap: anywhere; }
h2 { font-size: 20px; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 8px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
code { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: var(--soft); padding: 1px 4px; border-radius: 3px; }
code.hash { word-break: break-all; }
.alt { font-weight: 600; }
.bad { color: var(--bad); }
.note { color: var(--muted); font-size: 13px; max-width: 90ch; }
.empty { color: var(--muted); font-style: italic; }
.scroll { overflow-x: auto; }
.side-by-side { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
table.data { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 6px 10px; text-align: left; vertical-align: top; }
table.data thead th { background: var(--soft); font-weight: 600; overflow-wrap: anywhere; }
table.data td.num { text-align: right; white-space: nowrap; }
table.data td.name { overflow-wrap: anywhere; }
table.data td.text { min-width: 22em; font-size: 0.92em; }
table.data.grouped thead th { overflow-wrap: normal; white-space: nowrap; text-align: center; }
table.data.grouped th.group-start, table.data.grouped td.group-start { border-left: 1px solid var(--line); }
table.data tr.failed td { color: var(--bad); }
table.compare th[scope=row] { min-width: 200px; }
/* Many alternatives (reports/comparison-table.ts): a row per alternative in a box that scrolls both
   ways; the metric header stays at the top and the alternative column at the left while it does. */
.scroll.both { overflow: auto; max-height: 85vh; border: 1px solid var(--line); }
table.compare.wide { margin: 0; border-collapse: separate; border-spacing: 0; }
table.compare.wide thead th { position: sticky; top: 0; z-index: 2; min-width: 11em; max-width: 16em; white-space: normal; overflow-wrap: normal; vertical-align: bottom; box-shadow: 0 1px 0 var(--line); }
table.compare.wide thead th:first-child { left: 0; z-index: 3; min-width: 0; }
table.compare.wide th[scope=row] { min-width: 12em; max-width: 24em; overflow-wrap: break-word; font-weight: 600; }
table.compare.wide thead .verdict, table.compare.wide thead .better { font-size: 12px; font-weight: normal; margin-top: 2px; }
table.compare.wide thead .verdict.clear { color: var(--good); font-weight: 600; }
table.compare.wide thead .verdict.unclear, table.compare.wide thead .better { color: var(--muted); }
/* With many alternatives the table scrolls sideways: the metric column stays in view. */
table.compare th[scope=row], table.compare thead th:first-child { position: sticky; left: 0; z-index: 1; background: var(--bg); box-shadow: 1px 0 0 var(--line); }
table.compare thead th:first-child { background: var(--soft); }
table.compare .desc { color: var(--muted); font-size: 12px; font-weight: normal; }
table.compare .unit { color: var(--muted); font-weight: normal; }
table.compare td.win { background: #e8f5ee; }
table.compare td.better { white-space: nowrap; color: var(--muted); }
table.compare td.verdict { min-width: 220px; }
table.compare td.verdict.clear { color: var(--good); font-weight: 600; }
table.compare td.verdict.unclear { color: var(--muted); }
.ci { color: var(--muted); }
.badge { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 9px; margin-left: 4px; vertical-align: 1px; }
.badge.best { background: var(--good); color: #fff; }
.badge.lead { background: var(--soft); color: var(--muted); border: 1px solid var(--line); }
table.by-factor td.win .verdict { color: var(--good); font-weight: 600; }
table.by-factor .means { font-size: 0.9em; color: var(--muted); }
table.by-factor caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.compare td .vs { font-size: 0.8em; color: var(--muted); white-space: nowrap; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; margin: 12px 0; }
figure.chart { margin: 0; height: 400px; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fff; }
.pickers { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; margin: 8px 0; padding: 10px 12px; background: var(--soft); border-radius: 6px; }
.pickers select { font: inherit; padding: 3px 6px; max-width: 420px; }
.run-id { color: var(--muted); font-size: 13px; }
details { margin: 12px 0; }
summary { cursor: pointer; color: var(--accent); }
ul.failed { padding-left: 20px; }
pre.error { white-space: pre-wrap; overflow-wrap: anywhere; background: #fdf0ef; border-left: 3px solid var(--bad); padding: 8px 10px; margin: 6px 0 14px; font-size: 13px; }
@media (max-width: 700px) { .charts { grid-template-columns: 1fr; } figure.chart { height: 320px; } }
`;

/** Page script: draws charts from the embedded specs and handles the pickers. */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('vmisim-data').textContent);
  /* Mean ± interval bars (chartjs-chart-error-bars, inlined before this script). */
  Chart.register(ChartErrorBars.BarWithErrorBarsController, ChartErrorBars.BarWithErrorBar);
  Chart.defaults.animation = false;
  Chart.defaults.color = '#1d1f23';
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.plugins.title.font = { size: 15, weight: 'bold' };
  var live = {};

  /* Replaces the charts in container id with one canvas per spec. */
  function draw(id, specs) {
    var slot = document.getElementById(id);
    if (!slot) return;
    (live[id] || []).forEach(function (c) { c.destroy(); });
    live[id] = [];
    slot.textContent = '';
    if (!specs || specs.length === 0) {
      var p = document.createElement('p');
      p.className = 'empty';
      p.textContent = 'No charts for this selection.';
      slot.appendChild(p);
      return;
    }
    specs.forEach(function (spec) {
      var fig = document.createElement('figure');
      fig.className = 'chart';
      var canvas = document.createElement('canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', spec.title);
      canvas.setAttribute('data-chart-id', spec.id);
      fig.appendChild(canvas);
      slot.appendChild(fig);
      /* Horizontal bar charts grow with the number of alternatives so bars stay legible. */
      var labels = spec.config.data && spec.config.data.labels;
      if (spec.config.options && spec.config.options.indexAxis === 'y' && labels && labels.length > 6) fig.style.height = (160 + 36 * labels.length) + 'px';
      /* Line charts grow with their legend (a key a line when names are long), so the plot and its
         axis title keep their room. */
      var lines = spec.config.type === 'line' ? spec.config.data.datasets.length : 0;
      if (lines > 4) fig.style.height = (320 + 30 * lines) + 'px';
      var config = JSON.parse(JSON.stringify(spec.config));
      config.options = config.options || {};
      config.options.responsive = true;
      config.options.maintainAspectRatio = false;
      config.options.animation = false;
      /* Datasets marked legend: false (the edges of an interval band) get no legend entry. */
      var legend = config.options.plugins && config.options.plugins.legend;
      if (legend && config.data.datasets.some(function (d) { return d.legend === false; })) {
        legend.labels = legend.labels || {};
        legend.labels.filter = function (item, d) { return d.datasets[item.datasetIndex].legend !== false; };
      }
      /* A state axis: ticks named by the spec's yTickLabels (a function cannot travel in the JSON). */
      if (spec.yTickLabels) {
        var names = spec.yTickLabels;
        var y = config.options.scales.y;
        y.ticks = y.ticks || {};
        y.ticks.callback = function (v) { return names[v] !== undefined ? names[v] : ''; };
      }
      live[id].push(new Chart(canvas, config));
    });
  }

  draw('metric-charts', data.metrics);
  draw('comparison-charts', data.comparison);
  draw('sweep-charts', data.sweep);

  var altSel = document.getElementById('pick-alternative');
  var seedSel = document.getElementById('pick-seed');
  var guestSel = document.getElementById('pick-guest');
  if (!altSel || !seedSel || !guestSel || data.runs.length === 0) return;

  function currentRunIndex() {
    var alt = Number(altSel.value);
    var seed = Number(seedSel.value);
    for (var i = 0; i < data.runs.length; i++) {
      if (data.runs[i].alt === alt && data.runs[i].seed === seed) return i;
    }
    return -1;
  }

  function fillSeeds() {
    var alt = Number(altSel.value);
    var keep = seedSel.value;
    seedSel.textContent = '';
    data.runs.forEach(function (run) {
      if (run.alt === alt) seedSel.appendChild(new Option(String(run.seed), String(run.seed)));
    });
    if (Array.prototype.some.call(seedSel.options, function (o) { return o.value === keep; })) seedSel.value = keep;
  }

  /* Each run's charts are in a script beside the page (data.runs[i].src), added when the run is
     first picked; it calls vmisimRunDetail with them. Only paths of the expected shape are loaded. */
  var details = {};
  var requested = {};
  window.vmisimRunDetail = function (detail) {
    if (!detail || typeof detail.runId !== 'string') return;
    details[detail.runId] = detail;
    var run = data.runs[currentRunIndex()];
    if (run && run.runId === detail.runId) showRun();
  };

  function message(id, text) {
    var slot = document.getElementById(id);
    (live[id] || []).forEach(function (c) { c.destroy(); });
    live[id] = [];
    slot.textContent = '';
    var p = document.createElement('p');
    p.className = 'empty';
    p.textContent = text;
    slot.appendChild(p);
  }

  function load(run) {
    if (requested[run.runId]) return;
    requested[run.runId] = true;
    if (!/^runs\\/[A-Za-z0-9._-]+\\.js$/.test(run.src)) return;
    var s = document.createElement('script');
    s.src = run.src;
    s.onerror = function () {
      if (data.runs[currentRunIndex()] === run)
        message('run-charts', 'Could not load ' + run.src + ': keep the runs folder beside this page.');
    };
    document.body.appendChild(s);
  }

  function showGuest() {
    var run = data.runs[currentRunIndex()];
    var detail = run ? details[run.runId] : undefined;
    var g = detail ? detail.guests[Number(guestSel.value)] : undefined;
    draw('guest-charts', g ? g.charts : []);
  }

  function showRun() {
    var i = currentRunIndex();
    var run = data.runs[i];
    var detail = run ? details[run.runId] : undefined;
    document.getElementById('run-id').textContent = run ? 'run id: ' + run.runId : '';
    Array.prototype.forEach.call(document.querySelectorAll('.run-table'), function (el) {
      el.hidden = Number(el.getAttribute('data-run')) !== i;
    });
    if (run && !detail) {
      message('run-charts', 'Loading the charts of this run…');
      message('guest-charts', '');
      load(run);
      return;
    }
    draw('run-charts', detail ? detail.charts : []);
    var keepName = guestSel.selectedIndex >= 0 ? guestSel.options[guestSel.selectedIndex].text : null;
    guestSel.textContent = '';
    (detail ? detail.guests : []).forEach(function (g, gi) {
      var opt = new Option(g.name, String(gi));
      if (g.name === keepName) opt.selected = true;
      guestSel.appendChild(opt);
    });
    showGuest();
  }

  altSel.addEventListener('change', function () { fillSeeds(); showRun(); });
  seedSel.addEventListener('change', showRun);
  guestSel.addEventListener('change', showGuest);
  fillSeeds();
  showRun();
})();
`;
