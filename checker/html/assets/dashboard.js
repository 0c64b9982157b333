"use strict";
(function () {
  var table = document.getElementById("groups");
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var counts = Array.prototype.slice.call(table.querySelectorAll("tr.counts td[data-q]"));
  var filter = document.getElementById("filter");
  var verdict = document.getElementById("verdict");
  var question = document.getElementById("question");
  var answer = document.getElementById("answer");
  var rule = document.getElementById("rule");
  var shown = document.getElementById("shown");
  var failing = ["fail", "unanswered", "missing"];

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

  function words(text) {
    return (text || "").split(" ").filter(Boolean);
  }

  function statusFits(status, wanted) {
    if (!wanted) { return true; }
    if (wanted === "not-pass") { return failing.indexOf(status) !== -1; }
    return status === wanted;
  }

  function verdictFits(row, wanted) {
    if (!wanted) { return true; }
    if (wanted === "crash") { return words(row.getAttribute("data-flags")).indexOf("crash") !== -1; }
    if (wanted.indexOf("status:") === 0) { return row.getAttribute("data-status") === wanted.slice(7); }
    return row.getAttribute("data-verdict") === wanted;
  }

  // A question, an answer status and a rule narrow the groups together: with a question, its own cell must
  // have the status and the rule; without one, some question must have the status, and the report the rule.
  function answersFit(row) {
    var q = question.value, wanted = answer.value, r = rule.value;
    if (!q && !wanted && !r) { return true; }
    var cells = Array.prototype.slice.call(row.querySelectorAll("td.h[data-st]"));
    if (q) { cells = cells.filter(function (cell) { return cell.getAttribute("data-q") === q; }); }
    if (!q && r && words(row.getAttribute("data-rules")).indexOf(r) === -1) { return false; }
    return cells.some(function (cell) {
      return statusFits(cell.getAttribute("data-st"), wanted) &&
        (!q || !r || words(cell.getAttribute("data-rules")).indexOf(r) !== -1);
    });
  }

  function recount(rows) {
    var checked = rows.filter(function (row) { return row.querySelector("td.h[data-st]"); });
    counts.forEach(function (cell) {
      var q = cell.getAttribute("data-q");
      var tally = {fail: 0, unanswered: 0, missing: 0};
      checked.forEach(function (row) {
        var found = row.querySelector('td.h[data-q="' + q + '"]');
        var status = found ? found.getAttribute("data-st") : null;
        if (status && tally.hasOwnProperty(status)) { tally[status] += 1; }
      });
      var total = tally.fail + tally.unanswered + tally.missing;
      var parts = failing.filter(function (s) { return tally[s]; }).map(function (s) { return tally[s] + " " + s; });
      cell.textContent = total ? String(total) : "";
      cell.title = "Q" + q + ": " + total + " of " + checked.length + " shown groups do not pass" +
        (parts.length ? " (" + parts.join(", ") + ")" : "");
    });
  }

  function highlight() {
    var q = question.value;
    Array.prototype.forEach.call(table.querySelectorAll("[data-q]"), function (cell) {
      cell.classList.toggle("picked", q !== "" && cell.getAttribute("data-q") === q);
    });
  }

  function applyFilter() {
    var typed = filter.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
    var visible = [];
    Array.prototype.forEach.call(body.rows, function (row) {
      var text = row.getAttribute("data-search") || "";
      var ok = typed.every(function (w) { return text.indexOf(w) !== -1; }) &&
        verdictFits(row, verdict.value) && answersFit(row);
      row.hidden = !ok;
      if (ok) { visible.push(row); }
    });
    shown.textContent = visible.length + " of " + body.rows.length + " shown";
    recount(visible);
    highlight();
  }

  heads.forEach(function (th, column) {
    var button = th.querySelector("button");
    if (button) { button.addEventListener("click", function () { sortBy(column); }); }
  });
  filter.addEventListener("input", applyFilter);
  [verdict, question, answer, rule].forEach(function (select) { select.addEventListener("change", applyFilter); });
  applyFilter();
})();
