/* livinglab — the organizer's help desk figures, refreshed every 15 seconds from
 * GET /api/events/{id}/help-stats/ (the browser's session). The page is complete without
 * it; this only keeps the numbers current. */
(function () {
  "use strict";

  var root = document.querySelector("[data-help-stats]");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-help-stats");
  var updated = root.querySelector("[data-stats-updated]");

  function cell(text, header) {
    var td = document.createElement(header ? "th" : "td");
    if (header) {
      td.scope = "row";
    }
    td.textContent = text;
    return td;
  }

  function render(data) {
    ["open", "claimed", "resolved"].forEach(function (key) {
      var node = root.querySelector('[data-stat="' + key + '"]');
      if (node) {
        node.textContent = String(data[key]);
      }
    });
    var wait = root.querySelector('[data-stat="median_wait_seconds"]');
    if (wait) {
      wait.textContent =
        data.median_wait_seconds === null
          ? "—"
          : Math.round(data.median_wait_seconds / 60) + " " + wait.getAttribute("data-minutes-label");
    }
    var body = root.querySelector("[data-stats-experts]");
    if (body && data.experts.length) {
      body.textContent = "";
      data.experts.forEach(function (row) {
        var tr = document.createElement("tr");
        tr.appendChild(cell(row.name, true));
        tr.appendChild(cell(String(row.claimed)));
        tr.appendChild(cell(String(row.resolved)));
        tr.appendChild(cell(row.rating === null ? "—" : row.rating + " (" + row.ratings + ")"));
        body.appendChild(tr);
      });
    }
    if (updated) {
      updated.textContent = new Date().toLocaleTimeString();
    }
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          render(data);
        }
      })
      .catch(function () {});
  }

  window.setInterval(refresh, 15000);
})();
