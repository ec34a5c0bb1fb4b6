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
      // A warning first (R-HALL-7): the last WARN seconds count down on screen and are
      // spoken once; a touch anywhere keeps the visitor on the page.
      var WARN = Math.min(15, Math.floor(idle / 3));
      var timer = null, ticker = null, left = 0, box = null;
      var goHome = function () { window.location.href = kiosk.getAttribute("data-home"); };
      var hideWarning = function () {
        clearInterval(ticker);
        if (box) { box.hidden = true; }
      };
      var showWarning = function () {
        if (!box) {
          box = document.createElement("div");
          box.id = "k-idle-warning";
          box.className = "k-idle-warning";
          box.setAttribute("role", "alertdialog");
          box.setAttribute("aria-live", "assertive");
          box.setAttribute("aria-label", "即将返回首页");
          kiosk.appendChild(box);
        }
        left = WARN;
        var say = function () { box.textContent = "长时间没有操作，" + left + " 秒后返回首页。点击屏幕任意位置继续办理。"; };
        say();
        box.hidden = false;
        if ("speechSynthesis" in window && window.SpeechSynthesisUtterance) {
          var u = new SpeechSynthesisUtterance("长时间没有操作，即将返回首页。点击屏幕继续办理。");
          u.lang = "zh-CN"; u.rate = 0.9;
          window.speechSynthesis.cancel(); window.speechSynthesis.speak(u);
        }
        ticker = setInterval(function () {
          left -= 1;
          if (left <= 0) { clearInterval(ticker); goHome(); return; }
          say();
        }, 1000);
      };
      var reset = function () {
        clearTimeout(timer);
        hideWarning();
        timer = setTimeout(WARN > 0 ? showWarning : goHome, (idle - WARN) * 1000);
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

  // Which terminal this is: the signed credential the server set at its enrollment
  // (HttpOnly; docs/terminal-devices.md), never a value the page writes.

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
    var speakPage = function () {
      var synth = window.speechSynthesis;
      var parts = document.querySelectorAll("[data-speak], [data-speak-code]");
      if (!parts.length) parts = document.querySelectorAll(".k-title, .k-lead, .k-notice, .k-label");
      var text = Array.prototype.map.call(parts, said).join("。").replace(/\s+/g, " ");
      var u = new SpeechSynthesisUtterance(text.slice(0, 2000));
      u.lang = "zh-CN"; u.rate = 0.85;
      var v = zhVoice(); if (v) u.voice = v;
      synth.cancel();
      synth.speak(u);
    };
    speakButton.hidden = false;
    speakButton.addEventListener("click", function () {
      if (window.speechSynthesis.speaking) { window.speechSynthesis.cancel(); return; }
      speakPage();
    });
    // 长辈版: every screen speaks its prompts on arrival (the kiosk's browser runs with
    // --autoplay-policy=no-user-gesture-required, docs/terminal-devices.md).
    if (kiosk && kiosk.getAttribute("data-auto-speak") === "1") { speakPage(); }
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
    // data-mode="fill" (补交材料): the number only fills the form; the visitor goes on.
    var fillOnly = reader.getAttribute("data-mode") === "fill";
    var NO_READER = fillOnly ? "未检测到身份证读卡器。请输入办件编号和手机号后四位。"
      : "未检测到身份证读卡器。请输入预约码或身份证号码签到。";
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
          if (fillOnly) {
            var numberField = document.getElementById("k-number");
            if (numberField) numberField.value = "";
            say("已读取：" + masked(b.card) + "。请输入手机号后四位，然后点“下一步”。");
            var tailField = document.getElementById("k-tail");
            if (tailField) tailField.focus();
            return;
          }
          say("已读取：" + masked(b.card) + "，正在签到……");
          readButton.disabled = true;
          if (!checkinForm.getAttribute("data-sent")) {
            checkinForm.setAttribute("data-sent", "1");
            checkinForm.submit();
          }
        } else {
          say(((b && b.message) || "读取失败。") + (fillOnly ? "也可以输入办件编号。" : "也可以输入预约码或身份证号码。"), true);
        }
      }).catch(noReader);
    });
  }

  // 高拍仪 (docs/terminal-devices.md): the document camera of the terminal's device
  // service. Asked on arrival; a material's button opens the camera panel, "拍照" takes
  // the picture and shows it, "确认提交" sends it as an ordinary file upload. No answer:
  // say so and send the paper to the window.
  var camera = document.getElementById("k-camera");
  var cameraBase = camera && camera.getAttribute("data-device-url");
  if (camera && cameraBase && window.fetch) {
    var camStatus = document.getElementById("k-camera-status");
    var camForm = document.getElementById("k-camera-form");
    var camFor = document.getElementById("k-camera-for");
    var camMaterial = document.getElementById("k-camera-material");
    var camFile = document.getElementById("k-camera-file");
    var preview = document.getElementById("k-camera-preview");
    var shoot = document.getElementById("k-camera-shoot");
    var confirmButton = document.getElementById("k-camera-confirm");
    var cancel = document.getElementById("k-camera-cancel");
    var pick = document.querySelectorAll("[data-capture]");
    var NO_CAMERA = camera.getAttribute("data-no-camera") || "未检测到高拍仪。请将纸质材料带到综合受理窗口提交。";
    var camSay = function (text, off) {
      camStatus.textContent = text;
      camStatus.classList.toggle("k-device-off", !!off);
    };
    var camCall = function (method, path, ms) {
      var ctl = window.AbortController ? new AbortController() : null;
      var timer = ctl ? setTimeout(function () { ctl.abort(); }, ms) : null;
      return fetch(cameraBase + path, { method: method, cache: "no-store", signal: ctl ? ctl.signal : undefined })
        .then(function (r) { if (timer) clearTimeout(timer); return r.json(); });
    };
    var noCamera = function () {
      camSay(NO_CAMERA, true);
      camForm.hidden = true;
      pick.forEach(function (b) { b.hidden = true; });
    };
    var reset = function () {
      preview.hidden = true; preview.removeAttribute("src");
      confirmButton.hidden = true; shoot.textContent = "拍照";
      camFile.value = "";
    };
    camCall("GET", "/status", 2500).then(function (s) {
      if (s && s.camera && s.camera.present) {
        camSay("请点要提交的材料。");
        pick.forEach(function (b) { b.hidden = false; });
      } else { noCamera(); }
    }).catch(noCamera);
    pick.forEach(function (b) {
      b.addEventListener("click", function () {
        camMaterial.value = b.getAttribute("data-capture");
        camFor.textContent = "正在提交：" + b.getAttribute("data-name");
        reset();
        camForm.hidden = false;
        camSay("请把“" + b.getAttribute("data-name") + "”正面朝上放在高拍仪下，然后点“拍照”。");
        camera.scrollIntoView({ block: "start" });
      });
    });
    cancel.addEventListener("click", function () { reset(); camForm.hidden = true; camSay("请点要提交的材料。"); });
    shoot.addEventListener("click", function () {
      camSay("正在拍照，请不要移动材料……");
      shoot.disabled = true;
      camCall("POST", "/camera/capture", 10000).then(function (b) {
        shoot.disabled = false;
        var img = b && b.ok && b.image;
        if (!img || !/^image\/(png|jpeg)$/.test(img.type) || !img.data) {
          camSay(((b && b.message) || "拍照失败。") + "请放好材料后再点“拍照”。", true);
          return;
        }
        var bytes = atob(img.data), buf = new Uint8Array(bytes.length);
        for (var i = 0; i < bytes.length; i++) buf[i] = bytes.charCodeAt(i);
        var name = "终端拍摄-" + (camFor.textContent.replace(/^正在提交：/, "") || "材料").slice(0, 60) + (img.type === "image/png" ? ".png" : ".jpg");
        var dt = new DataTransfer();
        dt.items.add(new File([buf], name, { type: img.type }));
        camFile.files = dt.files;
        preview.src = "data:" + img.type + ";base64," + img.data;
        preview.hidden = false;
        confirmButton.hidden = false;
        shoot.textContent = "重拍";
        camSay("请看照片是否清楚完整。清楚请点“确认提交”，不清楚请点“重拍”。");
      }).catch(function () { shoot.disabled = false; noCamera(); });
    });
  } else if (camera) {
    document.querySelectorAll("[data-capture]").forEach(function (b) { b.hidden = true; });
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
