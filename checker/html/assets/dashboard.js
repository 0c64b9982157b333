"use strict";
(function () {
  var table = document.getElementById("groups");
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var filter = document.getElementById("filter");
  var verdict = document.getElementById("verdict");
  var shown = document.getElementById("shown");

  function key(row, column, type) {
    var value = row.cells[column].getAttribute("data-v") || "";
    if (type === "num") {
      return value === "" ? null : Number(value);
    }
    return value;
  }

  function sortBy(column) {
    var th = heads[column];
    var type = th.getAttribute("data-type");
    var direction = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    heads.forEach(function (other) {
      if (other.hasAttribute("aria-sort")) { other.setAttribute("aria-sort", "none"); }
    });
    th.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, column, type), y = key(b, column, type);
      // Empty cells (no result) stay at the bottom whichever way the column is sorted.
      if (x === null || x === "") { return (y === null || y === "") ? 0 : 1; }
      if (y === null || y === "") { return -1; }
      if (x < y) { return -direction; }
      if (x > y) { return direction; }
      return 0;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function applyFilter() {
    var words = filter.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
    var wanted = verdict.value;
    var wantedKind = wanted === "ready" ? "ready" : wanted === "not ready" ? "not-ready" : wanted;
    var count = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var text = row.getAttribute("data-search") || "";
      var ok = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
        (!wantedKind || row.getAttribute("data-verdict") === wantedKind);
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = count + " of " + body.rows.length + " shown";
  }

  heads.forEach(function (th, column) {
    var button = th.querySelector("button");
    if (button) { button.addEventListener("click", function () { sortBy(column); }); }
  });
  filter.addEventListener("input", applyFilter);
  verdict.addEventListener("change", applyFilter);
  applyFilter();
})();
