extension InventoryReport {
    /// The page's CSS: system fonts only (no web fonts), readable in print.
    static let stylesheet = """

        :root { --flag: #b3261e; --flag-bg: #fdecea; --tint: #fff6e0; --line: #d8d8d8; --muted: #5f6368; }
        * { box-sizing: border-box; }
        body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5em; color: #202124; }
        h1 { font-size: 1.6em; margin: 0 0 .4em; }
        h2 { font-size: 1.2em; margin: 1.4em 0 .5em; border-bottom: 1px solid var(--line); padding-bottom: .2em; }
        code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .92em; }
        .facts { display: flex; flex-wrap: wrap; gap: .5em 2em; margin: 0; }
        .facts div { display: flex; gap: .4em; }
        .facts dt { color: var(--muted); }
        .facts dt::after { content: ":"; }
        .facts dd { margin: 0; font-weight: 600; }
        .facts .warn dd { color: var(--flag); }
        .note, .none { color: var(--muted); }
        .summary { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
        table { border-collapse: collapse; }
        th, td { border: 1px solid var(--line); padding: .25em .5em; text-align: left; vertical-align: top; }
        th { background: #f1f3f4; position: sticky; top: 0; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        #rows { width: 100%; }
        #rows th { padding: 0; }
        #rows th button { all: unset; box-sizing: border-box; display: block; padding: .3em .5em; cursor: pointer;
                         width: 100%; white-space: nowrap; }
        #rows th.num button { text-align: right; }
        #rows th button:focus-visible { outline: 2px solid #1a73e8; }
        #rows th[aria-sort="ascending"] button::after { content: " \\25B2"; }
        #rows th[aria-sort="descending"] button::after { content: " \\25BC"; }
        #rows tbody tr:hover { background: #eef3fd; }
        tr.flagged { background: var(--tint); }
        .wrap { overflow-wrap: anywhere; }
        .key { min-width: 8em; max-width: 13em; }
        .keyword { min-width: 11em; max-width: 16em; }
        .path { min-width: 12em; max-width: 24em; }
        .rule { min-width: 14em; max-width: 24em; }
        .examples { overflow-wrap: anywhere; max-width: 20em; }
        .origin { color: var(--muted); font-size: .85em; }
        .estimate { font-style: italic; }
        .badge { display: inline-block; margin: 1px 0; padding: 0 .45em; border-radius: .8em; font-size: .82em;
                 color: var(--flag); background: var(--flag-bg); border: 1px solid var(--flag); white-space: nowrap; }
        .action { display: inline-block; padding: 0 .4em; border-radius: .3em; background: #e8eaed; white-space: nowrap; }
        .action-keep { background: #fce8b2; }
        .action-remove { background: #ceead6; }
        .action-mixed { background: #fad2cf; }
        .controls { display: flex; flex-wrap: wrap; gap: 1em; align-items: center; margin: .6em 0; }
        .controls input[type=search] { width: 22em; padding: .25em .4em; }
        .shown { color: var(--muted); }
        .legend { list-style: none; padding: 0; margin: .3em 0; }
        .legend li { margin: .15em 0; }
        .examples ul { margin: 0; padding-left: 1.1em; }
        #selftest { white-space: pre-wrap; border: 1px dashed var(--line); padding: .5em; }

        """

    /// The page's script. It reads and reorders the table the page already holds (no data is embedded in it),
    /// so a value can never break out of it. Plain ES5 without dependencies.
    static let script = #"""

