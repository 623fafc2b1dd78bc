// The exam page (inside the LMS iframe): opens the top-level exam window with a single-use link. Moodle's iframe
// grants camera and microphone but not display capture, so the checks and the monitoring run in that window.
(function () {
  "use strict";
  var box = document.getElementById("monitor-box");
  var button = document.getElementById("open-window");
  var error = document.getElementById("window-error");
  if (!box || !button) { return; }
  button.addEventListener("click", function () {
    // opened at once, inside the click, so no pop-up blocker stops it; its address follows
    var win = window.open("", "qatysu-exam-" + box.dataset.windowUrl.split("/")[2]);
    fetch(box.dataset.windowUrl, {method: "POST", credentials: "same-origin", headers: {"X-CSRF-Token": box.dataset.csrf}})
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) { throw new Error(j.error || r.status); } return j; }); })
      .then(function (j) {
        if (win) { win.location.href = j.url; } else { window.location.href = j.url; }
      })
      .catch(function (e) {
        if (win) { win.close(); }
        error.textContent = String(e.message || e);
        error.hidden = false;
      });
  });
})();
