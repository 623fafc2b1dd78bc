// The Moodle quiz gate's panel in the monitoring window: asks the server (this window's own session) for the
// examinee's quiz password and shows it with a copy button. The password is never put in a URL, a log or storage.
(function () {
  'use strict';
  var panel = document.getElementById('quiz-gate');
  if (!panel) { return; }
  var url = panel.getAttribute('data-url');
  var status = document.getElementById('quiz-gate-status');
  var output = document.getElementById('quiz-gate-password');
  var copy = document.getElementById('quiz-gate-copy');
  function text(key) {
    var el = panel.querySelector('[data-quizgate="' + key + '"]');
    return el ? el.textContent : '';
  }
  function ask() {
    fetch(url, {credentials: 'same-origin', cache: 'no-store', headers: {'Accept': 'application/json'}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) {
        if (!answer || answer.status === 'NONE') { panel.hidden = true; return; }
        panel.hidden = false;
        status.textContent = text(answer.status);
        if (answer.status === 'READY' && answer.password) {
          output.textContent = answer.password;
          copy.hidden = false;
        } else {
          output.textContent = '';
          copy.hidden = true;
        }
        if (answer.status !== 'CLOSED') { setTimeout(ask, answer.status === 'READY' ? 30000 : 5000); }
      })
      .catch(function () { setTimeout(ask, 10000); });
  }
  copy.addEventListener('click', function () {
    if (navigator.clipboard && output.textContent) {
      navigator.clipboard.writeText(output.textContent).then(function () { status.textContent = text('COPIED'); });
    }
  });
  ask();
})();
