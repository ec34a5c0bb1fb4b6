/* Window console: keyboard shortcuts (the letters shown on the buttons), one submit per
   click, and a quiet refresh of the queue and the counts when the hall changes. The
   page works without it: every action is a plain form. */
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root) return;
  var submitting = false;

  function typing(target) {
    var tag = (target && target.tagName) || "";
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e.target)) {
      if (e.key === "Escape") { e.target.blur(); var first = document.querySelector("[data-key][autofocus]"); if (first) first.focus(); }
      return;
    }
    var key = (e.key || "").toLowerCase();
    if (key.length !== 1) return;
    var button = document.querySelector('[data-key="' + key + '"]:not([disabled])');
    if (!button) return;
    e.preventDefault();
    var focusId = button.getAttribute("data-focus");
    if (focusId) {
      var field = document.getElementById(focusId);
      if (field && !field.value) { field.focus(); return; }
    }
    button.focus();
    button.click();
  });

  // One submit per action: a second press while the page loads does nothing.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (submitting) { e.preventDefault(); return; }
      submitting = true;
    });
  });

  // The undo button disappears when its time is over (the server checks it anyway).
  var undo = document.querySelector("[data-undo-left]");
  if (undo) {
    var left = Number(undo.getAttribute("data-undo-left"));
    var label = undo.querySelector(".c-undo-left");
    var t = setInterval(function () {
      left -= 1;
      if (label) label.textContent = left + "秒内";
      if (left <= 0) { clearInterval(t); undo.remove(); }
    }, 1000);
  }

  // Refresh the queue and the counts when the hall's version changes.
  var feedUrl = root.getAttribute("data-feed-url");
  var version = null;
  function refreshRegions() {
    if (submitting) return;
    fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { if (!r.ok || r.redirected) throw new Error(); return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["queue-region", "counts-region", "queue-count"].forEach(function (id) {
          var fresh = doc.getElementById(id), here = document.getElementById(id);
          if (!fresh || !here) return;
          if (here.contains(document.activeElement) && document.activeElement !== document.body) return;
          here.innerHTML = fresh.innerHTML;
        });
        document.querySelectorAll("#queue-region form[data-submit-once]").forEach(function (form) {
          form.addEventListener("submit", function (e) { if (submitting) { e.preventDefault(); return; } submitting = true; });
        });
      })
      .catch(function () { /* next change tries again */ });
  }
  function poll() {
    var url = feedUrl + (version === null ? "" : "?v=" + encodeURIComponent(version));
    fetch(url, { cache: "no-store", credentials: "omit" })
      .then(function (r) { if (!r.ok) throw new Error(); return r.json(); })
      .then(function (data) {
        if (version !== null && String(data.version) !== String(version)) refreshRegions();
        version = String(data.version);
        setTimeout(poll, 3000);
      })
      .catch(function () { setTimeout(poll, 10000); });
  }
  setTimeout(poll, 1000);
})();
