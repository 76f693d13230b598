/* livinglab — inlined in the board's <head>: an idea posted before board.js runs is
 * queued (never a full reload); board.js sends it as soon as it starts. */
(function () {
  "use strict";
  if (!("WebSocket" in window) || !("fetch" in window) || !("FormData" in window)) {
    return; /* board.js will not run either: the plain form post stays */
  }
  var queue = (window.livinglabQueue = []);
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (window.livinglabReady || !form.hasAttribute || !form.hasAttribute("data-post-form")) {
      return;
    }
    e.preventDefault();
    if (queue.indexOf(form) < 0) {
      queue.push(form);
    }
    var out = form.querySelector("[data-post-feedback]");
    if (out) {
      out.textContent = form.getAttribute("data-sending") || "…";
    }
  }, true);
})();
