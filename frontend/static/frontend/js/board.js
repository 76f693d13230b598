/* livinglab — the live ideas board.
 *
 * Progressive enhancement: the page works as plain forms; this script opens the board's
 * WebSocket (docs/protocol.md), applies live events to the page, sends writes with a
 * client_id so a retry never duplicates, keeps an unsent idea in localStorage across
 * reloads and dropped connections, and says honestly when it is reconnecting.
 * No framework, no build step, ES2017 for old phones.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-board]");
  if (!root || !("WebSocket" in window)) {
    return;
  }
  var mode = root.getAttribute("data-mode");
  var eventId = root.getAttribute("data-event");
  var token = root.getAttribute("data-token") || null;
  var lastSeq = parseInt(root.getAttribute("data-seq"), 10) || 0;
  var draftKey = "livinglab.draft." + eventId;
  var lang = document.documentElement.lang || "fr";
  var T = {
    fr: {
      live: "En direct",
      connecting: "Connexion au direct en cours…",
      reconnecting: "Coupure, reconnexion en cours…",
      newIdea: "Nouvelle idée : ",
      posted: "Votre idée est sur le tableau.",
      awaiting: "Merci : votre idée paraîtra dès que l'équipe de modération l'aura lue.",
      kept: "Pas de réseau : votre idée est gardée et sera envoyée dès son retour.",
      sending: "Envoi…",
      commented: "Votre commentaire est publié.",
      locked: "Le tableau est verrouillé.",
      unlocked: "Le tableau est ouvert.",
    },
    en: {
      live: "Live",
      connecting: "Connecting to the live board…",
      reconnecting: "Connection lost, reconnecting…",
      newIdea: "New idea: ",
      posted: "Your idea is on the board.",
      awaiting: "Thank you: your idea will appear once a moderator has read it.",
      kept: "No network: your idea is kept and will be sent as soon as it is back.",
      sending: "Sending…",
      commented: "Your comment is posted.",
      locked: "The board is locked.",
      unlocked: "The board is open.",
    },
  }[lang === "en" ? "en" : "fr"];

  var conn = root.querySelector("[data-conn]");
  var announcer = root.querySelector("[data-announce]");
  var postForm = root.querySelector("[data-post-form]");
  var feedback = root.querySelector("[data-post-feedback]");
  var template = document.getElementById("idea-template");
  var socket = null;
  var ready = false;
  var backoff = 1000;
  var pending = {}; // client_id -> kind, for acks
  var myVotes = {};

  function uuid4() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function setConn(text) {
    if (!conn) {
      return;
    }
    conn.hidden = false;
    conn.textContent = text;
  }

  function announce(text) {
    if (!announcer) {
      return;
    }
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = text;
    }, 50);
  }

  function loadDraft() {
    try {
      return JSON.parse(window.localStorage.getItem(draftKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function saveDraft(draft) {
    try {
      if (draft) {
        window.localStorage.setItem(draftKey, JSON.stringify(draft));
      } else {
        window.localStorage.removeItem(draftKey);
      }
    } catch (e) {
      /* private mode: the draft stays in the form */
    }
  }

  function send(message) {
    if (socket && ready && socket.readyState === 1) {
      socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  /* ---- rendering ---------------------------------------------------------------- */

  /* ---- the projector: one screen, no scrollbar ----------------------------------
   * On a wide screen (the stylesheet's layout), as many theme columns as fit across are
   * shown, paging through the others every PAGE_MS; in each column the ideas that fit
   * are shown (best first) and the rest hidden until they fit again. */
  var PAGE_MS = 12000;
  var FRESH_MS = 60000;
  var lastAcross = 1;

  function showColumnOf(el) {
    /* a new idea brings its theme's page to the screen */
    var columns = Array.prototype.slice.call(root.querySelectorAll("[data-theme]"));
    var index = columns.indexOf(el.closest("[data-theme]"));
    if (index >= 0) {
      page = Math.floor(index / lastAcross);
    }
  }
  var page = 0;
  var fitQueued = false;

  function plural(count) {
    var one = lang === "en" ? count === 1 : count <= 1; /* French: 0 and 1 are singular */
    return root.getAttribute(one ? "data-vote-one" : "data-vote-many") || "";
  }

  function projectorWide() {
    return mode === "projector" && window.matchMedia && window.matchMedia("(min-width: 56rem)").matches;
  }

  function fitSoon() {
    if (!fitQueued) {
      fitQueued = true;
      window.requestAnimationFrame(function () {
        fitQueued = false;
        fitProjector();
      });
    }
  }

  function fitProjector() {
    var columns = Array.prototype.slice.call(root.querySelectorAll("[data-theme]"));
    var wide = projectorWide();
    var across = wide ? Math.max(1, Math.min(4, Math.floor(window.innerWidth / 420))) : columns.length;
    lastAcross = across;
    var pages = Math.max(1, Math.ceil(columns.length / across));
    page = page % pages;
    root.style.setProperty("--projector-columns", String(Math.min(across, columns.length) || 1));
    columns.forEach(function (column, index) {
      column.hidden = wide && Math.floor(index / across) !== page;
    });
    var note = root.querySelector("[data-projector-pages]");
    if (note) {
      note.hidden = pages < 2;
      note.textContent = (root.getAttribute("data-pages") || "")
        .replace("{first}", String(page * across + 1))
        .replace("{last}", String(Math.min(columns.length, (page + 1) * across)))
        .replace("{total}", String(columns.length));
    }
    columns.forEach(function (column) {
      var list = column.querySelector("[data-ideas]");
      var items = Array.prototype.slice.call(list.children);
      items.forEach(function (item) {
        item.hidden = false;
      });
      if (!wide || column.hidden) {
        return;
      }
      /* the column's own bottom, and never below the screen's (a layout that did not
       * constrain the column must still not push an idea off the screen) */
      var bottom = Math.min(list.getBoundingClientRect().bottom, window.innerHeight - 8);
      /* Hide from the bottom until the column fits, but never an idea that has just
       * arrived (for FRESH_MS): the room must see it come in, even with no vote yet. */
      var overflows = function () {
        return items.some(function (item) {
          return !item.hidden && item.getBoundingClientRect().bottom > bottom + 1;
        });
      };
      for (var i = items.length - 1; i >= 0 && overflows(); i--) {
        if (!items[i].hasAttribute("data-fresh")) {
          items[i].hidden = true;
        }
      }
    });
  }

  if (mode === "projector") {
    window.addEventListener("resize", fitSoon);
    window.setInterval(function () {
      if (projectorWide() && root.querySelectorAll("[data-theme]").length > 1) {
        page += 1;
        fitProjector();
      }
    }, PAGE_MS);
  }

  function ideaElement(id) {
    return document.getElementById("idea-" + id);
  }

  function columnFor(themeId) {
    var key = themeId === null || themeId === undefined ? "" : String(themeId);
    var column = root.querySelector('[data-theme="' + key + '"]');
    return column || root.querySelector('[data-theme=""]') || root.querySelector("[data-theme]");
  }

  function countColumns() {
    var columns = root.querySelectorAll("[data-theme]");
    Array.prototype.forEach.call(columns, function (column) {
      var out = column.querySelector("[data-column-count]");
      var list = column.querySelector("[data-ideas]");
      var limit = parseInt(root.getAttribute("data-limit"), 10) || 0;
      var more = parseInt(column.getAttribute("data-more"), 10) || 0;
      while (limit && list.children.length > limit) {
        list.removeChild(list.lastElementChild); /* the projector shows the top ideas */
        more += 1;
      }
      column.setAttribute("data-more", more);
      if (out) {
        out.textContent = list.children.length + more;
      }
    });
    if (mode === "projector") {
      fitSoon();
    }
  }

  function fill(el, idea) {
    var fields = el.querySelectorAll("[data-field]");
    Array.prototype.forEach.call(fields, function (field) {
      var name = field.getAttribute("data-field");
      if (Object.prototype.hasOwnProperty.call(idea, name)) {
        field.textContent = idea[name]; /* textContent: user text is never parsed as HTML */
      }
    });
    if (idea.text !== undefined) {
      Array.prototype.forEach.call(el.querySelectorAll("[data-short-text]"), function (field) {
        field.textContent = idea.text.length > 60 ? idea.text.slice(0, 59) + "…" : idea.text;
      });
    }
    if (idea.votes !== undefined) {
      el.setAttribute("data-votes", idea.votes);
      var unit = el.querySelector("[data-unit]");
      if (unit && mode === "projector") {
        unit.textContent = plural(Number(idea.votes));
      }
    }
    if (idea.pinned !== undefined) {
      el.classList.toggle("is-pinned", !!idea.pinned);
      var pin = el.querySelector('[data-flag="pinned"]');
      if (pin) {
        pin.hidden = !idea.pinned;
      }
    }
    if (idea.status !== undefined) {
      el.classList.toggle("is-hidden", idea.status === "hidden");
      var flag = el.querySelector('[data-flag="hidden"]');
      if (flag) {
        flag.hidden = idea.status !== "hidden";
      }
    }
    syncModeration(el);
  }

  function syncModeration(el) {
    if (mode !== "moderate") {
      return;
    }
    var hidden = el.classList.contains("is-hidden");
    var pinned = el.classList.contains("is-pinned");
    var state = { visible: !hidden, hidden: hidden, pinned: pinned, unpinned: !pinned };
    Array.prototype.forEach.call(el.querySelectorAll("[data-show-when]"), function (button) {
      button.hidden = !state[button.getAttribute("data-show-when")];
    });
  }

  function build(idea) {
    var html = template.innerHTML.replace(/__ID__/g, String(idea.id));
    var holder = document.createElement("ol");
    holder.innerHTML = html; /* the template is our own markup; user text goes in by fill() */
    var el = holder.firstElementChild;
    fill(el, idea);
    wire(el);
    return el;
  }

  function place(el, themeId) {
    var column = columnFor(themeId);
    if (!column) {
      return;
    }
    insertSorted(column.querySelector("[data-ideas]"), el);
  }

  /* The order of every screen: pinned ideas first, then the chosen sort ("top": most
   * supported, newest first among equals — the server's order; "new": newest first). */
  function sortMode() {
    return mode === "board" ? root.getAttribute("data-sort") || "top" : "top";
  }

  function before(a, b) {
    var pinA = a.classList.contains("is-pinned") ? 1 : 0;
    var pinB = b.classList.contains("is-pinned") ? 1 : 0;
    if (pinA !== pinB) {
      return pinA > pinB;
    }
    if (sortMode() === "top") {
      var votesA = parseInt(a.getAttribute("data-votes"), 10) || 0;
      var votesB = parseInt(b.getAttribute("data-votes"), 10) || 0;
      if (votesA !== votesB) {
        return votesA > votesB;
      }
    }
    return (parseInt(a.getAttribute("data-idea"), 10) || 0) > (parseInt(b.getAttribute("data-idea"), 10) || 0);
  }

  function insertSorted(list, el) {
    if (!list) {
      return;
    }
    if (el.parentNode === list) {
      var prev = el.previousElementSibling;
      var next = el.nextElementSibling;
      if ((!prev || !before(el, prev)) && (!next || !before(next, el))) {
        return; /* already in place: do not move it (a move drops the focus) */
      }
      if (el.contains(document.activeElement)) {
        return; /* someone is using it: it moves at the next change */
      }
    }
    var items = list.children;
    for (var i = 0; i < items.length; i++) {
      if (items[i] !== el && before(el, items[i])) {
        list.insertBefore(el, items[i]);
        return;
      }
    }
    list.appendChild(el);
  }

  function resortAll() {
    Array.prototype.forEach.call(root.querySelectorAll("[data-ideas]"), function (list) {
      Array.prototype.slice.call(list.children).forEach(function (el) {
        insertSorted(list, el);
      });
    });
  }

  function upsert(idea, isNew) {
    var el = ideaElement(idea.id);
    var visibleHere = idea.status === "visible" || (mode === "moderate" && idea.status === "hidden");
    if (!visibleHere) {
      if (el) {
        el.parentNode.removeChild(el);
        countColumns();
      }
      return;
    }
    if (!el) {
      el = build(idea);
      place(el, idea.theme);
      if (isNew) {
        announce(T.newIdea + idea.text);
        if (mode === "projector") {
          el.setAttribute("data-fresh", "");
          showColumnOf(el);
          window.setTimeout(function () {
            el.removeAttribute("data-fresh");
            fitSoon();
          }, FRESH_MS);
        }
      }
    } else {
      fill(el, idea);
      var column = columnFor(idea.theme);
      if (column && !column.contains(el)) {
        place(el, idea.theme);
      } else {
        insertSorted(el.parentNode, el); /* a pin, or a tally, moves it */
      }
    }
    countColumns();
  }

  function setLocked(locked) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-locked-note]"), function (note) {
      note.hidden = !locked;
    });
    if (mode === "board") {
      /* polls answer on a locked board too (frontend/js/polls.js), and the order of
         the ideas can still be chosen */
      Array.prototype.forEach.call(root.querySelectorAll("form:not([data-poll-form]):not([data-sort-form]) button"), function (button) {
        button.disabled = locked;
      });
    }
  }

  function apply(message) {
    /* other scripts (polls.js) take the events they know, in seq order, from here */
    root.dispatchEvent(new CustomEvent("board:event", { detail: message }));
    switch (message.type) {
      case "idea.created":
        upsert(message.idea, true);
        break;
      case "idea.updated":
        upsert(message.idea, false);
        break;
      case "idea.merged":
        upsert(message.idea, false);
        if (message.into) {
          upsert(message.into, false);
        }
        break;
      case "comment.created":
        addComment(message.comment, message.idea);
        break;
      case "comment.removed":
        var gone = root.querySelector('[data-comment="' + message.comment.id + '"]');
        if (gone) {
          gone.parentNode.removeChild(gone);
        }
        break;
      case "votes.changed":
        (message.votes || []).forEach(function (tally) {
          var el = ideaElement(tally.idea);
          if (el) {
            fill(el, { votes: tally.votes });
            insertSorted(el.parentNode, el);
          }
        });
        break;
      case "board.updated":
        if (message.board_locked !== undefined) {
          setLocked(message.board_locked);
          announce(message.board_locked ? T.locked : T.unlocked);
        }
        break;
      default:
        break;
    }
  }

  function addComment(comment, idea) {
    var el = ideaElement(comment.idea);
    if (!el) {
      return;
    }
    if (idea && idea.comment_count !== undefined) {
      fill(el, { comment_count: idea.comment_count });
    }
    var list = el.querySelector(".comment-list");
    if (list && !list.querySelector('[data-comment="' + comment.id + '"]')) {
      var li = document.createElement("li");
      li.setAttribute("data-comment", comment.id);
      var who = document.createElement("span");
      who.className = "comment-author";
      who.textContent = comment.author_name;
      li.appendChild(who);
      li.appendChild(document.createTextNode(" : " + comment.text));
      list.appendChild(li);
    }
  }

  /* A board state comes in parts (docs/protocol.md): the welcome's snapshot, then
     "snapshot.part" messages until one says last. Ideas absent from every part go. */
  var partsSeen = null;

  function applySnapshot(snapshot) {
    var seen = partsSeen || {};
    snapshot.ideas.forEach(function (idea) {
      seen[idea.id] = true;
      upsert(idea, false);
    });
    (snapshot.comments || []).forEach(function (comment) {
      addComment(comment, null);
    });
    if (snapshot.my_votes) {
      snapshot.my_votes.forEach(function (id) {
        myVotes[id] = true;
      });
      Array.prototype.forEach.call(root.querySelectorAll(".vote-form"), function (form) {
        showVote(form, !!myVotes[form.getAttribute("data-idea")]);
      });
    }
    if (snapshot.board_locked !== undefined) {
      setLocked(!!snapshot.board_locked);
    }
    partsSeen = snapshot.complete === false || snapshot.last === false ? seen : null;
    if (!partsSeen) {
      Array.prototype.forEach.call(root.querySelectorAll("[data-ideas] > li[data-idea]"), function (el) {
        if (!seen[el.getAttribute("data-idea")]) {
          el.parentNode.removeChild(el);
        }
      });
    }
    countColumns();
  }

  /* ---- the socket --------------------------------------------------------------- */

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    ready = false;
    setConn(socket ? T.reconnecting : T.connecting);
    /* ?lang: the socket's refusals come in the page's language */
    socket = new WebSocket(scheme + window.location.host + "/ws/events/" + eventId + "/board/?lang=" + lang);
    socket.onopen = function () {
      var hello = { type: "hello", since: lastSeq };
      if (token) {
        hello.token = token;
      }
      socket.send(JSON.stringify(hello));
    };
    socket.onmessage = function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      receive(message);
    };
    socket.onclose = function () {
      ready = false;
      setConn(T.reconnecting);
      var wait = backoff + Math.floor(Math.random() * 500);
      backoff = Math.min(backoff * 2, 15000);
      window.setTimeout(connect, wait);
    };
  }

  function receive(message) {
    if (message.type === "welcome") {
      root.dispatchEvent(new CustomEvent("board:event", { detail: message }));
      ready = true;
      backoff = 1000;
      setConn(T.live);
      if (message.snapshot) {
        partsSeen = null;
        myVotes = {};
        applySnapshot(message.snapshot);
        lastSeq = message.snapshot.seq;
      }
      if (message.presence !== undefined) {
        showPresence(message.presence);
      }
      resendDraft();
      return;
    }
    if (message.type === "presence") {
      showPresence(message.count !== undefined ? message.count : message.presence);
      return;
    }
    if (message.type === "ack") {
      acknowledge(message);
      return;
    }
    if (message.type === "snapshot.part") {
      if (partsSeen) {
        applySnapshot(message);
      }
      return;
    }
    if (message.type === "error") {
      if (message.client_id && feedback) {
        feedback.textContent = message.detail;
      } else if (feedback && message.detail) {
        feedback.textContent = message.detail;
      }
      return;
    }
    if (typeof message.seq === "number") {
      if (message.seq <= lastSeq) {
        return; /* already applied (catch-up overlap) */
      }
      if (message.seq > lastSeq + 1) {
        socket.close(); /* a gap: reconnect with since=lastSeq and replay exactly */
        return;
      }
      lastSeq = message.seq;
    }
    apply(message);
  }

  function showPresence(count) {
    var out = root.querySelector("[data-presence]");
    if (out && count !== undefined && count !== null) {
      out.textContent = count;
      root.querySelector("[data-presence-line]").hidden = false;
    }
  }

  function acknowledge(message) {
    var kind = pending[message.client_id];
    delete pending[message.client_id];
    if (message.ref === "idea.create" || kind === "idea") {
      var draft = loadDraft();
      if (draft && draft.client_id === message.client_id) {
        saveDraft(null);
        if (postForm) {
          postForm.elements.text.value = "";
          postForm.elements.client_id.value = uuid4();
        }
      }
      if (feedback) {
        feedback.textContent = message.idea && message.idea.status === "pending" ? T.awaiting : T.posted;
      }
      if (message.idea) {
        upsert(message.idea, false);
      }
    } else if (message.ref === "comment.create") {
      var form = root.querySelector('.comment-form[data-client-id="' + message.client_id + '"]');
      if (form) {
        form.elements.text.value = "";
        form.removeAttribute("data-client-id");
      }
      if (message.comment) {
        addComment(message.comment, null);
      }
      announce(T.commented);
    } else if (message.ref === "vote" && message.idea !== undefined) {
      var el = ideaElement(message.idea);
      if (el) {
        fill(el, { votes: message.votes });
      }
    }
  }

  function resendDraft() {
    var draft = loadDraft();
    if (draft && draft.client_id) {
      pending[draft.client_id] = "idea";
      send({ type: "idea.create", client_id: draft.client_id, text: draft.text, theme: draft.theme });
    }
  }

  /* ---- forms -------------------------------------------------------------------- */

  function showVote(form, voted) {
    var button = form.querySelector("button");
    button.setAttribute("aria-pressed", voted ? "true" : "false");
    form.elements.value.value = voted ? "0" : "1";
  }

  function wire(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll(".vote-form"), function (form) {
      form.addEventListener("submit", function (e) {
        var idea = parseInt(form.getAttribute("data-idea"), 10);
        var value = form.elements.value.value === "1" ? 1 : 0;
        if (send({ type: "vote", idea: idea, value: value })) {
          e.preventDefault();
          showVote(form, value === 1);
        }
      });
    });
    Array.prototype.forEach.call(scope.querySelectorAll(".comment-form"), function (form) {
      form.addEventListener("submit", function (e) {
        var text = form.elements.text.value.trim();
        if (!text) {
          return;
        }
        var clientId = form.getAttribute("data-client-id") || uuid4();
        form.setAttribute("data-client-id", clientId);
        form.elements.client_id.value = clientId;
        pending[clientId] = "comment";
        var idea = parseInt(form.getAttribute("data-idea"), 10);
        if (send({ type: "comment.create", client_id: clientId, idea: idea, text: text })) {
          e.preventDefault();
        }
      });
    });
    Array.prototype.forEach.call(scope.querySelectorAll(".moderate-form"), function (form) {
      syncModeration(form.closest("li"));
      form.addEventListener("submit", function (e) {
        var submitter = e.submitter || document.activeElement;
        if (!submitter || submitter.name !== "action") {
          return;
        }
        var message = {
          type: "moderate",
          idea: parseInt(form.getAttribute("data-idea"), 10),
          action: submitter.value,
        };
        if (submitter.value === "merge") {
          var into = parseInt(form.elements.into.value, 10);
          if (!into) {
            return;
          }
          message.into = into;
        }
        if (send(message)) {
          e.preventDefault();
        }
      });
    });
  }

  if (postForm) {
    var draft = loadDraft();
    if (draft && draft.text && !postForm.elements.text.value) {
      postForm.elements.text.value = draft.text;
      postForm.elements.client_id.value = draft.client_id;
      if (postForm.elements.theme && draft.theme) {
        postForm.elements.theme.value = String(draft.theme);
      }
    }
    postForm.addEventListener("submit", function (e) {
      e.preventDefault();
      postIdea();
    });
  }

  /* The idea goes over the socket when it is live, else over HTTP at once (the socket may
   * take seconds to open on a slow link); the client_id makes any double send harmless. */
  function postIdea() {
    var text = postForm.elements.text.value.trim();
    if (!text) {
      return;
    }
    var themeField = postForm.elements.theme;
    var theme = themeField && themeField.value ? parseInt(themeField.value, 10) : null;
    var clientId = postForm.elements.client_id.value || uuid4();
    postForm.elements.client_id.value = clientId;
    saveDraft({ client_id: clientId, text: text, theme: theme });
    pending[clientId] = "idea";
    feedback.textContent = T.sending;
    if (send({ type: "idea.create", client_id: clientId, text: text, theme: theme })) {
      return;
    }
    if (!window.fetch) {
      feedback.textContent = T.kept;
      return;
    }
    window.fetch(postForm.action, {
      method: "POST",
      body: new FormData(postForm),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (message) {
        if (message.type === "ack") {
          acknowledge(message);
        } else {
          saveDraft(null); /* refused for good (locked board, too long): say why */
          feedback.textContent = message.detail || "";
        }
      });
    }).catch(function () {
      if (loadDraft()) {
        feedback.textContent = T.kept; /* sent by the socket when the network is back */
      }
    });
  }

  function flushEarlyTaps() {
    var queue = window.livinglabQueue || [];
    window.livinglabReady = true;
    if (postForm && queue.indexOf(postForm) >= 0) {
      postIdea();
    }
    queue.length = 0;
  }

  if (mode === "board" && root.getAttribute("data-base") &&
      window.location.pathname !== root.getAttribute("data-base") && window.history.replaceState) {
    /* The join form answers with the board: a refresh must reload the board, not re-join. */
    window.history.replaceState(null, "", root.getAttribute("data-base"));
  }

  wire(root);
  if (mode === "projector") {
    fitProjector();
  }

  var sortForm = root.querySelector("[data-sort-form]");
  if (sortForm) {
    /* Re-order in place (pins stay first): no reload, and a reload keeps the choice. */
    var applySort = function (event) {
      if (event) {
        event.preventDefault();
      }
      var value = sortForm.elements.sort.value === "new" ? "new" : "top";
      root.setAttribute("data-sort", value);
      resortAll();
      if (window.history && history.replaceState) {
        var url = new URL(window.location.href);
        url.searchParams.set("sort", value);
        history.replaceState(history.state, "", url.pathname + url.search + url.hash);
      }
      /* the same cookie the server sets for a choice made without JavaScript */
      document.cookie = "livinglab_sort=" + value + "; path=" + window.location.pathname +
        "; max-age=2592000; samesite=lax" + (window.location.protocol === "https:" ? "; secure" : "");
    };
    sortForm.addEventListener("submit", applySort);
    sortForm.elements.sort.addEventListener("change", function () {
      applySort(null);
    });
  }
  flushEarlyTaps();
  connect();
})();
