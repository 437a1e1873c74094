// Report page: findings <-> highlighted cells, numbers -> where they were read in the source.
(function () {
  'use strict';
  function show(panel) {
    document.querySelectorAll('.tabs [role=tab]').forEach(function (t) {
      var on = t.dataset.panel === panel;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      document.getElementById(t.dataset.panel).hidden = !on;
    });
  }
  document.querySelectorAll('.tabs [role=tab]').forEach(function (t) {
    t.addEventListener('click', function () { show(t.dataset.panel); });
  });
  function cell(key) { return document.querySelector('.official td[data-key="' + CSS.escape(key) + '"]'); }
  function flash(cells) {
    document.querySelectorAll('.official td.flash').forEach(function (c) { c.classList.remove('flash'); });
    cells.forEach(function (c, i) { c.classList.add('flash'); if (i === 0) c.scrollIntoView({block: 'center', behavior: 'smooth'}); });
  }
  document.querySelectorAll('.finding').forEach(function (f) {
    function go() {
      document.querySelectorAll('.finding.active').forEach(function (x) { x.classList.remove('active'); });
      f.classList.add('active');
      flash((f.dataset.cells || '').split(' ').filter(Boolean).map(cell).filter(Boolean));
    }
    f.addEventListener('click', go);
    f.addEventListener('keydown', function (e) { if (e.key === 'Enter') go(); });
  });
  // scroll the side pane (not the page) so that el is in its middle
  function centre(el) {
    var side = document.querySelector('.side');
    var off = el.getBoundingClientRect().top - side.getBoundingClientRect().top;
    side.scrollTop += off - side.clientHeight / 2;
  }
  function sourceElement(loc) {
    var src = document.getElementById('panel-source');
    var sel = [];
    if (loc.table !== undefined && loc.row !== undefined && loc.col !== undefined) {
      sel.push('table[data-table="' + loc.table + '"] td[data-row="' + loc.row + '"][data-col="' + loc.col + '"]');
      sel.push('td[data-table="' + loc.table + '"][data-row="' + loc.row + '"][data-col="' + loc.col + '"]');
    }
    if (loc.line !== undefined) sel.push('[data-line="' + loc.line + '"]');
    if (loc.page !== undefined) sel.push('[data-page="' + loc.page + '"]');
    for (var i = 0; i < sel.length; i++) {
      var el = src.querySelector(sel[i]);
      if (el) return el;
    }
    return null;
  }
  document.querySelectorAll('.official td.v').forEach(function (td) {
    function go() {
      var nums = (td.dataset.findings || '').split(' ').filter(Boolean);
      document.querySelectorAll('.source .hit').forEach(function (x) { x.classList.remove('hit'); });
      flash([td]);
      if (!td.dataset.loc) { if (nums.length) { show('panel-findings'); document.getElementById('finding-' + nums[0]).scrollIntoView({block: 'center'}); } return; }
      var el = sourceElement(JSON.parse(td.dataset.loc));
      show('panel-source');
      if (el) { el.classList.add('hit'); centre(el); }
    }
    td.addEventListener('click', go);
    td.addEventListener('keydown', function (e) { if (e.key === 'Enter') go(); });
  });
})();
