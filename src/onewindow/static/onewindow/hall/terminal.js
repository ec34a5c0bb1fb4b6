/* Self-service terminal: back to the start page after a while without a touch, a
   clock, and on the slip page the print and the return. Plain JS. */
(function () {
  "use strict";
  function pad(n) { return ("0" + n).slice(-2); }
  var clock = document.getElementById("k-clock");
  if (clock) {
    setInterval(function () { var d = new Date(); clock.textContent = pad(d.getHours()) + ":" + pad(d.getMinutes()); }, 10000);
  }

  // Kiosk pages: nobody touching for a while → back to the start page.
  var kiosk = document.getElementById("kiosk");
  if (kiosk) {
    var idle = Number(kiosk.getAttribute("data-idle-seconds") || 0);
    if (idle > 0) {
      var timer = null;
      var reset = function () {
        clearTimeout(timer);
        timer = setTimeout(function () { window.location.href = kiosk.getAttribute("data-home"); }, idle * 1000);
      };
      ["pointerdown", "keydown", "input"].forEach(function (t) { document.addEventListener(t, reset, true); });
      reset();
    }
    // A second tap while the ticket is being issued must not issue two tickets.
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (form.getAttribute("data-sent")) { e.preventDefault(); return; }
        form.setAttribute("data-sent", "1");
      });
    });
  }

  // 朗读 (R-HALL-7, R-CIT-2): on a tap, the screen's prompts in Mandarin — what carries
  // data-speak, else the title, the lead and the notices; a ticket number digit by digit.
  var speakButton = document.getElementById("k-speak");
  if (speakButton && "speechSynthesis" in window) {
    var zhVoice = function () {
      var voices = window.speechSynthesis.getVoices() || [];
      for (var i = 0; i < voices.length; i++) { if (/^zh(-|_)?(CN|Hans)?/i.test(voices[i].lang)) return voices[i]; }
      return null;
    };
    var said = function (el) {
      var code = el.getAttribute("data-speak-code");
      if (code) return (el.getAttribute("data-speak") || "号码") + " " + code.split("").join(" ");
      return el.getAttribute("data-speak") || el.innerText;
    };
    speakButton.hidden = false;
    speakButton.addEventListener("click", function () {
      var synth = window.speechSynthesis;
      if (synth.speaking) { synth.cancel(); return; }
      var parts = document.querySelectorAll("[data-speak], [data-speak-code]");
      if (!parts.length) parts = document.querySelectorAll(".k-title, .k-lead, .k-notice, .k-label");
      var text = Array.prototype.map.call(parts, said).join("。").replace(/\s+/g, " ");
      var u = new SpeechSynthesisUtterance(text.slice(0, 2000));
      u.lang = "zh-CN"; u.rate = 0.85;
      var v = zhVoice(); if (v) u.voice = v;
      synth.cancel();
      synth.speak(u);
    });
  }

  // 刷身份证 (docs/terminal-devices.md): the identity-card reader of the terminal's local
  // device service. Asked whether it is there on arrival; a card read fills the identity
  // number and checks in. No answer: say so and leave the typing to the visitor.
  var reader = document.getElementById("k-idcard");
  var deviceBase = reader && reader.getAttribute("data-device-url");
  if (deviceBase && window.fetch) {
    var readerStatus = document.getElementById("k-idcard-status");
    var readButton = document.getElementById("k-idcard-read");
    var idField = document.getElementById("k-id-number");
    var checkinForm = document.getElementById("k-checkin-form");
    var NO_READER = "未检测到身份证读卡器。请输入预约码或身份证号码签到。";
    var device = function (method, path, ms) {
      var ctl = window.AbortController ? new AbortController() : null;
      var timer = ctl ? setTimeout(function () { ctl.abort(); }, ms) : null;
      return fetch(deviceBase + path, { method: method, cache: "no-store", signal: ctl ? ctl.signal : undefined })
        .then(function (r) {
          if (timer) clearTimeout(timer);
          return r.json();
        });
    };
    var say = function (text, off) {
      readerStatus.textContent = text;
      readerStatus.classList.toggle("k-device-off", !!off);
    };
    var noReader = function () { say(NO_READER, true); readButton.hidden = true; };
    var masked = function (card) {
      var n = String(card.number || ""), name = String(card.name || "");
      var shownName = name.length > 1 ? name.charAt(0) + "*" + (name.length > 2 ? name.slice(-1) : "") : name;
      return shownName + " " + n.slice(0, 6) + "********" + n.slice(-4);
    };
    device("GET", "/status", 2500).then(function (s) {
      if (s && s.idcard && s.idcard.present) {
        say("请将身份证放在读卡区，然后点“读取身份证”。");
        readButton.hidden = false;
      } else { noReader(); }
    }).catch(noReader);
    readButton.addEventListener("click", function () {
      say("正在读取身份证，请稍候……");
      device("POST", "/idcard/read", 6000).then(function (b) {
        if (b && b.ok && b.card && b.card.number) {
          idField.value = String(b.card.number).slice(0, 18);
          say("已读取：" + masked(b.card) + "，正在签到……");
          readButton.disabled = true;
          if (!checkinForm.getAttribute("data-sent")) {
            checkinForm.setAttribute("data-sent", "1");
            checkinForm.submit();
          }
        } else {
          say(((b && b.message) || "读取失败。") + "也可以输入预约码或身份证号码。", true);
        }
      }).catch(noReader);
    });
  }

  // The ticket's status page on a phone: read again every 20 s while the ticket waits
  // (by script, not a meta refresh, which screen readers and the accessibility rules refuse).
  var refreshing = document.querySelector("[data-refresh-seconds]");
  if (refreshing) {
    setTimeout(function () { window.location.reload(); }, Number(refreshing.getAttribute("data-refresh-seconds")) * 1000);
  }

  // The slip: print once on arrival, then return to the start page.
  var slip = document.getElementById("slip-screen");
  if (slip) {
    // Fit the printed page to the slip: 80 mm wide, as long as its content.
    var paper = slip.querySelector(".slip");
    if (paper) {
      var mm = Math.ceil(paper.getBoundingClientRect().height * 25.4 / 96) + 2;
      var style = document.createElement("style");
      style.textContent = "@page { size: 80mm " + Math.max(60, mm) + "mm; margin: 0; }";
      document.head.appendChild(style);
    }
    var left = Number(slip.getAttribute("data-return-seconds") || 25);
    var home = slip.getAttribute("data-home");
    var countdown = document.getElementById("slip-countdown");
    var again = document.getElementById("slip-print");
    if (again) again.addEventListener("click", function () { window.print(); left = Math.max(left, 15); });
    if (slip.getAttribute("data-auto-print") === "1") {
      // Remove the flag from the address so a reload does not print a second slip.
      if (window.history && history.replaceState) history.replaceState(null, "", window.location.pathname);
      setTimeout(function () { window.print(); }, 300);
    }
    setInterval(function () {
      left -= 1;
      if (countdown) countdown.textContent = String(Math.max(0, left));
      if (left <= 0) window.location.href = home;
    }, 1000);
  }
})();
