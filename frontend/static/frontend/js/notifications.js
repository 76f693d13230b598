/* livinglab — live notifications, on every page of a logged-in person.
 *
 * Progressive enhancement: pages work without it. One socket per page to
 * /ws/notifications/ (docs/help-requests.md), hello with the browser's session; then
 *  - the unread badge in the header ([data-unread-badge]) shows the count, live;
 *  - the notifications page ([data-live-notifications]) prepends each new one;
 *  - the expert dashboard ([data-live-requests]) lists each new request that asks for
 *    this expert (fits, offered again, waiting), without a reload.
 * It reconnects with a growing delay. No framework, no build step.
 */
(function () {
  "use strict";

  var badge = document.querySelector("[data-unread-badge]");
  var root = document.querySelector("[data-live-notifications]");
  var requests = document.querySelector("[data-live-requests]");
  if (!(badge || root || requests) || !("WebSocket" in window)) {
    return;
  }
  var list = root && root.querySelector("[data-notification-list]");
  var count = root && root.querySelector("[data-unread-count]");
  var status = document.querySelector("[data-live-status]");
  var newLabel = (root && root.getAttribute("data-new-label")) || "new";
  var REQUEST_KINDS = { "help.fits": true, "help.offered": true, "help.unclaimed": true };
  var delay = 1000;

  function setUnread(n) {
    if (count) {
      count.textContent = String(n);
    }
    if (!badge) {
      return;
    }
    var number = badge.querySelector("[data-unread-number]");
    if (number) {
      number.textContent = String(n);
    }
    badge.hidden = n <= 0;
  }

  function item(notification, className) {
    var li = document.createElement("li");
    li.className = className;
    var line = document.createElement("p");
    var link = document.createElement("a");
    link.href = notification.url || "#";
    link.textContent = notification.title;
    line.appendChild(link);
    var mark = document.createElement("span");
    mark.className = "badge";
    mark.textContent = newLabel;
    line.appendChild(document.createTextNode(" "));
    line.appendChild(mark);
    li.appendChild(line);
    if (notification.body) {
      var body = document.createElement("p");
      body.className = "muted";
      body.textContent = notification.body;
      li.appendChild(body);
    }
    return li;
  }

  function add(notification) {
    if (list) {
      list.insertBefore(item(notification, "card unread"), list.firstChild);
    }
    if (requests && REQUEST_KINDS[notification.kind]) {
      var target = requests.querySelector("[data-live-request-list]");
      var empty = requests.querySelector("[data-live-empty]");
      if (empty) {
        empty.hidden = true;
      }
      if (target) {
        target.hidden = false;
        target.insertBefore(item(notification, "card help-card unread"), target.firstChild);
      }
    }
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
      if (typeof data.unread === "number") {
        setUnread(data.unread);
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
