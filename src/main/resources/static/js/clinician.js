// Shared by the clinician pages: same-origin JSON requests (a session cookie works as is), problem
// details turned into sentences, and small formatting helpers.
(function () {
  'use strict';

  /** Spring Security's cookie CSRF convention, sent back when a sign-in layer sets the cookie. */
  function csrfHeaders() {
    const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
    return match ? { 'X-XSRF-TOKEN': decodeURIComponent(match[1]) } : {};
  }

  async function call(method, path, json) {
    const headers = Object.assign({ Accept: 'application/json' }, method === 'GET' ? {} : csrfHeaders());
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(path, {
      method: method,
      credentials: 'same-origin',
      headers: headers,
      body: json === undefined ? undefined : JSON.stringify(json)
    });
    if (response.status === 401) {
      // The sign-in session has ended: a page load goes through sign-in again and comes back here.
      window.location.assign(window.location.pathname + window.location.search);
      throw new Error('Signing in again');
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = body && (body.detail || body.title);
      throw new Error(detail || ('The server answered ' + response.status));
    }
    return { status: response.status, body: body };
  }

  function element(tag, text, className) {
    const created = document.createElement(tag);
    if (text !== undefined && text !== null) {
      created.textContent = text;
    }
    if (className) {
      created.className = className;
    }
    return created;
  }

  function when(instant) {
    return instant ? new Date(instant).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';
  }

  /** A level badge; rank 4 and above (urgent, immediate) stand out most. */
  function levelBadge(level) {
    const tone = level.rank >= 4 ? 'level-high' : level.rank === 3 ? 'level-mid' : 'level-low';
    const badge = element('span', level.display, 'level ' + tone);
    badge.dataset.level = level.code;
    return badge;
  }

  /**
   * What became of a result since it was first triaged, in words: retracted, or changed from one level to
   * another (by their names, as the badges show them), or amended at the same level; null when neither.
   */
  function change(summary) {
    if (summary.retracted) {
      return 'Retracted (entered in error)';
    }
    if (summary.previousLevel && summary.previousLevel.code !== summary.level.code) {
      return 'Changed from ' + summary.previousLevel.display + ' to ' + summary.level.display;
    }
    if (summary.revision > 1) {
      return 'Amended; the level stays ' + summary.level.display;
    }
    return null;
  }

  /** The change marker of a result, or null; retracted results stand out most. */
  function changeMarker(summary) {
    const text = change(summary);
    if (!text) {
      return null;
    }
    const marker = element('div', text, 'marker ' + (summary.retracted ? 'marker-retracted' : 'marker-changed'));
    marker.dataset.change = summary.retracted ? 'retracted' : 'amended';
    return marker;
  }

  function attentionMarker(summary) {
    if (!summary.attention) {
      return null;
    }
    const marker = element('div', 'Needs attention: ' + summary.attention, 'marker marker-attention');
    marker.dataset.attention = 'true';
    return marker;
  }

  /** An order in words: what, intent and priority, and its status when it no longer stands as written. */
  function order(order) {
    return order.display + ' (' + order.intent + (order.priority ? ', ' + order.priority : '') + ')'
      + (order.status === 'active' ? '' : ': ' + order.status);
  }

  const DELIVERY = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' };

  window.Clinician = {
    get: path => call('GET', path),
    post: (path, json) => call('POST', path, json),
    element: element,
    when: when,
    levelBadge: levelBadge,
    changeMarker: changeMarker,
    attentionMarker: attentionMarker,
    order: order,
    delivery: status => DELIVERY[status] || 'No delivery'
  };
}());
