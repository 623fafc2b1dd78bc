// The checks before a proctored exam (top-level exam window): system check (camera, microphone level, whole-screen
// share, browser support), identity photos decided by the server, the room scan. No framework; served under the CSP.
(function () {
  "use strict";
  var root = document.getElementById("checks");
  var base = root.dataset.base;
  var csrf = root.dataset.csrf;
  var T = {};
  document.querySelectorAll("#texts [data-key]").forEach(function (s) { T[s.dataset.key] = s.textContent; });
  function fmt(key) {
    var args = Array.prototype.slice.call(arguments, 1);
    return (T[key] || key).replace(/\{(\d)\}/g, function (_, i) { return args[+i] === undefined ? "" : String(args[+i]); });
  }
  function $(id) { return document.getElementById(id); }
  function problem(j, status) {
    if (j && j.details && j.details.length) { return j.details.map(function (d) { return d.problem; }).join("; "); }
    return (j && j.error) || ("HTTP " + status);
  }
  function post(path, body, type) {
    var headers = {"X-CSRF-Token": csrf};
    if (type) { headers["Content-Type"] = type; }
    return fetch(base + path, {method: "POST", credentials: "same-origin", headers: headers, body: body})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) { var e = new Error(problem(j, r.status)); e.status = r.status; e.body = j; throw e; }
          return j;
        });
      });
  }
  function item(list, ok, text) {
    var li = document.createElement("li");
    li.className = ok ? "ok-text" : "bad-text";
    li.textContent = (ok ? "✓ " : "✗ ") + text;
    $(list).appendChild(li);
  }

  var camera = null;
  var video = $("preview");

  function frame(maxWidth) {
    var w = video.videoWidth || 640, h = video.videoHeight || 480;
    var scale = Math.min(1, maxWidth / w);
    var c = document.createElement("canvas");
    c.width = Math.round(w * scale);
    c.height = Math.round(h * scale);
    c.getContext("2d").drawImage(video, 0, 0, c.width, c.height);
    return c;
  }
  function jpeg(canvas) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.9); });
  }

  function meter(stream) {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      var analyser = ctx.createAnalyser();
      analyser.fftSize = 1024;
      ctx.createMediaStreamSource(stream).connect(analyser);
      var buf = new Float32Array(analyser.fftSize);
      var heard = 0;
      (function tick() {
        analyser.getFloatTimeDomainData(buf);
        var sum = 0;
        for (var i = 0; i < buf.length; i++) { sum += buf[i] * buf[i]; }
        var rms = Math.sqrt(sum / buf.length);
        heard = Math.max(heard, rms);
        $("mic-level").value = Math.min(1, rms * 4);
        requestAnimationFrame(tick);
      })();
      return function () { return heard; };
    } catch (e) {
      return function () { return 0; };
    }
  }

  // ---- 1. system check -------------------------------------------------------------------------------------------
  $("system-run").addEventListener("click", function () {
    var results = $("system-results");
    results.textContent = "";
    $("system-run").disabled = true;
    var screenRequired = root.dataset.screen === "true";
    var md = navigator.mediaDevices;
    var supported = !!(md && md.getUserMedia && window.MediaRecorder && window.crypto && window.crypto.subtle
      && (!screenRequired || md.getDisplayMedia));
    item("system-results", supported, T[supported ? "examinee.system.browser.ok" : "examinee.system.browser.bad"]);
    var report = {camera: false, microphone: false, screen: "", browser: navigator.userAgent.slice(0, 250)};
    var start = md && md.getUserMedia
      ? md.getUserMedia({video: {width: 640, height: 480}, audio: true})
      : Promise.reject(new Error("no getUserMedia"));
    start.then(function (stream) {
      camera = stream;
      video.srcObject = stream;
      report.camera = stream.getVideoTracks().length > 0;
      report.microphone = stream.getAudioTracks().length > 0;
      var level = meter(stream);
      item("system-results", report.camera, T[report.camera ? "examinee.system.camera.ok" : "examinee.system.camera.bad"]);
      item("system-results", report.microphone, T[report.microphone ? "examinee.system.mic.ok" : "examinee.system.mic.bad"]);
      setTimeout(function () { if (report.microphone && level() < 0.005) { item("system-results", false, T["examinee.system.mic.silent"]); } }, 3000);
    }, function () {
      item("system-results", false, T["examinee.system.camera.bad"]);
      item("system-results", false, T["examinee.system.mic.bad"]);
    }).then(function () {
      if (!screenRequired) {
        item("system-results", true, T["examinee.system.screen.notRequired"]);
        return;
      }
      if (!md || !md.getDisplayMedia) {
        item("system-results", false, T["examinee.system.screen.none"]);
        return;
      }
      return md.getDisplayMedia({video: {displaySurface: "monitor"}, audio: false}).then(function (screen) {
        var track = screen.getVideoTracks()[0];
        var surface = track && track.getSettings ? track.getSettings().displaySurface : undefined;
        report.screen = surface || "unknown";
        item("system-results", surface === "monitor", T[surface === "monitor" ? "examinee.system.screen.ok" : "examinee.system.screen.bad"]);
        // the monitoring window shares the screen again; the check only proves it can be done
        screen.getTracks().forEach(function (t) { t.stop(); });
      }, function () {
        report.screen = "refused";
        item("system-results", false, T["examinee.system.screen.bad"]);
      });
    }).then(function () {
      return post("/attempt/system-check", JSON.stringify(report), "application/json");
    }).then(function () {
      item("system-results", true, T["examinee.system.passed"]);
      root.dataset.systemDone = "true";
      next();
    }, function (e) {
      item("system-results", false, fmt("examinee.error", e.message));
      $("system-run").disabled = false;
    });
  });

  // ---- 2. identity ---------------------------------------------------------------------------------------------
  var photos = {live: null, id: null};
  function tries(left) { if ($("identity-tries")) { $("identity-tries").textContent = fmt("examinee.identity.tries", left); } }
  function takePhoto(which, img) {
    var canvas = frame(640);
    $(img).src = canvas.toDataURL("image/jpeg", 0.8);
    $(img).hidden = false;
    return jpeg(canvas).then(function (blob) {
      photos[which] = blob;
      $("identity-send").disabled = !(photos.live && (photos.id || root.dataset.idPhoto !== "true"));
    });
  }
  if ($("take-live")) {
    tries(root.dataset.triesLeft);
    $("take-live").addEventListener("click", function () { takePhoto("live", "live-photo"); });
    if ($("take-id")) { $("take-id").addEventListener("click", function () { takePhoto("id", "id-photo"); }); }
    $("identity-send").addEventListener("click", function () {
      var form = new FormData();
      form.append("livePhoto", photos.live, "live.jpg");
      if (photos.id) { form.append("idPhoto", photos.id, "id.jpg"); }
      $("identity-send").disabled = true;
      post("/attempt/identity", form).then(function (j) {
        var out = $("identity-result");
        out.dataset.identity = j.identity;
        if (j.identity === "VERIFIED") { out.className = "ok-text"; out.textContent = T["examinee.identity.verified"]; }
        else if (j.identity === "NOT_VERIFIED") { out.className = "bad-text"; out.textContent = T["examinee.identity.flagged"]; }
        else if (j.identity === "NOT_REQUIRED") { out.className = "ok-text"; out.textContent = T["examinee.identity.notRequired"]; }
        else { out.className = "bad-text"; out.textContent = T["examinee.identity.mismatch"]; tries(j.triesLeft); }
        if (j.identity !== "PENDING") { root.dataset.identityDone = "true"; next(); }
        else { $("identity-send").disabled = false; }
      }, function (e) {
        $("identity-result").className = "bad-text";
        $("identity-result").textContent = fmt("examinee.identity.refused", e.message);
        $("identity-send").disabled = false;
      });
    });
  }

  // ---- 3. room scan --------------------------------------------------------------------------------------------
  function recorderType() {
    var types = ["video/webm;codecs=vp8,opus", "video/webm;codecs=vp8", "video/webm"];
    for (var i = 0; i < types.length; i++) { if (MediaRecorder.isTypeSupported(types[i])) { return types[i]; } }
    return "";
  }
  if ($("room-record")) {
    $("room-record").addEventListener("click", function () {
      $("room-record").disabled = true;
      var out = $("room-result");
      out.className = "";
      out.textContent = T["examinee.room.recording"];
      var parts = [];
      var type = recorderType();
      var rec = new MediaRecorder(new MediaStream(camera.getVideoTracks()), type ? {mimeType: type} : undefined);
      rec.ondataavailable = function (e) { if (e.data && e.data.size) { parts.push(e.data); } };
      rec.onstop = function () {
        post("/attempt/room-scan", new Blob(parts, {type: "video/webm"}), "video/webm").then(function () {
          out.className = "ok-text";
          out.textContent = T["examinee.room.done"];
          root.dataset.roomDone = "true";
          next();
        }, function (e) {
          out.className = "bad-text";
          out.textContent = fmt("examinee.error", e.message);
          $("room-record").disabled = false;
        });
      };
      rec.start();
      setTimeout(function () { rec.stop(); }, (+root.dataset.roomSeconds || 10) * 1000);
    });
  }

  // ---- the order: system → identity → room → ready --------------------------------------------------------------
  function next() {
    if (root.dataset.systemDone !== "true") { return; }
    $("identity").hidden = false;
    if (root.dataset.identity === "true" && root.dataset.identityDone !== "true") { return; }
    if (root.dataset.identity === "true" && $("take-live")) {
      $("take-live").disabled = true;
      if ($("take-id")) { $("take-id").disabled = true; }
      $("identity-send").disabled = true;
    }
    $("room").hidden = false;
    if (root.dataset.room === "true" && root.dataset.roomDone !== "true") { return; }
    if ($("room-record")) { $("room-record").disabled = true; }
    $("ready").hidden = false;
  }
})();
