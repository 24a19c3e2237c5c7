/* 考核排名表：点击（或用键盘按回车、空格）表头按钮排序，按单位名称和等次筛选。
   不依赖任何外部脚本；禁用脚本时表格照常显示全部单位（按名次排列）。 */
(function () {
  "use strict";

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    if (type === "number") {
      var n = parseFloat(raw);
      return isNaN(n) ? null : n;
    }
    return raw.trim();
  }

  function sortTable(table, index, type, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
    rows.sort(function (a, b) {
      var x = cellValue(a, index, type);
      var y = cellValue(b, index, type);
      if (x === null && y === null) { return 0; }
      if (x === null) { return 1; }
      if (y === null) { return -1; }
      var c = type === "number" ? x - y : x.localeCompare(y, "zh-CN");
      if (c === 0) { return Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order")); }
      return descending ? -c : c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function makeSortable(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortTable(table, index, th.getAttribute("data-type") || "text", descending);
      });
    });
  }

  function makeFilter(box) {
    var table = document.getElementById(box.getAttribute("data-for"));
    var text = box.querySelector(".filter-text");
    var grade = box.querySelector(".filter-grade");
    var count = box.querySelector(".filter-count");
    function apply() {
      var needle = text.value.trim();
      var wanted = grade.value;
      var rows = table.tBodies[0].rows;
      var shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var ok = (!needle || row.getAttribute("data-unit").indexOf(needle) !== -1) &&
          (!wanted || row.getAttribute("data-grade") === wanted);
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 个单位";
    }
    text.addEventListener("input", apply);
    grade.addEventListener("change", apply);
    box.hidden = false;
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
  Array.prototype.forEach.call(document.querySelectorAll(".filters"), makeFilter);
}());
