// The SMART App Launch of the patient form: an EHR launch (?iss=...&launch=...) or a standalone launch
// (?iss=... only) hands the browser to the authorization server of the FHIR server named by iss, as a public
// client with PKCE (S256). The authorization server sends the browser back to the form, which completes the
// flow. The server has already refused an iss it does not trust; the page checks again before leaving.
(function () {
  'use strict';

  document.addEventListener('DOMContentLoaded', start);

  async function start() {
    const status = document.getElementById('launch-status');
    const problem = document.getElementById('launch-problem');
    const fail = message => {
      status.hidden = true;
      problem.textContent = message;
      problem.hidden = false;
    };
    try {
      const config = await (await fetch('launch/config', { headers: { Accept: 'application/json' } })).json();
      if (!config.secured) {
        fail('The module runs in development mode, without an authorization server, so there is nothing to'
          + ' sign in to. Open the checklist directly.');
        return;
      }
      const params = new URLSearchParams(window.location.search);
      const iss = (params.get('iss') || '').replace(/\/+$/, '');
      const launch = params.get('launch');
      if (!config.issuers.includes(iss)) {
        fail('This launch was refused: the FHIR server it names (iss) is not one this checklist trusts.');
        return;
      }
      // An EHR launch asks for the patient the EHR chose; a standalone launch lets the sign-in choose them.
      const scope = (launch ? 'launch ' : 'launch/patient ') + config.scope;
      await FHIR.oauth2.authorize({
        clientId: config.clientId,
        scope: scope,
        redirectUri: new URL(config.redirectUri || '.', window.location.href).href,
        iss: iss,
        launch: launch || undefined,
        pkceMode: 'required'
      });
    } catch (e) {
      fail('Signing in could not start: the authorization server of your portal could not be reached or does'
        + ' not support this kind of sign-in. Please try again later.');
    }
  }
}());