        (function () {
          'use strict';
          var table = document.getElementById('rows');
          if (!table) { return; }
          var body = table.tBodies[0];
          var headers = table.tHead.rows[0].cells;
          var filter = document.getElementById('filter');
          var flaggedOnly = document.getElementById('flagged-only');
          var shown = document.getElementById('shown');

          function rows() { return Array.prototype.slice.call(body.rows); }

          function sortValue(row, column, numeric) {
            var cell = row.cells[column];
            var text = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent;
            if (!numeric) { return text.toLowerCase(); }
            var number = parseFloat(text);
            return isNaN(number) ? -Infinity : number;
          }

          function sortBy(column, ascending) {
            var numeric = headers[column].getAttribute('data-type') === 'number';
            var sorted = rows().map(function (row) {
              return { row: row, value: sortValue(row, column, numeric), index: Number(row.getAttribute('data-index')) };
            });
            sorted.sort(function (a, b) {
              var order = a.value < b.value ? -1 : (a.value > b.value ? 1 : 0);
              if (!ascending) { order = -order; }
              return order !== 0 ? order : a.index - b.index;
            });
            sorted.forEach(function (entry) { body.appendChild(entry.row); });
            for (var i = 0; i < headers.length; i++) {
              if (i === column) {
                headers[i].setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
              } else {
                headers[i].removeAttribute('aria-sort');
              }
            }
          }

          function applyFilter() {
            var words = filter.value.toLowerCase().split(/\s+/).filter(function (word) { return word.length > 0; });
            var onlyFlagged = flaggedOnly.checked;
            var count = 0;
            rows().forEach(function (row) {
              var text = row.textContent.toLowerCase();
              var visible = (!onlyFlagged || row.classList.contains('flagged')) &&
                words.every(function (word) { return text.indexOf(word) !== -1; });
              row.hidden = !visible;
              if (visible) { count++; }
            });
            shown.textContent = String(count);
            return count;
          }

          Array.prototype.forEach.call(headers, function (header, column) {
            header.addEventListener('click', function () {
              sortBy(column, header.getAttribute('aria-sort') !== 'ascending');
            });
          });
          // The part after # as name=value pairs separated by &; a value that does not decode stays as written.
          function hashParameters() {
            var parameters = {};
            location.hash.slice(1).split('&').forEach(function (part) {
              var at = part.indexOf('=');
              var value = at < 0 ? '' : part.slice(at + 1);
              try { value = decodeURIComponent(value); } catch (error) { /* keep it as written */ }
              parameters[at < 0 ? part : part.slice(0, at)] = value;
            });
            return parameters;
          }

          filter.addEventListener('input', applyFilter);
          flaggedOnly.addEventListener('change', applyFilter);
          var parameters = hashParameters();
          var selfTest = Object.prototype.hasOwnProperty.call(parameters, 'selftest');
          // A link can open the page filtered: …/inventory.html#filter=patient&flagged
          if (!selfTest && parameters.filter) { filter.value = parameters.filter; }
          if (!selfTest && Object.prototype.hasOwnProperty.call(parameters, 'flagged')) { flaggedOnly.checked = true; }
          applyFilter();

          // Self-test for headless browsers: open the page as …/inventory.html#selftest (optionally
          // #selftest&filter=WORDS&sort=COLUMN-KEY) and read the JSON written into <pre id="selftest">.
          if (!selfTest) { return; }
          var output = document.getElementById('selftest');
          var result = {};
          function visibleRows() { return rows().filter(function (row) { return !row.hidden; }); }
          function column(key) {
            for (var i = 0; i < headers.length; i++) {
              if (headers[i].getAttribute('data-key') === key) { return i; }
            }
            throw new Error('no column ' + key);
          }
          function keys() { return visibleRows().map(function (row) { return row.getAttribute('data-key'); }); }
          // The numbers as displayed, read independently of the sort code.
          function values(index) {
            return visibleRows().map(function (row) { return parseFloat(row.cells[index].textContent); });
          }
          try {
            result.rows = rows().length;
            result.rowsVisibleBefore = visibleRows().length;
            result.flaggedRows = body.querySelectorAll('tr.flagged').length;
            result.badges = body.querySelectorAll('.badge').length;
            var numericKey = parameters.sort || 'occurrences';
            var numericColumn = column(numericKey);
            result.sortColumn = numericKey;
            headers[numericColumn].click();
            result.sortAsc = { firstKey: keys()[0], values: values(numericColumn),
                               ariaSort: headers[numericColumn].getAttribute('aria-sort') };
            headers[numericColumn].click();
            result.sortDesc = { firstKey: keys()[0], values: values(numericColumn),
                                ariaSort: headers[numericColumn].getAttribute('aria-sort') };
            var keyColumn = column('key');
            headers[keyColumn].click();
            result.keySortAsc = keys();
            headers[keyColumn].click();
            result.keySortDesc = keys();
            result.filter = parameters.filter || 'patient';
            filter.value = result.filter;
            filter.dispatchEvent(new Event('input'));
            result.rowsAfterFilter = visibleRows().length;
            result.shownAfterFilter = Number(shown.textContent);
            result.keysAfterFilter = keys();
            flaggedOnly.click();
            result.rowsAfterFilterFlaggedOnly = visibleRows().length;
            filter.value = '';
            filter.dispatchEvent(new Event('input'));
            result.rowsFlaggedOnly = visibleRows().length;
            flaggedOnly.click();
            result.rowsAfterReset = visibleRows().length;
            result.ok = true;
          } catch (error) {
            result.ok = false;
            result.error = String(error && error.message ? error.message : error);
          }
          output.textContent = JSON.stringify(result);
          output.hidden = false;
        })();

        """#
}
