/* Hall display: polls the feed, redraws, announces each new call once, and says
   plainly when its data is stale. Plain JS, no build step. */
(function () {
  "use strict";
  var root = document.getElementById("display");
  if (!root) return;
  var feedUrl = root.getAttribute("data-feed-url");
  var version = root.getAttribute("data-version");
  var POLL_MS = 2000, MAX_DELAY_MS = 30000, STALE_MS = 8000, FULL_REFRESH_MS = 60000, TIMEOUT_MS = 8000;
  var lastOk = Date.now(), lastFull = Date.now(), failures = 0;
  // Calls already on the screen when it loads are not announced again.
  var lastAnnounced = Number(root.getAttribute("data-latest-id") || 0);
  var timerId = null, inFlight = false;
  var soundOn = false;
  var queue = [], speaking = false;

  // What tests and staff can inspect: every announcement made, spoken or not.
  var api = window.owDisplay = { announced: [], spoken: [], soundOn: function () { return soundOn; } };

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }

  // --- speech ---------------------------------------------------------------------------
  function zhVoice() {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^zh(-|_)?(CN|Hans)?/i.test(voices[i].lang)) return voices[i];
    }
    return null;
  }
  function speakNext() {
    if (speaking || !queue.length) return;
    var text = queue.shift();
    if (!soundOn || !("speechSynthesis" in window)) { queue = []; return; }
    speaking = true;
    var u = new SpeechSynthesisUtterance(text);
    u.lang = "zh-CN"; u.rate = 0.85; u.volume = 1;
    var v = zhVoice(); if (v) u.voice = v;
    u.onend = u.onerror = function () { speaking = false; setTimeout(speakNext, 600); };
    api.spoken.push(text);
    window.speechSynthesis.speak(u);
    setTimeout(function () { if (speaking) { speaking = false; speakNext(); } }, 15000);
  }
  function say(text) { queue.push(text); speakNext(); }
  function enableSound() {
    if (soundOn) return;
    soundOn = true;
    $("sound-hint").hidden = true;
    try {
      if (document.documentElement.requestFullscreen && !document.fullscreenElement) {
        document.documentElement.requestFullscreen().catch(function () {});
      }
    } catch (e) { /* not allowed here */ }
    say("语音播报已开启");
  }
  document.addEventListener("click", enableSound);
  document.addEventListener("keydown", enableSound);
  document.addEventListener("touchend", enableSound);

  // --- drawing ----------------------------------------------------------------------------
  function drawLatest(latest) {
    var box = $("latest");
    box.textContent = "";
    if (!latest) {
      var empty = el("div", "d-latest-empty", "请留意叫号，按号码到对应窗口办理");
      empty.id = "latest-text";
      box.appendChild(empty);
      return;
    }
    var code = el("div", "d-latest-code", latest.code); code.id = "latest-code";
    var win = el("div", "d-latest-window", latest.window_label); win.id = "latest-window";
    if (latest.window_name) win.appendChild(el("small", null, latest.window_name));
    var text = el("p", "d-latest-text", latest.text); text.id = "latest-text";
    box.appendChild(code); box.appendChild(win); box.appendChild(text);
  }
  function drawRecent(calls) {
    var body = $("recent");
    body.textContent = "";
    if (!calls.length) {
      var tr = el("tr", "empty"); var td = el("td", null, "暂无叫号"); td.colSpan = 3;
      tr.appendChild(td); body.appendChild(tr); return;
    }
    calls.forEach(function (c, i) {
      var tr = el("tr", i === 0 ? "is-latest" : "");
      tr.appendChild(el("td", "code", c.code));
      var w = el("td", null, c.window_label);
      if (c.recall) w.appendChild(el("span", "tag", "重呼"));
      tr.appendChild(w);
      tr.appendChild(el("td", "at", c.at));
      body.appendChild(tr);
    });
  }
  function drawCategories(cats) {
    var list = $("categories");
    list.textContent = "";
    cats.forEach(function (c) {
      var li = el("li");
      li.appendChild(el("span", "letter", c.letter));
      li.appendChild(el("span", "name", c.name));
      var n = el("span", "n", String(c.waiting)); n.appendChild(el("small", null, "人"));
      li.appendChild(n);
      list.appendChild(li);
    });
  }
  function render(state) {
    var prevLatest = $("latest-code") ? $("latest-code").textContent : null;
    drawLatest(state.latest);
    drawRecent(state.calls || []);
    drawCategories(state.categories || []);
    $("waiting-total").textContent = String(state.waiting_total);
    announce(state.calls || []);
    if (state.latest && state.latest.code !== prevLatest) {
      var panel = document.querySelector(".d-latest");
      panel.classList.remove("flash"); void panel.offsetWidth; panel.classList.add("flash");
    }
  }
  function announce(calls) {
    var fresh = calls.filter(function (c) { return c.id > lastAnnounced; })
      .sort(function (a, b) { return a.id - b.id; });
    fresh.forEach(function (c) {
      api.announced.push({ id: c.id, text: c.text });
      say(c.text);
      lastAnnounced = c.id;
    });
  }

  // --- staleness --------------------------------------------------------------------------
  function checkStale() {
    var age = Math.floor((Date.now() - lastOk) / 1000);
    var stale = Date.now() - lastOk > STALE_MS;
    $("stale").hidden = !stale;
    document.body.classList.toggle("is-stale", stale);
    if (stale) $("stale-age").textContent = "数据已超过" + age + "秒未更新";
  }
  function tickClock(serverTime) {
    if (serverTime) { $("clock").textContent = serverTime.slice(0, 5); return; }
    var d = new Date();
    $("clock").textContent = ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  // --- polling ----------------------------------------------------------------------------
  function schedule(ms) { clearTimeout(timerId); timerId = setTimeout(poll, ms); }
  function poll() {
    if (inFlight) return;
    inFlight = true;
    var full = Date.now() - lastFull > FULL_REFRESH_MS;
    var url = feedUrl + (full ? "" : "?v=" + encodeURIComponent(version));
    var ctrl = "AbortController" in window ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, TIMEOUT_MS) : null;
    fetch(url, { cache: "no-store", credentials: "omit", signal: ctrl ? ctrl.signal : undefined })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        if (timer) clearTimeout(timer);
        inFlight = false;
        lastOk = Date.now(); failures = 0;
        if (full) lastFull = Date.now();
        if (!data.unchanged && data.state) { version = String(data.version); render(data.state); }
        tickClock(data.server_time);
        checkStale();
        schedule(POLL_MS);
      })
      .catch(function () {
        if (timer) clearTimeout(timer);
        inFlight = false;
        failures += 1;
        checkStale();
        // Back off: 2, 4, 8 … up to 30 seconds, with a little jitter so screens spread out.
        var delay = Math.min(MAX_DELAY_MS, POLL_MS * Math.pow(2, failures)) + Math.random() * 1000;
        schedule(delay);
      });
  }
  window.addEventListener("online", function () { failures = 0; schedule(0); });
  setInterval(checkStale, 1000);
  schedule(POLL_MS);
})();
