/* livinglab — the moderation page's "likely duplicates", refreshed as ideas arrive.
 *
 * board.js hands every board event over as "board:event"; when ideas are created, edited
 * or merged, this fetches the section again (at most every few seconds, with
 * fragment.js) and swaps it in — but never while the moderator's focus is inside it.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-board]");
  if (!root || !document.querySelector("[data-duplicates]") || !window.livinglabFragment) {
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
    window
      .livinglabFragment(section.getAttribute("data-src"), "[data-duplicates]")
      .then(function (fresh) {
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
