// Authoring form: the form's data goes to /api/check as JSON; the server builds the report with
// xxgk.render.data and runs the real checks.  No identity is computed here.
(function () {
  'use strict';
  var form = document.getElementById('author');
  var csrf = document.body.dataset.csrf;
  var status = document.getElementById('check-status');
  var list = document.getElementById('live-findings');
  var timer = null, seq = 0;

  function data() {
    var out = {};
    new FormData(form).forEach(function (value, name) {
      if (name === 'csrf_token' || name === 'allow_errors' || name === 'format') return;
      var parts = name.split('.'), node = out;
      for (var i = 0; i < parts.length - 1; i++) { node = node[parts[i]] = node[parts[i]] || {}; }
      var v = typeof value === 'string' ? value.trim() : value;
      node[parts[parts.length - 1]] = v === '' ? null : v;
    });
    return out;
  }
  function post(url, body) {
    return fetch(url, {method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf}, body: JSON.stringify(body)})
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.detail || r.status); return j; }); });
  }
  function cell(key) { return form.querySelector('td[data-key="' + CSS.escape(key) + '"]'); }
  function show(result) {
    form.querySelectorAll('td.mark-error, td.mark-warning, td.mark-info').forEach(function (td) {
      td.classList.remove('mark-error', 'mark-warning', 'mark-info'); td.removeAttribute('title');
    });
    list.textContent = '';
    if (result.error) { status.className = 'check-status bad'; status.textContent = result.error; return; }
    var errors = 0, warnings = 0;
    result.findings.forEach(function (f) {
      if (f.severity === 'error') errors++; else if (f.severity === 'warning') warnings++;
      var li = document.createElement('li');
      li.className = 'finding sev-' + f.severity;
      var badge = document.createElement('span'); badge.className = 'badge sev-' + f.severity; badge.textContent = f.severity_label;
      var msg = document.createElement('span'); msg.className = 'msg'; msg.textContent = f.message;
      li.appendChild(badge); li.appendChild(msg);
      (f.cells || []).forEach(function (k) {
        var td = cell(k);
        if (td) {
          if (!td.classList.contains('mark-error')) td.classList.add('mark-' + f.severity);
          td.title = (td.title ? td.title + '\n' : '') + f.message;
        }
      });
      li.addEventListener('click', function () {
        var first = (f.cells || []).map(cell).filter(Boolean)[0];
        if (first) { first.scrollIntoView({block: 'center', behavior: 'smooth'}); var i = first.querySelector('input'); if (i) i.focus(); }
      });
      list.appendChild(li);
    });
    status.className = 'check-status ' + (errors ? 'bad' : 'ok');
    status.textContent = errors ? ('有 ' + errors + ' 处错误' + (warnings ? '，' + warnings + ' 处警告' : '') + '，请核对标红的单元格')
      : (warnings ? ('勾稽关系无误，另有 ' + warnings + ' 处警告') : '勾稽关系无误，未发现问题');
  }
  function check() {
    var mine = ++seq;
    status.className = 'check-status'; status.textContent = '正在检查…';
    post('/api/check', data()).then(function (r) { if (mine === seq) show(r); })
      .catch(function (e) { if (mine === seq) { status.className = 'check-status bad'; status.textContent = '检查失败：' + e.message; } });
  }
  form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(check, 300); });
  document.getElementById('fill-totals').addEventListener('click', function () {
    post('/api/fill-totals', data()).then(function (filled) {
      Object.keys(filled).forEach(function (k) { var i = form.querySelector('input[name="' + CSS.escape(k) + '"]'); if (i) i.value = filled[k]; });
      check();
    }).catch(function (e) { status.className = 'check-status bad'; status.textContent = e.message; });
  });
  check();
})();
