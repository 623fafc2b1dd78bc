// The exam's Open edX page (docs/PROCTORING.md "The person"): reads edx-exams' roster of the exam in the staff's own
// browser — edx-exams answers its roster_url to their edx-exams session only (a credentialed CORS request from the
// tool's origin) — and posts the [anonymous_user_id, username] pairs to the tool, which then knows those learners by
// their portal person. Every 30 seconds while the page is open, and on the button.
(function () {
  'use strict';
  var box = document.getElementById('openedx-roster');
  if (!box || !box.dataset.rosterUrl) {
    return;
  }
  var counts = document.getElementById('roster-counts');
  var problem = document.getElementById('roster-problem');
  var button = document.getElementById('roster-refresh');
  var busy = false;

  function fail(text) {
    var e = new Error(text);
    e.shown = true;
    return e;
  }

  function show(text) {
    problem.textContent = text || '';
    problem.hidden = !text;
  }

  function refresh() {
    if (busy) {
      return;
    }
    busy = true;
    box.dataset.state = 'reading';
    fetch(box.dataset.rosterUrl, {credentials: 'include', cache: 'no-store'})
      .then(function (r) {
        if (!r.ok) {
          throw fail(box.dataset.readFailed + ' (HTTP ' + r.status + ')');
        }
        return r.json();
      }, function () {
        // a network or CORS refusal: the browser says no more than that
        throw fail(box.dataset.readFailed);
      })
      .then(function (pairs) {
        return fetch(box.dataset.postUrl, {
          method: 'POST', credentials: 'same-origin',
          headers: {'Content-Type': 'application/json', 'X-CSRF-Token': box.dataset.csrf},
          body: JSON.stringify(pairs)
        });
      })
      .then(function (r) {
        if (!r.ok) {
          throw fail(box.dataset.postFailed + ' (HTTP ' + r.status + ')');
        }
        return r.json();
      })
      .then(function (answer) {
        counts.textContent = answer.text;
        box.dataset.state = 'learned';
        show('');
      })
      .catch(function (e) {
        box.dataset.state = 'failed';
        show(e && e.shown ? e.message : box.dataset.postFailed);
      })
      .then(function () {
        busy = false;
      });
  }

  button.addEventListener('click', refresh);
  refresh();
  setInterval(refresh, 30000);
}());
