// One triage result: answers, explanation, outputs and deliveries; mark reviewed, approve, accept or override.
(function () {
  'use strict';

  const C = window.Clinician;
  const id = new URLSearchParams(window.location.search).get('id') || '';
  const api = 'api/results/' + encodeURIComponent(id);

  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('mark-reviewed').addEventListener('click', () => act('review'));
    document.getElementById('approve').addEventListener('click', () => act('approve'));
    document.getElementById('verdict-form').addEventListener('submit', giveVerdict);
    document.querySelectorAll('input[name="outcome"]').forEach(radio => radio.addEventListener('change', () => {
      document.getElementById('reason-field').hidden = outcome() !== 'overridden';
    }));
    load();
    loadReasons();
  });

  function outcome() {
    return document.querySelector('input[name="outcome"]:checked').value;
  }

  async function loadReasons() {
    try {
      const select = document.getElementById('reason');
      (await C.get('api/feedback-reasons')).body.forEach(reason => {
        const option = C.element('option', reason.display);
        option.value = reason.code;
        select.appendChild(option);
      });
    } catch (e) {
      showVerdictNotice(e.message);
    }
  }

  async function loadVerdicts() {
    const list = document.getElementById('verdicts');
    list.innerHTML = '';
    const verdicts = (await C.get(api + '/feedback')).body;
    verdicts.forEach(verdict => {
      const words = (verdict.outcome === 'accepted' ? 'Accepted' : 'Overridden')
        + (verdict.reason ? ' (' + verdict.reason.display + ')' : '')
        + ' by ' + (verdict.by || 'the EHR') + ', ' + C.when(verdict.at)
        + (verdict.channel === 'cds-card' ? ', from the EHR\'s card' : '')
        + (verdict.comment ? ': ' + verdict.comment : '');
      const item = C.element('li', words);
      item.dataset.outcome = verdict.outcome;
      list.appendChild(item);
    });
  }

  function showVerdictNotice(text) {
    const notice = document.getElementById('verdict-result');
    notice.textContent = text;
    notice.hidden = false;
  }

  async function giveVerdict(event) {
    event.preventDefault();
    const button = document.getElementById('give-verdict');
    const chosen = outcome();
    const body = { outcome: chosen, comment: document.getElementById('comment').value };
    if (chosen === 'overridden') {
      body.reason = document.getElementById('reason').value;
      if (!body.reason) {
        showVerdictNotice('Choose a reason for the override.');
        document.getElementById('reason').focus();
        return;
      }
    }
    button.disabled = true;
    try {
      const given = (await C.post(api + '/feedback', body)).body;
      showVerdictNotice((given.outcome === 'accepted' ? 'Accepted' : 'Overridden') + ' by ' + given.by + '.');
      document.getElementById('comment').value = '';
      await loadVerdicts();
    } catch (e) {
      showVerdictNotice(e.message);
    } finally {
      button.disabled = false;
    }
  }

  function status(text) {
    document.getElementById('status').textContent = text;
  }

  async function load() {
    status('Loading…');
    try {
      render((await C.get(api)).body);
      status('');
    } catch (e) {
      document.getElementById('content').hidden = true;
      status(e.message);
    }
  }

  async function act(action) {
    const button = document.getElementById(action === 'review' ? 'mark-reviewed' : 'approve');
    const notice = document.getElementById('action-result');
    button.disabled = true;
    try {
      const done = (await C.post(api + '/' + action)).body;
      notice.textContent = action === 'review'
        ? 'Marked reviewed by ' + done.by + ' (' + done.task + ').'
        : (done.created ? 'Approved: ' : 'Already approved: ') + done.orders.length
          + ' order(s), queued for delivery to the EHR.';
      notice.hidden = false;
      render((await C.get(api)).body);
    } catch (e) {
      notice.textContent = e.message;
      notice.hidden = false;
      button.disabled = false;
    }
  }

  function render(detail) {
    const summary = detail.summary;
    const title = 'Triage result: ' + summary.level.display + (summary.retracted ? ' (retracted)' : '');
    document.getElementById('heading').textContent = title;
    document.title = title;
    replace('level', C.levelBadge(summary.level));
    [C.changeMarker(summary), C.attentionMarker(summary)].forEach(marker => {
      if (marker) {
        document.getElementById('level').appendChild(marker);
      }
    });
    const current = detail.versions.find(version => version.current);
    document.getElementById('version').textContent = current
      ? 'Version ' + current.version + ' of the response (' + current.status + ')' : String(summary.revision);
    document.getElementById('patient').textContent = detail.patientDisplay
      ? detail.patientDisplay + ' (' + summary.patient + ')' : summary.patient;
    document.getElementById('authored').textContent = C.when(summary.authored);
    document.getElementById('questionnaire').textContent = cited(detail.questionnaire);
    document.getElementById('rules-version').textContent = cited(detail.rules);
    const review = document.getElementById('review');
    review.innerHTML = '';
    if (summary.review) {
      review.appendChild(document.createTextNode('Reviewed by ' + summary.review.by + ', '
        + C.when(summary.review.at) + ' ('));
      review.appendChild(fhirLink(summary.review.task));
      review.appendChild(document.createTextNode(')'));
    } else {
      const reviewedBefore = detail.versions.some(version => version.reviews.length > 0);
      review.textContent = reviewedBefore ? 'Not reviewed as it stands now' : 'Not reviewed yet';
    }
    const mark = document.getElementById('mark-reviewed');
    mark.hidden = !!summary.review;
    mark.disabled = false;
    const approve = document.getElementById('approve');
    approve.hidden = !detail.approval.possible;
    approve.disabled = false;
    const approveHint = document.getElementById('approve-hint');
    approveHint.hidden = !detail.approval.possible;
    approveHint.textContent = 'Approving makes orders of: '
      + detail.approval.awaiting.map(C.order).join('; ') + '.';

    const rules = document.getElementById('rules');
    rules.innerHTML = '';
    detail.explanation.components.forEach(component => {
      const value = component.value === 'Yes' ? 'fired' : component.value;
      rules.appendChild(C.element('li', component.title + ': ' + value));
    });
    if (detail.explanation.components.length === 0) {
      rules.appendChild(C.element('li', 'No rule fired: the lowest level applies.'));
    }
    const notes = document.getElementById('notes');
    notes.innerHTML = '';
    detail.explanation.notes.forEach(note => note.split('\n').forEach(line => {
      if (line.trim()) {
        notes.appendChild(C.element('li', line));
      }
    }));

    renderVersions(detail.versions);
    renderAnswers(detail.answers);

    const orders = document.getElementById('orders');
    orders.innerHTML = '';
    summary.orders.forEach(order => {
      const item = C.element('li');
      item.appendChild(fhirLink(order.reference, order.display));
      item.appendChild(document.createTextNode(' — ' + order.intent + (order.priority ? ', ' + order.priority : '')
        + ', ' + order.status + (order.basedOn ? ', based on ' + order.basedOn : '')));
      orders.appendChild(item);
    });
    if (summary.orders.length === 0) {
      orders.appendChild(C.element('li', 'No orders.'));
    }

    const outputs = document.getElementById('outputs');
    outputs.innerHTML = '';
    detail.outputs.forEach(output => {
      const item = C.element('li');
      item.appendChild(fhirLink(output.reference));
      item.appendChild(document.createTextNode(': ' + output.summary));
      outputs.appendChild(item);
    });

    const deliveries = document.getElementById('deliveries');
    deliveries.innerHTML = '';
    detail.deliveries.forEach(delivery => {
      const tr = C.element('tr');
      tr.dataset.batch = delivery.batch;
      tr.appendChild(C.element('td', BATCHES[delivery.batch] || delivery.batch));
      tr.appendChild(C.element('td', C.delivery(delivery.status)
        + (delivery.deliveryEnabled ? '' : ' (delivery to the EHR is not configured)')));
      tr.appendChild(C.element('td', String(delivery.attempts)));
      tr.appendChild(C.element('td', delivery.lastError
        ? delivery.lastError + (delivery.lastHttpStatus ? ' (HTTP ' + delivery.lastHttpStatus + ')' : '') : ''));
      tr.appendChild(C.element('td', delivery.status === 'pending' ? C.when(delivery.nextAttemptAt) : ''));
      tr.appendChild(C.element('td', C.when(delivery.deliveredAt)));
      deliveries.appendChild(tr);
    });
    document.getElementById('verdict-form').hidden = summary.retracted;
    loadVerdicts().catch(e => showVerdictNotice(e.message));
    document.getElementById('content').hidden = false;
  }

  /** Each version of the response with the result as it then stood: level, orders, reviews. */
  function renderVersions(versions) {
    const body = document.getElementById('versions');
    body.innerHTML = '';
    versions.forEach(version => {
      const tr = C.element('tr');
      tr.dataset.version = String(version.version);
      const which = C.element('td', 'Version ' + version.version + ' (' + version.status + ')');
      if (version.current) {
        which.appendChild(C.element('div', 'Current', 'hint'));
      }
      tr.appendChild(which);
      tr.appendChild(C.element('td', C.when(version.at)));
      const level = C.element('td');
      if (version.level) {
        level.appendChild(C.levelBadge(version.level));
        const result = C.element('div', null, 'hint');
        result.appendChild(document.createTextNode('Result ' + version.resultStatus + ': '));
        result.appendChild(fhirLink(version.result));
        level.appendChild(result);
      }
      tr.appendChild(level);
      const orders = C.element('td');
      if (version.orders.length === 0) {
        orders.textContent = 'None';
      } else {
        const list = orders.appendChild(C.element('ul'));
        version.orders.forEach(order => {
          const item = list.appendChild(C.element('li'));
          item.dataset.order = order.reference;
          item.appendChild(fhirLink(order.reference + '/_history/' + order.version, order.display));
          item.appendChild(document.createTextNode(' (' + order.intent
            + (order.priority ? ', ' + order.priority : '') + '): ' + order.status));
        });
      }
      tr.appendChild(orders);
      tr.appendChild(C.element('td', version.reviews.length === 0 ? 'None'
        : version.reviews.map(r => 'Reviewed by ' + r.by + ', ' + C.when(r.at)).join('; ')));
      // Phones show each version as a stack of labelled cells (see .stacked in pages.css).
      ['Version', 'Stored', 'Level', 'Orders', 'Reviews'].forEach((label, i) => {
        tr.children[i].dataset.label = label;
      });
      body.appendChild(tr);
    });
  }

  const BATCHES = { triage: 'Triage results', approval: 'Approved orders', amendment: 'Amendment' };

  /**
   * Each question and its answer share one row element, so no heading or unanswered item between them can
   * move an answer beside another question; group headings sit between the lists, never inside a row.
   */
  function renderAnswers(items) {
    const answers = document.getElementById('answers');
    answers.innerHTML = '';
    let list = null;
    items.forEach(item => {
      if (item.group) {
        answers.appendChild(C.element('h' + Math.min(3 + item.depth, 6), item.question, 'answer-group'));
        list = null;
        return;
      }
      if (!list) {
        list = answers.appendChild(C.element('dl', null, 'answer-list'));
      }
      const row = list.appendChild(C.element('div', null, 'answer-row'));
      row.dataset.linkId = item.linkId;
      const question = row.appendChild(C.element('dt', item.question));
      question.dataset.linkId = item.linkId;
      const answered = item.answers.length > 0;
      row.appendChild(C.element('dd', answered ? item.answers.join(', ') : 'Not answered',
        answered ? null : 'unanswered'));
    });
  }

  /** A cited artifact: its title and the version cited, with the canonical as given. */
  function cited(artifact) {
    if (!artifact) {
      return 'Not recorded';
    }
    const name = artifact.title || artifact.canonical.split('|')[0];
    const version = artifact.version ? 'version ' + artifact.version : 'no version cited';
    return name + ', ' + version + ' (' + artifact.canonical + ')';
  }

  function fhirLink(reference, text) {
    const link = C.element('a', text || reference);
    link.href = '../fhir/' + reference;
    return link;
  }

  function replace(elementId, child) {
    const target = document.getElementById(elementId);
    target.innerHTML = '';
    target.appendChild(child);
  }
}());
