// The monitoring window of a proctored exam (top-level, beside the exam): webcam snapshots every N s, the camera and
// microphone recorded continuously in 5 s chunks (each PUT with its index and SHA-256, resumed after a lost
// connection), screen snapshots, browser events with their own ids (a resend is harmless), a heartbeat every 5 s.
(function () {
  "use strict";
  var root = document.getElementById("monitor");
  var base = root.dataset.base;
  var csrf = root.dataset.csrf;
  var interval = Math.max(2, +root.dataset.interval || 10) * 1000;
  var screenRequired = root.dataset.screen === "true";
  var T = {};
  document.querySelectorAll("#texts [data-key]").forEach(function (s) { T[s.dataset.key] = s.textContent; });
  function fmt(key) {
    var args = Array.prototype.slice.call(arguments, 1);
    return (T[key] || key).replace(/\{(\d)\}/g, function (_, i) { return args[+i] === undefined ? "" : String(args[+i]); });
  }
  function $(id) { return document.getElementById(id); }
  function uuid() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }
  function send(method, path, body, type) {
    var headers = {"X-CSRF-Token": csrf};
    if (type) { headers["Content-Type"] = type; }
    return fetch(base + path, {method: method, credentials: "same-origin", headers: headers, body: body, cache: "no-store"})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) { throw failure(r, j); }
          return j;
        });
      });
  }
  /** A refused request's error: its status, and how long a busy server asked to stay away (429/503 Retry-After). */
  function failure(r, j) {
    var e = new Error((j.details && j.details.length ? j.details[0].problem : j.error) || ("HTTP " + r.status));
    e.status = r.status;
    e.body = j;
    e.retryAfter = Math.min(+r.headers.get("Retry-After") || 0, 300) * 1000;
    // which cap refused (Qatysu-Refused: upload-slots, per-session, same-upload, analysis-busy …)
    e.refused = r.headers.get("Qatysu-Refused") || "";
    return e;
  }
  /** Whether a failed request is worth sending again (no answer, a cut-off body, busy, or the server's trouble). */
  function retryable(e) { return !e.status || e.status === 408 || e.status === 429 || e.status >= 500; }

  var camera = null, screenStream = null, recorder = null, running = false, ending = false;
  var cameraVideo = $("camera"), screenVideo = document.createElement("video");
  screenVideo.muted = true;
  var timers = [];
  var offline = false;

  function warn(text) { $("warning").textContent = text || ""; }
  function status(text) { $("status").textContent = text; }

  // ---- one queue of uploads, sent in order, each retried with backoff until the server has it -------------------
  var queue = [];
  var pumping = false;
  var backoff = 1000;
  function pending() {
    var chunks = queue.filter(function (u) { return u.kind === "chunk"; }).length;
    $("pending").textContent = queue.length ? fmt("examinee.monitor.pending", queue.length) : "";
    root.dataset.pendingChunks = String(chunks);
    root.dataset.pending = String(queue.length);
  }
  function enqueue(upload) { queue.push(upload); pending(); pump(); }
  function pump() {
    if (pumping || !queue.length) { return; }
    pumping = true;
    var u = queue[0];
    u.send().then(function () {
      queue.shift();
      backoff = 1000;
      if (offline) { offline = false; warn(""); }
    }, function (e) {
      if (!retryable(e)) {
        // refused for good (e.g. too large): never sent again, the answer shown
        queue.shift();
        warn(fmt("examinee.error", e.message));
        return;
      }
      offline = true;
      warn(T["examinee.monitor.offline"]);
      // the server's Retry-After (1 s for a full upload cap) stretched to 1–2 × so that the examinees a busy server
      // refused together do not all come back in the same second; at least the backoff ±25 %
      var r = Math.random();
      var wait = Math.max(backoff * (0.75 + r / 2), (e.retryAfter || 0) * (1 + r));
      return new Promise(function (resolve) { setTimeout(resolve, wait); }).then(function () {
        backoff = Math.min(backoff * 2, 30000);
        return u.kind === "chunk" ? resync() : null;
      });
    }).then(function () {
      pumping = false;
      pending();
      pump();
    });
  }
  /** After a lost connection: the chunks the server already has are not sent again. */
  function resync() {
    return send("GET", "/attempt/recording").then(function (st) {
      var have = {};
      st.present.forEach(function (i) { have[i] = true; });
      queue = queue.filter(function (u) { return u.kind !== "chunk" || !have[u.index]; });
    }, function () { /* still offline */ });
  }

  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }
  var nextIndex = 0;
  function chunk(blob) {
    var index = nextIndex++;
    var upload = {kind: "chunk", index: index, send: function () {
      return blob.arrayBuffer().then(function (bytes) {
        return crypto.subtle.digest("SHA-256", bytes).then(function (digest) {
          return fetch(base + "/attempt/recording/" + index, {method: "PUT", credentials: "same-origin",
            headers: {"X-CSRF-Token": csrf, "X-Chunk-Sha256": hex(digest), "Content-Type": "video/webm"}, body: bytes})
            .then(function (r) {
              return r.json().catch(function () { return {}; }).then(function (j) {
                if (!r.ok) { throw failure(r, j); }
              });
            });
        });
      });
    }};
    enqueue(upload);
  }

  // ---- events ----------------------------------------------------------------------------------------------------
  function event(type, detail) {
    var e = {id: uuid(), type: type, at: new Date().toISOString(), detail: detail || ""};
    enqueue({kind: "event", send: function () { return send("POST", "/attempt/events", JSON.stringify([e]), "application/json"); }});
  }
  document.addEventListener("visibilitychange", function () { if (running && document.visibilityState === "hidden") { event("TAB_HIDDEN"); } });
  window.addEventListener("blur", function () { if (running) { event("FOCUS_LOST"); } });
  document.addEventListener("fullscreenchange", function () {
    if (running && !document.fullscreenElement) { event("FULLSCREEN_EXIT"); }
  });
  ["copy", "cut", "paste"].forEach(function (type) {
    document.addEventListener(type, function () { if (running) { event("COPY_PASTE", type); } });
  });
  function watchScreens() {
    if (!("isExtended" in window.screen)) { return; }
    var reported = false;
    function check() { if (running && window.screen.isExtended && !reported) { reported = true; event("SECOND_SCREEN", "screen.isExtended"); } }
    if (window.screen.addEventListener) { window.screen.addEventListener("change", check); }
    check();
  }

  // ---- noise: the microphone's RMS over a threshold for a sustained time ----------------------------------------------
  var NOISE_RMS = 0.2, NOISE_MS = 3000, NOISE_QUIET_MS = 30000;
  function watchNoise(stream) {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      var analyser = ctx.createAnalyser();
      analyser.fftSize = 2048;
      ctx.createMediaStreamSource(stream).connect(analyser);
      var buf = new Float32Array(analyser.fftSize);
      var loudSince = 0, lastReported = 0;
      timers.push(setInterval(function () {
        analyser.getFloatTimeDomainData(buf);
        var sum = 0;
        for (var i = 0; i < buf.length; i++) { sum += buf[i] * buf[i]; }
        var rms = Math.sqrt(sum / buf.length), now = Date.now();
        if (rms < NOISE_RMS) { loudSince = 0; return; }
        if (!loudSince) { loudSince = now; }
        if (now - loudSince >= NOISE_MS && now - lastReported >= NOISE_QUIET_MS) {
          lastReported = now;
          event("NOISE", "rms " + rms.toFixed(2) + " over " + NOISE_RMS + " for " + (NOISE_MS / 1000) + " s");
        }
      }, 250));
    } catch (e) { /* no WebAudio: no noise events */ }
  }

  // ---- snapshots ---------------------------------------------------------------------------------------------------
  // a camera that has just started may have its size but no frame painted yet: a picture then is black, which the
  // server would log as NO_FACE; wait for a presented frame (at most 3 s) before the picture
  function frameReady(video) {
    if (video.readyState >= 2 && video.currentTime > 0) { return Promise.resolve(); }
    return new Promise(function (resolve) {
      if (video.requestVideoFrameCallback) { video.requestVideoFrameCallback(function () { resolve(); }); }
      video.addEventListener("playing", function () { resolve(); }, {once: true});
      setTimeout(resolve, 3000);
    });
  }
  function grab(video, maxWidth) {
    return frameReady(video).then(function () { return draw(video, maxWidth); });
  }
  function draw(video, maxWidth) {
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) { return Promise.resolve(null); }
    var scale = Math.min(1, maxWidth / w);
    var c = document.createElement("canvas");
    c.width = Math.round(w * scale);
    c.height = Math.round(h * scale);
    c.getContext("2d").drawImage(video, 0, 0, c.width, c.height);
    return new Promise(function (resolve) { c.toBlob(resolve, "image/jpeg", 0.8); });
  }
  function snapshot(source, video, maxWidth) {
    var takenAt = new Date().toISOString(), id = uuid();
    return grab(video, maxWidth).then(function (blob) {
      if (!blob) { return; }
      enqueue({kind: "snapshot", send: function () {
        return send("POST", "/attempt/snapshots?source=" + source + "&id=" + id + "&takenAt=" + encodeURIComponent(takenAt),
          blob, "image/jpeg");
      }});
    });
  }

  // ---- start, heartbeat, end -------------------------------------------------------------------------------------------
  function recorderType() {
    var types = ["video/webm;codecs=vp8,opus", "video/webm;codecs=vp8", "video/webm"];
    for (var i = 0; i < types.length; i++) { if (MediaRecorder.isTypeSupported(types[i])) { return types[i]; } }
    return "";
  }
  function shareScreen() {
    return navigator.mediaDevices.getDisplayMedia({video: {displaySurface: "monitor"}, audio: false}).then(function (s) {
      var track = s.getVideoTracks()[0];
      if (!track || track.getSettings().displaySurface !== "monitor") {
        s.getTracks().forEach(function (t) { t.stop(); });
        throw new Error(T["examinee.system.screen.bad"]);
      }
      screenStream = s;
      screenVideo.srcObject = s;
      screenVideo.play().catch(function () {});
      track.addEventListener("ended", function () {
        if (!running || ending) { return; }
        event("SCREEN_SHARE_STOPPED");
        warn(T["examinee.monitor.screenStopped"]);
        $("monitor-reshare").hidden = false;
      });
    });
  }
  $("monitor-start").addEventListener("click", function () {
    $("monitor-start").disabled = true;
    warn("");
    navigator.mediaDevices.getUserMedia({video: {width: 640, height: 480}, audio: true}).then(function (stream) {
      camera = stream;
      cameraVideo.srcObject = stream;
      return screenRequired ? shareScreen() : null;
    }).then(function () {
      return send("POST", "/attempt/start", JSON.stringify({recordingId: uuid()}), "application/json");
    }).then(function (res) {
      if (res.state !== "IN_PROGRESS") { throw new Error(res.state); }
      // a reopened window continues the recording after the chunks the server has (a new WebM segment)
      var present = res.recording.present;
      nextIndex = present.length ? present[present.length - 1] + 1 : 0;
      running = true;
      root.dataset.running = "true";
      status(T["examinee.monitor.running"]);
      $("monitor-start").hidden = true;
      $("monitor-end").hidden = false;
      $("monitor-fullscreen").hidden = false;
      camera.getVideoTracks().forEach(function (t) {
        t.addEventListener("ended", function () { if (running && !ending) { event("CAMERA_STOPPED"); warn(T["examinee.monitor.cameraStopped"]); } });
      });
      camera.getAudioTracks().forEach(function (t) {
        t.addEventListener("ended", function () { if (running && !ending) { event("MICROPHONE_STOPPED"); } });
      });
      var type = recorderType();
      recorder = new MediaRecorder(camera, type ? {mimeType: type} : undefined);
      recorder.ondataavailable = function (e) { if (e.data && e.data.size) { chunk(e.data); } };
      recorder.start(5000);
      watchNoise(camera);
      watchScreens();
      snapshot("CAMERA", cameraVideo, 640);
      timers.push(setInterval(function () { snapshot("CAMERA", cameraVideo, 640); }, interval));
      if (screenRequired) {
        // the screen every third camera snapshot (at least every 30 s): evidence, not analysed for faces
        timers.push(setInterval(function () { snapshot("SCREEN", screenVideo, 1280); }, Math.max(30000, 3 * interval)));
      }
      timers.push(setInterval(function () {
        send("POST", "/attempt/heartbeat", null).then(function (j) {
          if (j.state !== "IN_PROGRESS" && !ending) { stop(); status(j.state); }
          // the LMS ended the exam (Open edX's LtiEndAssessment): finish the recording and end, as the End button does
          else if (j.endRequested && !ending) { $("monitor-end").click(); }
        }, function () { /* the server logs the gap itself */ });
      }, 5000));
    }).catch(function (e) {
      if (camera) { camera.getTracks().forEach(function (t) { t.stop(); }); }
      warn(fmt("examinee.error", e.message));
      $("monitor-start").disabled = false;
    });
  });
  $("monitor-fullscreen").addEventListener("click", function () {
    if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen().catch(function () {}); }
  });
  $("monitor-reshare").addEventListener("click", function () {
    shareScreen().then(function () { $("monitor-reshare").hidden = true; warn(""); }, function (e) { warn(e.message); });
  });

  function stop() {
    running = false;
    timers.forEach(clearInterval);
    timers = [];
  }
  function drained() {
    return new Promise(function (resolve) {
      (function wait() { if (!queue.length && !pumping) { resolve(); } else { setTimeout(wait, 200); } })();
    });
  }
  $("monitor-end").addEventListener("click", function () {
    ending = true;
    $("monitor-end").disabled = true;
    status(T["examinee.monitor.ending"]);
    new Promise(function (resolve) {
      if (!recorder || recorder.state === "inactive") { resolve(); return; }
      recorder.addEventListener("stop", function () { setTimeout(resolve, 0); });
      recorder.stop();
    }).then(function () {
      stop();
      return drained();
    }).then(function () {
      return send("POST", "/attempt/recording/finish", JSON.stringify({lastIndex: nextIndex - 1}), "application/json");
    }).then(function () {
      return send("POST", "/attempt/end", null);
    }).then(function (res) {
      [camera, screenStream].forEach(function (s) { if (s) { s.getTracks().forEach(function (t) { t.stop(); }); } });
      var s = res.summary;
      root.dataset.state = res.state;
      status(T["examinee.monitor.ended"]);
      $("summary").textContent = fmt("examinee.summary", s.snapshots, s.screenSnapshots, s.chunks, s.events);
      $("monitor-end").hidden = true;
      $("monitor-fullscreen").hidden = true;
    }).catch(function (e) {
      warn(fmt("examinee.error", e.message));
      $("monitor-end").disabled = false;
      ending = false;
    });
  });

  // the recording must reach the server before the window closes
  window.addEventListener("beforeunload", function (e) {
    if (queue.length || (running && !ending)) {
      e.preventDefault();
      e.returnValue = T["examinee.monitor.leave"];
      return T["examinee.monitor.leave"];
    }
  });
  pending();
})();
