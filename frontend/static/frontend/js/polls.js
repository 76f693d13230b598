/* livinglab — live polls on the board, the projector and the moderation page.
 *
 * Progressive enhancement of plain forms (docs/polls.md): answers go to the REST API
 * without a reload, and the board socket's `poll.updated` events (handed over by
 * board.js as "board:event", in seq order) update results, open and close polls live.
 * No framework, no build step, ES2017.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-board]");
  var section = document.querySelector("[data-polls]");
  var manager = document.querySelector("[data-poll-manager]");
  if (!root || (!section && !manager) || !window.fetch) {
    return;
  }
  var mode = section ? section.getAttribute("data-mode") : "manage";
  var token = root.getAttribute("data-token") || "";
  var lang = document.documentElement.lang === "en" ? "en" : "fr";
  var T = {
    fr: {
      answers: function (n) { return n + (n > 1 ? " réponses" : " réponse"); },
      open: "Ouvert : répondez maintenant.",
      closed: "Fermé : résultats définitifs.",
      recorded: "Votre réponse est enregistrée; vous pouvez la changer tant que le sondage est ouvert.",
      sending: "Envoi…",
      failed: "L'envoi a échoué; réessayez.",
      answer: "Répondre",
      change: "Changer ma réponse",
      one: "Choisissez une réponse",
      several: "Choisissez une réponse ou plus",
      words: "Votre réponse (un mot ou quelques-uns)",
      cloud: "Réponses, les plus fréquentes d'abord",
      newPoll: "Nouveau sondage : ",
      pollClosed: "Sondage fermé : ",
    },
    en: {
      answers: function (n) { return n + (n === 1 ? " answer" : " answers"); },
      open: "Open: answer now.",
      closed: "Closed: final results.",
      recorded: "Your answer is recorded; you may change it while the poll is open.",
      sending: "Sending…",
      failed: "Sending failed; try again.",
      answer: "Answer",
      change: "Change my answer",
      one: "Choose one answer",
      several: "Choose one answer or more",
      words: "Your answer (a word or a few)",
      cloud: "Answers, the most frequent first",
      newPoll: "New poll: ",
      pollClosed: "Poll closed: ",
    },
  }[lang];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function tr(obj, field) {
    var other = lang === "en" ? "fr" : "en";
    return obj[field + "_" + lang] || obj[field + "_" + other] || obj[field] || "";
  }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function announce(text) {
    var out = section && section.querySelector("[data-poll-announce]");
    if (out) {
      out.textContent = text;
    }
  }

  /* ---- results ------------------------------------------------------------------ */

  function renderResults(container, poll) {
    var results = poll.results || { answers: 0 };
    container.textContent = "";
    container.appendChild(el("p", { class: "poll-count", "data-poll-count": "" }, T.answers(results.answers)));
    if (poll.kind === "words") {
      var top = 1;
      (results.words || []).forEach(function (w) { top = Math.max(top, w.count); });
      var cloud = el("ul", { class: "word-cloud", "aria-label": T.cloud });
      (results.words || []).forEach(function (w) {
        var weight = 1 + Math.round((4 * (w.count - 1)) / Math.max(top - 1, 1));
        var li = el("li", { class: "w" + weight }, w.text + " ");
        li.appendChild(el("span", { class: "word-count" }, "(" + w.count + ")"));
        cloud.appendChild(li);
      });
      container.appendChild(cloud);
      return;
    }
    var labels = {};
    (poll.choices || []).forEach(function (c) { labels[c.id] = tr(c, "label"); });
    var bars = el("ul", { class: "poll-bars" });
    (results.choices || []).forEach(function (c) {
      var li = el("li");
      li.appendChild(el("span", { class: "poll-label" }, labels[c.id] || c.label));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("meter", { min: "0", max: String(results.answers || 1), value: String(c.count), "aria-hidden": "true" }));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", { class: "poll-number" }, String(c.count)));
      bars.appendChild(li);
    });
    container.appendChild(bars);
  }

  /* ---- the answer form ------------------------------------------------------------ */

  function buildForm(poll) {
    var form = el("form", {
      method: "post",
      action: root.getAttribute("data-base").replace(/board\/$/, "") + "polls/" + poll.id + "/answer/",
      class: "form poll-form",
      "data-poll-form": "",
    });
    form.appendChild(el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrf() }));
    var prefix = "poll-" + poll.id;
    if (poll.kind === "words") {
      var field = el("div", { class: "field" });
      field.appendChild(el("label", { for: prefix + "-text" }, T.words));
      field.appendChild(el("input", { type: "text", id: prefix + "-text", name: "text", maxlength: "40", required: "", autocomplete: "off" }));
      form.appendChild(field);
    } else {
      var set = el("fieldset");
      set.appendChild(el("legend", {}, poll.kind === "single" ? T.one : T.several));
      poll.choices.forEach(function (c) {
        var row = el("div", { class: "choice" });
        row.appendChild(el("input", { type: poll.kind === "single" ? "radio" : "checkbox", id: prefix + "-c" + c.id, name: "choice", value: String(c.id) }));
        row.appendChild(document.createTextNode(" "));
        row.appendChild(el("label", { for: prefix + "-c" + c.id }, tr(c, "label")));
        set.appendChild(row);
      });
      form.appendChild(set);
    }
    form.appendChild(el("button", { type: "submit", class: "button primary" }, T.answer));
    form.appendChild(el("p", { class: "form-feedback", "data-poll-feedback": "", role: "status" }));
    return form;
  }

  function buildArticle(poll) {
    var article = el("article", {
      class: "poll",
      id: "poll-" + poll.id,
      "data-poll": String(poll.id),
      "data-kind": poll.kind,
      "data-status": poll.status,
      "aria-labelledby": "poll-" + poll.id + "-q",
    });
    article.appendChild(el("h3", { id: "poll-" + poll.id + "-q", "data-poll-question": "" }, tr(poll, "question")));
    article.appendChild(el("p", { class: "poll-state", "data-poll-state": "" }));
    article.appendChild(el("div", { class: "poll-results", "data-poll-results": "" }));
    return article;
  }

  function submit(form, article) {
    var body = {};
    if (article.getAttribute("data-kind") === "words") {
      body.text = form.elements.text.value;
    } else {
      body.choices = Array.prototype.filter
        .call(form.querySelectorAll("input[name=choice]"), function (i) { return i.checked; })
        .map(function (i) { return parseInt(i.value, 10); });
    }
    var feedback = form.querySelector("[data-poll-feedback]");
    var button = form.querySelector("button[type=submit]");
    feedback.textContent = T.sending;
    var headers = { "Content-Type": "application/json", "X-CSRFToken": csrf() };
    if (token) {
      headers.Authorization = "Bearer " + token;
    }
    fetch("/api/polls/" + article.getAttribute("data-poll") + "/answer/", {
      method: "POST",
      headers: headers,
      credentials: "same-origin",
      body: JSON.stringify(body),
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (response.ok) {
            feedback.textContent = T.recorded;
            button.textContent = T.change;
            return;
          }
          var detail = data && (data.detail || data.choices || data.text || data.non_field_errors);
          feedback.textContent = Array.isArray(detail) ? detail.join(" ") : detail || T.failed;
        });
      })
      .catch(function () {
        feedback.textContent = T.failed;
      });
  }

  /* ---- live events ------------------------------------------------------------------ */

  function applyPoll(poll) {
    if (manager) {
      var count = manager.querySelector('[data-poll-answers="' + poll.id + '"]');
      if (count && poll.results) {
        count.textContent = T.answers(poll.results.answers);
      }
    }
    if (!section || poll.status === "draft") {
      return;
    }
    var list = section.querySelector("[data-poll-list]");
    var article = list.querySelector('[data-poll="' + poll.id + '"]');
    var was = article ? article.getAttribute("data-status") : null;
    if (!article) {
      article = buildArticle(poll);
      list.insertBefore(article, list.firstChild);
      /* keep the open polls and this one; older closed ones go */
      Array.prototype.forEach.call(list.querySelectorAll("[data-poll]"), function (other) {
        if (other !== article && other.getAttribute("data-status") === "closed") {
          list.removeChild(other);
        }
      });
    }
    section.hidden = false;
    article.setAttribute("data-status", poll.status);
    article.querySelector("[data-poll-state]").textContent = poll.status === "open" ? T.open : T.closed;
    var form = article.querySelector("[data-poll-form]");
    if (poll.status !== "open" && form) {
      article.removeChild(form);
    } else if (poll.status === "open" && !form && mode === "board" && token) {
      article.insertBefore(buildForm(poll), article.querySelector("[data-poll-results]"));
    }
    renderResults(article.querySelector("[data-poll-results]"), poll);
    if (was !== poll.status) {
      announce((poll.status === "open" ? T.newPoll : T.pollClosed) + tr(poll, "question"));
    }
  }

  root.addEventListener("board:event", function (event) {
    if (event.detail && event.detail.type === "poll.updated" && event.detail.poll) {
      applyPoll(event.detail.poll);
    }
  });

  if (section) {
    section.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.hasAttribute("data-poll-form")) {
        return;
      }
      event.preventDefault();
      submit(form, form.closest("[data-poll]"));
    });
  }
})();
