/* livinglab — the moderation page's queue of ideas awaiting a moderator.
 *
 * Pre-moderated ideas never travel on the board's log; the log says only that the queue
 * changed ("board.updated" with "pending"), and this fetches the queue again (with
 * fragment.js). Approving or rejecting is sent in the background, so the focus moves on
 * to the next idea; keys A and R approve or reject the idea that has the focus. Without
 * this script the queue is plain forms.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-board]");
  if (!root || !document.querySelector("[data-queue]") || !window.livinglabFragment) {
    return;
  }
  var announcer = root.querySelector("[data-announce]");
  var focusNext = null; /* the id of the idea to focus once the queue is drawn again */

  function queue() {
    return document.querySelector("[data-queue]");
  }

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function announce(text) {
    if (announcer) {
      announcer.textContent = "";
      window.setTimeout(function () {
        announcer.textContent = text;
      }, 50);
    }
  }

  function refresh() {
    window
      .livinglabFragment(queue().getAttribute("data-src"), "[data-queue]")
      .then(function (fresh) {
        var now = queue();
        if (!fresh) {
          return;
        }
        /* The queue holds only buttons: redrawing it loses no typing. The focus stays on
         * the same idea, or moves to the next one when its idea has gone. */
        var focused = document.activeElement && document.activeElement.closest("[data-pending]");
        var keep = focusNext || (focused && focused.getAttribute("data-pending"));
        now.parentNode.replaceChild(fresh, now);
        focusNext = null;
        var target = keep && fresh.querySelector('[data-pending="' + keep + '"]');
        if (!target && (keep || focused)) {
          target = fresh.querySelector("[data-pending]") || fresh.querySelector("h2");
          if (target && target.tagName === "H2") {
            target.setAttribute("tabindex", "-1");
          }
        }
        if (target) {
          target.focus();
        }
      })
      .catch(function () {});
  }

  function decide(button) {
    var form = button.form;
    var item = form.closest("[data-pending]");
    var next = item && item.nextElementSibling;
    var body = new FormData(form);
    body.append(button.name, button.value);
    button.disabled = true;
    /* getAttribute: the buttons are named "action", which shadows form.action */
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf(form) },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          announce(data.detail || "");
          focusNext = next ? next.getAttribute("data-pending") : "";
          refresh();
        });
      })
      .catch(function () {
        /* fall back to the plain form, with the button that was chosen */
        form.setAttribute("data-plain", "");
        button.disabled = false;
        button.click();
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("queue-form") || !event.submitter ||
        form.hasAttribute("data-plain")) {
      return;
    }
    event.preventDefault();
    decide(event.submitter);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var item = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest("[data-pending]");
    var key = (event.key || "").toLowerCase();
    if (!item || (key !== "a" && key !== "r")) {
      return;
    }
    var button = item.querySelector('button[data-key="' + key + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      decide(button);
    }
  });

  root.addEventListener("board:event", function (event) {
    var message = event.detail || {};
    if (message.type === "board.updated" && message.pending !== undefined) {
      refresh();
    }
  });
})();
