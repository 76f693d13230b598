/* livinglab — the moderation page's "likely duplicates", refreshed as ideas arrive.
 *
 * board.js hands every board event over as "board:event"; when ideas are created, edited
 * or merged, this fetches the section again (at most every few seconds) and swaps it in —
 * but never while the moderator's focus is inside it.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-board]");
  if (!root || !document.querySelector("[data-duplicates]") || !window.fetch) {
    return;
  }
  var WAIT = 3000;
  var timer = null;
  var stale = false;

  function refresh() {
    timer = null;
    var section = document.querySelector("[data-duplicates]");
    if (section.contains(document.activeElement)) {
      stale = true; /* try again when the focus leaves */
      return;
    }
    fetch(section.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) {
          return;
        }
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var fresh = holder.content.querySelector("[data-duplicates]");
        var current = document.querySelector("[data-duplicates]");
        if (fresh && current && !current.contains(document.activeElement)) {
          current.parentNode.replaceChild(fresh, current);
          watch(fresh);
        }
      })
      .catch(function () {});
  }

  function later() {
    if (timer === null) {
      timer = window.setTimeout(refresh, WAIT);
    }
  }

  function watch(section) {
    section.addEventListener("focusout", function () {
      if (stale) {
        stale = false;
        later();
      }
    });
  }

  watch(document.querySelector("[data-duplicates]"));
  root.addEventListener("board:event", function (event) {
    var type = event.detail && event.detail.type;
    if (type === "idea.created" || type === "idea.updated" || type === "idea.merged") {
      later();
    }
  });
})();
