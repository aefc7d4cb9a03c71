extension HTMLReport {
    /// The report's only script, inline and dependency-free. It adds what a reader
    /// expects of a chart on screen: a tooltip with a point's exact values (from the
    /// marker's SVG `<title>`, which a browser without scripts shows itself), a legend
    /// entry that hides its series on click or Enter, and tables sorted by a click on a
    /// column heading. Everything it touches is already readable without it.
    static let script = """

    (function () {
      var tip = document.createElement('div');
      tip.id = 'tooltip'; tip.setAttribute('role', 'tooltip'); tip.hidden = true;
      document.body.appendChild(tip);
      document.querySelectorAll('svg .pt').forEach(function (p) {
        var t = p.querySelector('title');
        if (t) { p.setAttribute('data-tip', t.textContent); p.setAttribute('aria-label', t.textContent); t.remove(); }
        function show() {
          var r = p.getBoundingClientRect();
          tip.textContent = p.getAttribute('data-tip'); tip.hidden = false;
          tip.style.left = (window.scrollX + r.right + 8) + 'px';
          tip.style.top = (window.scrollY + r.top - 8) + 'px';
        }
        function hide() { tip.hidden = true; }
        p.addEventListener('mouseenter', show); p.addEventListener('focus', show);
        p.addEventListener('mouseleave', hide); p.addEventListener('blur', hide);
      });
      document.querySelectorAll('svg .legend-entry').forEach(function (e) {
        function toggle() {
          var off = e.getAttribute('aria-pressed') !== 'true', i = e.getAttribute('data-series');
          e.setAttribute('aria-pressed', off ? 'true' : 'false');
          e.style.opacity = off ? '0.35' : '';
          e.ownerSVGElement.querySelectorAll('[data-series="' + i + '"]:not(.legend-entry)').forEach(function (g) {
            g.style.display = off ? 'none' : '';
          });
        }
        e.addEventListener('click', toggle);
        e.addEventListener('keydown', function (ev) {
          if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toggle(); }
        });
      });
      function key(cell) {
        var text = cell.textContent.trim(), bare = text.replace(/[$,%]/g, '');
        return bare !== '' && isFinite(Number(bare)) ? Number(bare) : text.toLowerCase();
      }
      function compare(a, b) {
        if (typeof a === typeof b) { return typeof a === 'number' ? a - b : a.localeCompare(b); }
        return typeof a === 'number' ? -1 : 1;
      }
      document.querySelectorAll('table').forEach(function (table) {
        var body = table.tBodies[0];
        if (!table.tHead || !body) { return; }
        var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
        heads.forEach(function (th, column) {
          th.className = 'sortable'; th.tabIndex = 0; th.title = 'sort by this column';
          function sort() {
            var up = th.getAttribute('aria-sort') !== 'ascending';
            heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
            th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
            var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
              return { row: row, key: key(row.cells[column] || row), i: i };
            });
            rows.sort(function (a, b) { return (up ? 1 : -1) * compare(a.key, b.key) || a.i - b.i; });
            rows.forEach(function (r) { body.appendChild(r.row); });
          }
          th.addEventListener('click', sort);
          th.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { sort(); } });
        });
      });
    })();

    """
}
