// The patient form: renders the published checklist with LHC-Forms, submits the answers through
// $submit and shows the triage level and the guidance that came back. In secured mode it is the end of the
// SMART launch (launch.js): the access token and the patient come from the SMART client.
(function () {
  'use strict';

  const QUESTIONNAIRE = 'http://twitchtriage.org/fhir/Questionnaire/muscle-twitch-checklist';
  const FHIR_JSON = 'application/fhir+json';
  const PATIENT_REFERENCE = /^Patient\/[A-Za-z0-9\-.]{1,64}$/;
  // Marks what a paragraph of the guidance Communication is; the level's time frame, in the patient's words,
  // is the one the banner shows. The words come from the rules, never from this page.
  const GUIDANCE_PART = 'http://twitchtriage.org/fhir/StructureDefinition/guidance-part';
  const TIME_FRAME = 'time-frame';
  const WARNING_SIGN = 'warning-sign';

  // Where the answers are kept while the patient fills the form, so that signing in again after the session
  // ended (or reloading the page) brings them back. Never the access token: fhirclient keeps that.
  const SAVED_ANSWERS = 'twitch-triage.answers';
  const LAUNCHED_FROM = 'twitch-triage.iss';

  // In secured mode, the SMART client that completed the launch (see launch.js): it holds the access token,
  // in memory and in this tab's session storage, never in an address.
  let smart = null;

  function authorization() {
    const token = smart && smart.state.tokenResponse && smart.state.tokenResponse.access_token;
    return token ? { Authorization: 'Bearer ' + token } : {};
  }

  const page = {};
  let questionnaire = null;
  let submissionId = null;
  let saveTimer = null;

  document.addEventListener('DOMContentLoaded', start);

  function start() {
    ['title', 'description', 'patient', 'patient-field', 'patient-fixed', 'patient-fixed-value', 'form-status',
      'form-container', 'submit', 'problems', 'problem-list', 'result', 'result-level', 'result-action',
      'result-time-frame', 'result-guidance', 'result-reference', 'again', 'session-ended', 'relaunch']
      .forEach(id => { page[id] = document.getElementById(id); });
    page.submit.addEventListener('click', submit);
    page.again.addEventListener('click', () => { page.result.hidden = true; render(); });
    page.relaunch.addEventListener('click', relaunch);
    page['form-container'].addEventListener('change', saveAnswersSoon);
    page['form-container'].addEventListener('input', saveAnswersSoon);
    page['form-container'].addEventListener('click', saveAnswersSoon);
    // LHC-Forms' radio buttons and some of its widgets do not let their events reach the container, and the
    // form announces no change of its own: so the answers are also saved every second while they change.
    setInterval(saveAnswers, 1000);
    window.addEventListener('pagehide', saveAnswers);
    whoIsAnswering().then(loadQuestionnaire).then(render).catch(failure => {
      page['form-status'].textContent = failure && failure.forPatient
        ? failure.message : 'The checklist could not be loaded. Please try again later.';
    });
  }

  /**
   * In development mode the patient is typed in (or given as ?patient=Patient/...). In secured mode the page
   * is the SMART launch's redirect target: the client completes the flow (the code for a token, checking the
   * state it sent), and the patient is the one the token response names.
   */
  async function whoIsAnswering() {
    const config = await (await fetch('launch/config', { headers: { Accept: 'application/json' } })).json();
    if (!config.secured) {
      const fromUrl = new URLSearchParams(window.location.search).get('patient');
      if (fromUrl && PATIENT_REFERENCE.test(fromUrl)) {
        showPatient(fromUrl);
      }
      return;
    }
    page['patient-field'].hidden = true;
    try {
      smart = await FHIR.oauth2.ready();
    } catch (e) {
      throw forPatient('This checklist opens from your patient portal, which signs you in. Please open it again'
        + ' from there.');
    }
    if (!smart.patient.id || !PATIENT_REFERENCE.test('Patient/' + smart.patient.id)) {
      throw forPatient('Your sign-in did not say which patient you are answering for. Please open the checklist'
        + ' again from your patient portal.');
    }
    sessionStorage.setItem(LAUNCHED_FROM, smart.state.serverUrl);
    showPatient('Patient/' + smart.patient.id);
  }

  function showPatient(reference) {
    page.patient.value = reference;
    page['patient-field'].hidden = true;
    page['patient-fixed'].hidden = false;
    page['patient-fixed-value'].textContent = reference;
  }

  function forPatient(message) {
    const failure = new Error(message);
    failure.forPatient = true;
    return failure;
  }

  async function loadQuestionnaire() {
    const search = 'fhir/Questionnaire?status=active&url=' + encodeURIComponent(QUESTIONNAIRE);
    let response = await fetch(search,
      { headers: Object.assign({ Accept: FHIR_JSON }, authorization()), credentials: 'same-origin' });
    if (response.status === 401 && smart) {
      // The session ended before the form loaded (a reload long after the sign-in). The checklist is published
      // content, readable without a token, so the patient can still answer; sending needs a new sign-in.
      sessionEnded();
      response = await fetch(search, { headers: { Accept: FHIR_JSON }, credentials: 'same-origin' });
    }
    if (!response.ok) {
      throw new Error('Questionnaire search failed: ' + response.status);
    }
    const bundle = await response.json();
    const found = (bundle.entry || []).map(e => e.resource);
    if (found.length === 0) {
      throw new Error('No active Questionnaire');
    }
    found.sort((a, b) => compareVersions(b.version, a.version));
    questionnaire = found[0];
    page.title.textContent = questionnaire.title || page.title.textContent;
    document.title = page.title.textContent;
    page.description.textContent = questionnaire.description || '';
  }

  async function render() {
    submissionId = newId();
    page.problems.hidden = true;
    page.submit.disabled = true;
    page['form-container'].innerHTML = '';
    const options = { fhirVersion: 'R4', showFormHeader: false, hideFormControls: true };
    const saved = savedAnswers();
    if (saved) {
      options.questionnaireResponse = saved.response;
      submissionId = saved.submissionId || submissionId;
    }
    await window.LForms.Util.addFormToPage(structuredClone(questionnaire), page['form-container'], options);
    page['form-status'].textContent = saved
      ? 'Your earlier answers are filled in. Check them, answer the rest, then send your answers.'
      : 'Answer every question marked as required, then send your answers.';
    page.submit.disabled = false;
  }

  /**
   * The answers kept for this checklist version and this patient, if any. Only in secured mode, where a
   * session can end before the patient sends their answers.
   */
  function savedAnswers() {
    if (!smart) {
      return null;
    }
    try {
      const saved = JSON.parse(sessionStorage.getItem(SAVED_ANSWERS) || 'null');
      if (saved && saved.questionnaire === questionnaire.url + '|' + questionnaire.version
        && saved.patient === page.patient.value && saved.response) {
        return saved;
      }
    } catch (e) {
      // Unreadable: start afresh.
    }
    return null;
  }

  function saveAnswersSoon() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveAnswers, 300);
  }

  function saveAnswers() {
    if (!smart || !questionnaire || !page['form-container'].firstChild || !page.result.hidden) {
      return;
    }
    try {
      const response = window.LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', page['form-container']);
      delete response.id;
      delete response.authored;
      const saved = JSON.stringify({
        questionnaire: questionnaire.url + '|' + questionnaire.version,
        patient: page.patient.value,
        submissionId: submissionId,
        response: response
      });
      if (saved !== sessionStorage.getItem(SAVED_ANSWERS)) {
        sessionStorage.setItem(SAVED_ANSWERS, saved);
      }
    } catch (e) {
      // Storage full or the form not ready: the answers are still on the page.
    }
  }

  function sessionEnded() {
    page['session-ended'].hidden = false;
  }

  /** Signs in again through the launch page, for the FHIR server the last launch came from. */
  function relaunch() {
    saveAnswers();
    const iss = sessionStorage.getItem(LAUNCHED_FROM);
    window.location.assign('launch?iss=' + encodeURIComponent(iss || ''));
  }

  async function submit() {
    page.problems.hidden = true;
    page['session-ended'].hidden = true;
    const patient = page.patient.value.trim();
    if (!PATIENT_REFERENCE.test(patient)) {
      showProblems(['The patient reference must look like Patient/example-1.']);
      page.patient.focus();
      return;
    }
    const unanswered = unansweredQuestions();
    if (unanswered.length > 0) {
      showProblems(unanswered);
      return;
    }
    page.submit.disabled = true;
    page['form-status'].textContent = 'Sending your answers…';
    try {
      const response = await fetch('fhir/QuestionnaireResponse/$submit', {
        method: 'POST',
        credentials: 'same-origin',
        headers: Object.assign({ 'Content-Type': FHIR_JSON, Accept: FHIR_JSON }, authorization()),
        body: JSON.stringify({
          resourceType: 'Parameters',
          parameter: [{ name: 'resource', resource: questionnaireResponse(patient) }]
        })
      });
      const body = await response.json().catch(() => null);
      if (response.ok && body && body.resourceType === 'Bundle') {
        clearTimeout(saveTimer);
        sessionStorage.removeItem(SAVED_ANSWERS);
        await showResult(body);
      } else if (response.status === 401 && smart) {
        saveAnswers();
        sessionEnded();
        page.relaunch.focus();
      } else if (response.status === 401 || response.status === 403) {
        showProblems(['Your answers were not accepted because this form was not opened from your patient'
          + ' portal, your session there has ended, or it is for another patient. Please open the checklist'
          + ' again from your portal.']);
      } else {
        showProblems(explain(body));
      }
    } catch (e) {
      showProblems(['Your answers could not be sent. Check your connection and press the button again;'
        + ' nothing is saved twice.']);
    } finally {
      page.submit.disabled = false;
      page['form-status'].textContent = '';
    }
  }

  /**
   * The required questions still unanswered, as LHC-Forms reports them. It also reports a required group
   * as missing a value, though a group never has one; those messages are left out (the server checks the
   * group's questions, and names any it finds missing).
   */
  function unansweredQuestions() {
    const groups = [];
    const collect = items => (items || []).forEach(item => {
      if (item.type === 'group') {
        groups.push(item.text);
        collect(item.item);
      }
    });
    collect(questionnaire.item);
    const messages = window.LForms.Util.checkValidity(page['form-container']) || [];
    return messages.filter(message => !groups.some(text => text && String(message).startsWith(text + ' ')));
  }

  /** The response as LHC-Forms builds it, completed with what the module needs to accept it. */
  function questionnaireResponse(patient) {
    const response = window.LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', page['form-container']);
    response.status = 'completed';
    response.questionnaire = questionnaire.url + '|' + questionnaire.version;
    response.subject = { reference: patient };
    response.authored = new Date().toISOString();
    // One identifier per filled-in form: sending it again (a double click, a retry) is answered with the
    // response already stored instead of a second one.
    response.identifier = { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:' + submissionId };
    delete response.id;
    return response;
  }

  async function showResult(bundle) {
    const resources = (bundle.entry || []).map(e => e.resource);
    const observation = resources.find(r => r.resourceType === 'Observation');
    const guidance = resources.find(r => r.resourceType === 'Communication');
    const level = observation && observation.valueCodeableConcept && observation.valueCodeableConcept.coding
      ? observation.valueCodeableConcept.coding[0] : null;
    page['result-level'].textContent = level ? await levelName(level) : 'answers received';
    const payloads = (guidance && guidance.payload) || [];
    const timeFrame = payloads.find(payload => part(payload) === TIME_FRAME && payload.contentString);
    page['result-time-frame'].textContent = timeFrame ? timeFrame.contentString : '';
    page['result-action'].hidden = !timeFrame;
    page['result-guidance'].innerHTML = '';
    // Warning signs, one paragraph each in the Communication, read as one short list.
    let list = null;
    payloads.filter(payload => payload !== timeFrame).forEach(payload => {
      if (part(payload) !== WARNING_SIGN) {
        list = null;
        const paragraph = document.createElement('p');
        paragraph.textContent = payload.contentString || '';
        page['result-guidance'].appendChild(paragraph);
        return;
      }
      if (!list) {
        list = document.createElement('ul');
        list.className = 'warning-signs';
        page['result-guidance'].appendChild(list);
      }
      const item = document.createElement('li');
      item.textContent = payload.contentString || '';
      list.appendChild(item);
    });
    page['result-reference'].textContent = 'QuestionnaireResponse/' + resources[0].id;
    page.result.dataset.level = level ? level.code : '';
    page.result.hidden = false;
    page.result.focus();
  }

  /** What a guidance paragraph is, as its guidance-part extension says; null when it says nothing. */
  function part(payload) {
    const marker = (payload.extension || []).find(extension => extension.url === GUIDANCE_PART);
    return marker ? marker.valueCode : null;
  }

  /** The level's name as its CodeSystem, published by the module, gives it; the code if that fails. */
  async function levelName(coding) {
    try {
      const response = await fetch('fhir/CodeSystem?url=' + encodeURIComponent(coding.system),
        { headers: Object.assign({ Accept: FHIR_JSON }, authorization()), credentials: 'same-origin' });
      const bundle = await response.json();
      const concepts = ((bundle.entry || [])[0] || { resource: {} }).resource.concept || [];
      const concept = concepts.find(c => c.code === coding.code);
      return concept && concept.display ? concept.display : (coding.display || coding.code);
    } catch (e) {
      return coding.display || coding.code;
    }
  }

  /** The server's OperationOutcome in plain words, each problem named by its question. */
  function explain(outcome) {
    if (!outcome || outcome.resourceType !== 'OperationOutcome') {
      return ['Something went wrong on our side. Please try again in a few minutes.'];
    }
    return (outcome.issue || []).map(issue => {
      const question = questionText(issue.expression && issue.expression[0]);
      const what = issue.diagnostics || 'This answer was not accepted.';
      return question ? '“' + question + '”: ' + what : what;
    });
  }

  function questionText(expression) {
    const linkIds = [...String(expression || '').matchAll(/linkId='([^']+)'/g)].map(m => m[1]);
    const linkId = linkIds[linkIds.length - 1];
    const find = items => {
      for (const item of items || []) {
        if (item.linkId === linkId) {
          return item;
        }
        const inner = find(item.item);
        if (inner) {
          return inner;
        }
      }
      return null;
    };
    const item = linkId ? find(questionnaire.item) : null;
    return item ? item.text : null;
  }

  function showProblems(messages) {
    page['problem-list'].innerHTML = '';
    messages.forEach(message => {
      const entry = document.createElement('li');
      entry.textContent = typeof message === 'string' ? message : String(message);
      page['problem-list'].appendChild(entry);
    });
    page.problems.hidden = false;
    page.problems.focus();
  }

  /** As the module orders versions: dot- or dash-separated parts, numerically where both parts are numbers. */
  function compareVersions(a, b) {
    const left = String(a || '').split(/[.-]/);
    const right = String(b || '').split(/[.-]/);
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      const x = i < left.length ? left[i] : '0';
      const y = i < right.length ? right[i] : '0';
      const numbers = /^\d{1,17}$/.test(x) && /^\d{1,17}$/.test(y);
      const difference = numbers ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);
      if (difference !== 0) {
        return difference;
      }
    }
    return 0;
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map(b => b.toString(16).padStart(2, '0')).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-'
      + hex.slice(20);
  }
}());
