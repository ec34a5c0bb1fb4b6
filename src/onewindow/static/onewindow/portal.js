/* Public pages (R-CIT-2): voice search and read-aloud, both progressive — the buttons
   stay hidden where the browser has no Web Speech API, and the search box works alone.
   Plain JS, no library. */
(function () {
  "use strict";
  function zhVoice() {
    var voices = (window.speechSynthesis && window.speechSynthesis.getVoices()) || [];
    for (var i = 0; i < voices.length; i++) { if (/^zh(-|_)?(CN|Hans)?/i.test(voices[i].lang)) return voices[i]; }
    return null;
  }
  function speak(text) {
    if (!("speechSynthesis" in window) || !text) return;
    var u = new SpeechSynthesisUtterance(text.replace(/\s+/g, " ").slice(0, 3000));
    u.lang = "zh-CN"; u.rate = 0.9;
    var v = zhVoice(); if (v) u.voice = v;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(u);
  }
  window.owSpeak = speak;

  // 朗读: the page's main text (or what data-speak says), a second tap stops it.
  if ("speechSynthesis" in window) {
    document.querySelectorAll("[data-read-aloud]").forEach(function (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () {
        if (window.speechSynthesis.speaking) { window.speechSynthesis.cancel(); return; }
        var el = document.querySelector(btn.getAttribute("data-read-aloud") || "main");
        if (!el) return;
        var parts = el.querySelectorAll("[data-speak]");
        var text = parts.length
          ? Array.prototype.map.call(parts, function (p) { return p.getAttribute("data-speak") || p.innerText; }).join("。")
          : el.innerText;
        speak(text);
      });
    });
  }

  // Voice search: speak the matter, the words fill the box and the search is sent.
  var Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  if (Recognition) {
    document.querySelectorAll("[data-voice-for]").forEach(function (btn) {
      var input = document.getElementById(btn.getAttribute("data-voice-for"));
      if (!input || !input.form) return;
      var status = input.form.parentNode.querySelector(".voice-status");
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var rec = new Recognition();
        rec.lang = "zh-CN"; rec.interimResults = false; rec.maxAlternatives = 1;
        rec.onresult = function (e) {
          input.value = e.results[0][0].transcript.replace(/[。，！？,.!?\s]+$/, "");
          input.form.submit();
        };
        rec.onerror = function () { if (status) status.textContent = "没有听清，请再说一次，或直接输入。"; };
        rec.onend = function () { btn.setAttribute("aria-pressed", "false"); };
        if (status) status.textContent = "请说出要办的事，例如“办营业执照”。";
        btn.setAttribute("aria-pressed", "true");
        rec.start();
      });
    });
  }
})();
