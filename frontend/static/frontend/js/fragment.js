/* livinglab — fetch a page's section again, for the scripts that redraw one live.
 *
 * livinglabFragment(url, selector) fetches url (a view that renders the section alone)
 * and resolves to the element matching selector in the answer, not yet in the page, or
 * null when the answer is not OK or holds no such element; the caller swaps it in.
 * Used by duplicates.js and moderation.js; loaded before them.
 */
(function () {
  "use strict";

  if (!window.fetch) {
    return;
  }

  window.livinglabFragment = function (url, selector) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) {
          return null;
        }
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        return holder.content.querySelector(selector);
      });
  };
})();
