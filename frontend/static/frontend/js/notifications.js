/* livinglab — live notifications on the notifications page.
 *
 * Progressive enhancement: the page is a plain list with forms; this script opens
 * /ws/notifications/ (docs/help-requests.md), says hello with the browser's session,
 * and prepends each new notification, updating the unread count. It reconnects with
 * a growing delay. No framework, no build step.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-live-notifications]");
  if (!root || !("WebSocket" in window)) {
    return;
  }
  var list = root.querySelector("[data-notification-list]");
  var count = root.querySelector("[data-unread-count]");
  var status = root.querySelector("[data-live-status]");
  var newLabel = root.getAttribute("data-new-label") || "new";
  var delay = 1000;

  function add(notification) {
    if (!list) {
      return;
    }
    var item = document.createElement("li");
    item.className = "card unread";
    var line = document.createElement("p");
    var link = document.createElement("a");
    link.href = notification.url || "#";
    link.textContent = notification.title;
    line.appendChild(link);
    var badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = newLabel;
    line.appendChild(document.createTextNode(" "));
    line.appendChild(badge);
    item.appendChild(line);
    if (notification.body) {
      var body = document.createElement("p");
      body.className = "muted";
      body.textContent = notification.body;
      item.appendChild(body);
    }
    list.insertBefore(item, list.firstChild);
    if (status) {
      status.textContent = notification.title;
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.onopen = function () {
      socket.send(JSON.stringify({ type: "hello" }));
    };
    socket.onmessage = function (message) {
      var data;
      try {
        data = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      if (data.type === "welcome") {
        delay = 1000;
      }
      if (data.type === "notification.created") {
        add(data.notification);
      }
      if (count && typeof data.unread === "number") {
        count.textContent = String(data.unread);
      }
    };
    socket.onclose = function (event) {
      if (event.code === 4401) {
        return;
      }
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  connect();
})();
