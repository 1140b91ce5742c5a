/* Application sections: a live word counter, autosave every ten seconds and a copy kept in this browser.
   Everything here is an enhancement: without JavaScript the form saves with its buttons. */
(function () {
  "use strict";

  var AUTOSAVE_MS = 10000;

  function countWords(text) {
    var words = text.match(/\S+/g);
    return words ? words.length : 0;
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function readStored(key) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  function writeStored(key, text) {
    try {
      window.localStorage.setItem(key, JSON.stringify({ text: text, at: Date.now() }));
    } catch (e) {
      /* Storage full or disabled: autosave still works. */
    }
  }

  function setUp(textarea) {
    var form = textarea.form;
    var limit = parseInt(textarea.dataset.wordLimit, 10);
    var counter = document.getElementById(textarea.dataset.counter);
    var key = textarea.dataset.storageKey;
    var url = textarea.dataset.autosaveUrl;
    var savedAt = parseInt(textarea.dataset.savedAt, 10) || 0;
    var status = document.getElementById(textarea.name + "-autosave");
    var restore = document.getElementById(textarea.name + "-restore");
    var lastSaved = textarea.value;
    var countTimer = null;

    function updateCounter() {
      if (!counter) return;
      var left = limit - countWords(textarea.value);
      counter.textContent = left >= 0
        ? "You have " + plural(left, "word") + " remaining"
        : "You have " + plural(-left, "word") + " too many";
    }

    // Offer what this browser kept if it is newer than the server's copy and different from it.
    var stored = readStored(key);
    if (stored && stored.text !== textarea.value && stored.at > savedAt && restore) {
      restore.hidden = false;
      restore.querySelector("[data-restore]").addEventListener("click", function () {
        textarea.value = stored.text;
        restore.hidden = true;
        updateCounter();
        textarea.focus();
      });
    }

    textarea.addEventListener("input", function () {
      writeStored(key, textarea.value);
      // Announce the count after a pause in typing, not at every key press.
      window.clearTimeout(countTimer);
      countTimer = window.setTimeout(updateCounter, 400);
    });

    function autosave() {
      if (textarea.value === lastSaved) return;
      var text = textarea.value;
      var body = new FormData();
      body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      body.append("text", text);
      window.fetch(url, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          if (response.status === 204) {
            lastSaved = text;
            if (status) status.textContent = "Draft saved automatically.";
          } else if (response.status === 403 || response.status === 400) {
            return response.text().then(function (reason) {
              if (status) status.textContent = reason + " What you typed is kept in this browser.";
            });
          }
        })
        .catch(function () {
          if (status) status.textContent = "We could not save just now. What you typed is kept in this browser.";
        });
    }

    window.setInterval(autosave, AUTOSAVE_MS);
    form.addEventListener("submit", function () {
      writeStored(key, textarea.value);
    });
    updateCounter();
  }

  document.querySelectorAll("textarea[data-autosave-url]").forEach(setUp);

  /* Conditional questions: without this script every question shows, its hint saying when it applies; with it, a
     question whose condition (an earlier answer on this page) is not met is hidden. The server checks only what
     applies either way, and keeps what was typed in a hidden question. */
  function answerOf(form, name) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.name !== name) return;
      if ((element.type === "radio" || element.type === "checkbox") && !element.checked) return;
      values.push(element.value.trim());
    });
    return values;
  }

  document.querySelectorAll("form[data-application-section]").forEach(function (form) {
    var conditional = form.querySelectorAll("[data-show-if]");
    if (!conditional.length) return;
    function update() {
      conditional.forEach(function (wrapper) {
        var names = Array.prototype.map.call(form.elements, function (element) { return element.name; });
        if (names.indexOf(wrapper.dataset.showIf) === -1) return; /* answered on another page: the server decides */
        wrapper.hidden = answerOf(form, wrapper.dataset.showIf).indexOf(wrapper.dataset.showIfEquals) === -1;
      });
    }
    form.addEventListener("change", update);
    update();
  });
})();
