// One triage result: answers, explanation, outputs and deliveries; mark reviewed and approve.
(function () {
  'use strict';

  const C = window.Clinician;
  const id = new URLSearchParams(window.location.search).get('id') || '';
  const api = 'api/results/' + encodeURIComponent(id);

  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('mark-reviewed').addEventListener('click', () => act('review'));
    document.getElementById('approve').addEventListener('click', () => act('approve'));
    load();
  });

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
    document.getElementById('heading').textContent = 'Triage result: ' + summary.level.display;
    document.title = 'Triage result: ' + summary.level.display;
    replace('level', C.levelBadge(summary.level));
    document.getElementById('patient').textContent = summary.patient;
    document.getElementById('authored').textContent = C.when(summary.authored);
    document.getElementById('questionnaire').textContent = detail.questionnaire;
    const review = document.getElementById('review');
    review.innerHTML = '';
    if (summary.review) {
      review.appendChild(document.createTextNode('Reviewed by ' + summary.review.by + ', '
        + C.when(summary.review.at) + ' ('));
      review.appendChild(fhirLink(summary.review.task));
      review.appendChild(document.createTextNode(')'));
    } else {
      review.textContent = 'Not reviewed yet';
    }
    const mark = document.getElementById('mark-reviewed');
    mark.hidden = !!summary.review;
    mark.disabled = false;
    const approve = document.getElementById('approve');
    approve.hidden = !detail.approval.possible;
    approve.disabled = false;

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
        notes.appendChild(C.element('p', line));
      }
    }));

    const answers = document.getElementById('answers');
    answers.innerHTML = '';
    detail.answers.forEach(answer => {
      if (answer.group) {
        const heading = C.element('dt', answer.question);
        heading.className = 'group';
        answers.appendChild(heading);
        answers.appendChild(C.element('dd', ''));
        return;
      }
      const question = C.element('dt', answer.question);
      question.dataset.linkId = answer.linkId;
      answers.appendChild(question);
      answers.appendChild(C.element('dd', answer.answers.join(', ')));
    });

    const orders = document.getElementById('orders');
    orders.innerHTML = '';
    summary.orders.forEach(order => {
      const item = C.element('li');
      item.appendChild(fhirLink(order.reference, order.display));
      item.appendChild(document.createTextNode(' — ' + order.intent + (order.priority ? ', ' + order.priority : '')
        + (order.basedOn ? ', based on ' + order.basedOn : '')));
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
      tr.appendChild(C.element('td', delivery.batch === 'approval' ? 'Approved orders' : 'Triage results'));
      tr.appendChild(C.element('td', C.delivery(delivery.status)
        + (delivery.deliveryEnabled ? '' : ' (delivery to the EHR is not configured)')));
      tr.appendChild(C.element('td', String(delivery.attempts)));
      tr.appendChild(C.element('td', delivery.lastError
        ? delivery.lastError + (delivery.lastHttpStatus ? ' (HTTP ' + delivery.lastHttpStatus + ')' : '') : ''));
      tr.appendChild(C.element('td', delivery.status === 'pending' ? C.when(delivery.nextAttemptAt) : ''));
      tr.appendChild(C.element('td', C.when(delivery.deliveredAt)));
      deliveries.appendChild(tr);
    });
    document.getElementById('content').hidden = false;
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
