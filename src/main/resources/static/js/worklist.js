// The worklist: filters and pages are sent to the server, which orders and filters the results.
(function () {
  'use strict';

  const C = window.Clinician;
  const FILTERS = ['level', 'from', 'to', 'reviewed', 'delivery', 'patient'];
  let page = 0;

  document.addEventListener('DOMContentLoaded', async () => {
    const query = new URLSearchParams(window.location.search);
    page = Math.max(0, parseInt(query.get('page') || '0', 10) || 0);
    try {
      const levels = (await C.get('api/levels')).body.levels;
      const select = document.getElementById('level');
      levels.forEach(level => {
        const option = C.element('option', level.display);
        option.value = level.code;
        select.appendChild(option);
      });
    } catch (e) {
      status(e.message);
    }
    FILTERS.forEach(name => { document.getElementById(name).value = query.get(name) || ''; });
    document.getElementById('filters').addEventListener('submit', event => {
      event.preventDefault();
      page = 0;
      load(true);
    });
    document.getElementById('previous').addEventListener('click', () => { page--; load(true); });
    document.getElementById('next').addEventListener('click', () => { page++; load(true); });
    load(false);
    loadRuleFeedback();
  });

  /** The governance figures: per rule and per level, accepted and overridden, and the reasons given. */
  async function loadRuleFeedback() {
    try {
      const figures = (await C.get('api/rule-feedback')).body;
      fillTallies('feedback-rules', figures.rules, 'Rule', 'No verdicts yet.');
      fillTallies('feedback-levels', figures.levels, 'Level', 'No verdicts yet.');
    } catch (e) {
      status(e.message);
    }
  }

  function fillTallies(tableId, tallies, what, none) {
    const body = document.querySelector('#' + tableId + ' tbody');
    body.innerHTML = '';
    if (tallies.length === 0) {
      const tr = body.appendChild(C.element('tr'));
      const td = tr.appendChild(C.element('td', none));
      td.colSpan = 4;
      return;
    }
    tallies.forEach(tally => {
      const tr = C.element('tr');
      tr.dataset.code = tally.code;
      tr.appendChild(C.element('td', tally.display || tally.code));
      tr.appendChild(C.element('td', String(tally.accepted)));
      tr.appendChild(C.element('td', String(tally.overridden)));
      tr.appendChild(C.element('td', tally.reasons.length === 0 ? '—'
        : tally.reasons.map(reason => reason.display + ': ' + reason.count).join('; ')));
      [what, 'Accepted', 'Overridden', 'Reasons for overrides'].forEach((label, i) => {
        tr.children[i].dataset.label = label;
      });
      body.appendChild(tr);
    });
  }

  function status(text) {
    document.getElementById('status').textContent = text;
  }

  async function load(remember) {
    const query = new URLSearchParams();
    FILTERS.forEach(name => {
      const value = document.getElementById(name).value;
      if (value) {
        query.set(name, value);
      }
    });
    if (page > 0) {
      query.set('page', String(page));
    }
    if (remember) {
      history.replaceState(null, '', '?' + query.toString());
    }
    status('Loading…');
    try {
      const result = (await C.get('api/results?' + query.toString())).body;
      render(result);
    } catch (e) {
      document.getElementById('rows').innerHTML = '';
      status(e.message);
    }
  }

  function render(result) {
    const rows = document.getElementById('rows');
    rows.innerHTML = '';
    result.rows.forEach(row => rows.appendChild(line(row)));
    const first = result.total === 0 ? 0 : result.page * result.size + 1;
    const last = result.page * result.size + result.rows.length;
    status(result.total === 0 ? 'No results match these filters.'
      : 'Showing ' + first + '–' + last + ' of ' + result.total + ' results.');
    document.getElementById('page-info').textContent = 'Page ' + (result.page + 1);
    document.getElementById('previous').disabled = result.page === 0;
    document.getElementById('next').disabled = last >= result.total;
  }

  function line(row) {
    const tr = C.element('tr');
    tr.dataset.submission = row.submissionId;
    tr.dataset.level = row.level.code;
    const level = C.element('td');
    const link = C.element('a');
    link.href = 'result.html?id=' + encodeURIComponent(row.submissionId);
    link.appendChild(C.levelBadge(row.level));
    link.setAttribute('aria-label', row.level.display + ', ' + row.patient + ': open the details');
    level.appendChild(link);
    const change = C.changeMarker(row);
    if (change) {
      level.appendChild(change);
    }
    if (row.needsReview) {
      level.appendChild(C.element('div', 'A rule could not be evaluated', 'hint'));
    }
    tr.appendChild(level);
    tr.appendChild(C.element('td', row.patient));
    tr.appendChild(C.element('td', C.when(row.authored)));
    tr.appendChild(list(row.firedRules.map(rule => rule.title), 'None'));
    tr.appendChild(list(row.orders.map(C.order), 'None'));
    tr.appendChild(C.element('td', C.delivery(row.delivery)));
    const review = C.element('td', row.review ? 'Reviewed by ' + row.review.by : 'Not reviewed');
    const attention = C.attentionMarker(row);
    if (attention) {
      review.appendChild(attention);
    }
    tr.appendChild(review);
    return tr;
  }

  function list(items, empty) {
    const td = C.element('td');
    if (items.length === 0) {
      td.textContent = empty;
      return td;
    }
    const ul = C.element('ul');
    items.forEach(item => ul.appendChild(C.element('li', item)));
    td.appendChild(ul);
    return td;
  }
}());
