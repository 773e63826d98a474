// The sandbox launcher: asks the sandbox for a launch bound to the demo patient, then opens the module's
// launch address with it, as an EHR or a portal does.
(function () {
  'use strict';

  function meta(name) {
    const element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute('content') : '';
  }

  async function launch(who) {
    const status = document.getElementById('status');
    status.textContent = 'Making a launch…';
    try {
      const headers = { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' };
      headers[meta('csrf-header')] = meta('csrf');
      const response = await fetch('/sandbox/launches', {
        method: 'POST',
        credentials: 'same-origin',
        headers: headers,
        body: 'who=' + encodeURIComponent(who)
      });
      const body = await response.json().catch(() => null);
      if (!response.ok || !body) {
        throw new Error((body && body.detail) || ('The sandbox answered ' + response.status));
      }
      status.textContent = 'Opening ' + body.url;
      window.location.assign(body.url);
    } catch (e) {
      status.textContent = 'No launch: ' + e.message + '. Reload the page and try again.';
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('launch-patient').addEventListener('click', () => launch('patient'));
    document.getElementById('launch-clinician').addEventListener('click', () => launch('clinician'));
  });
})();
