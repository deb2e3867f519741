/* global Chart, document, window, fetch, sessionStorage, URL, URLSearchParams, location, history, setTimeout, clearTimeout */
// The operator page: reads the operator API with the admin token (kept in this tab's sessionStorage, or taken from
// the URL fragment #token=… and removed from the address bar) and draws sync state and campaign results with
// chart.js. No build step: plain browser JavaScript next to chart.js's UMD file.
'use strict';

(function operatorPage() {
  const TOKEN_KEY = 'msb-admin-token';
  const charts = {};
  const $ = (id) => document.getElementById(id);
  const query = new URLSearchParams(location.search);
  const shop = query.get('shop');

  function takeTokenFromFragment() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    const token = fragment.get('token');
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
      history.replaceState(null, '', location.pathname + location.search);
    }
  }

  /** Calls the operator API; resolves to the answer's body and headers, or throws with the problem's detail. */
  async function call(path, init = {}) {
    const url = new URL(path, location.origin);
    if (shop) url.searchParams.set('shop', shop);
    const response = await fetch(url, {
      ...init,
      headers: {authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}`, ...init.headers},
    });
    const body = await response.json().catch(() => ({}));
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      throw new Error('The admin token was refused.');
    }
    if (!response.ok) {
      const fields = (body.errors || []).map((e) => `\n${e.field}: ${e.message}`).join('');
      throw new Error(`${path}: ${body.detail || response.status}${fields}`);
    }
    return {body, headers: response.headers};
  }

  const api = async (path) => (await call(path)).body;

  function showAlert(message) {
    const el = $('alert');
    el.textContent = message;
    el.hidden = !message;
  }

  function cell(row, text, numeric) {
    const td = document.createElement('td');
    td.textContent = text;
    if (numeric) td.className = 'num';
    row.appendChild(td);
  }

  // Counts have no fractions: whole-number ticks (chart.js would otherwise label a small axis 0, 0.5, 1, …).
  const COUNT_AXIS = {beginAtZero: true, ticks: {precision: 0}};

  /** Nothing to draw: no labels, or every value zero or missing (an empty doughnut draws nothing at all). */
  function isEmpty(data) {
    return data.labels.length === 0 || data.datasets.every((d) => d.data.every((v) => !Number(v)));
  }

  function drawChart(id, config) {
    if (charts[id]) charts[id].destroy();
    charts[id] = new Chart($(id), {
      ...config,
      options: {animation: false, responsive: true, maintainAspectRatio: false, ...config.options},
    });
    // The chart is drawn anyway (axes, legend, title); the card says in words that there is nothing in it yet.
    $(`${id}-empty`).hidden = !isEmpty(config.data);
  }

  const STATUS_COLOURS = {synced: '#16a34a', pending: '#2563eb', retry: '#f59e0b', dead: '#dc2626', skipped: '#9ca3af'};
  const percent = (rate) => `${(rate * 100).toFixed(1)} %`;

  function money(amount, currency) {
    try {
      return new Intl.NumberFormat('en', {style: 'currency', currency: currency || 'USD'}).format(Number(amount));
    } catch {
      return amount;
    }
  }

  function renderSync(status, webhook) {
    const types = Object.keys(status.entities).sort();
    const statuses = [...new Set(types.flatMap((t) => Object.keys(status.entities[t])))].sort();
    const head = $('sync-table').tHead;
    head.innerHTML = '';
    const hr = head.insertRow();
    for (const label of ['Entity', ...statuses]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = label;
      if (label !== 'Entity') th.className = 'num';
      hr.appendChild(th);
    }
    const body = $('sync-table').tBodies[0];
    body.innerHTML = '';
    for (const type of types) {
      const row = body.insertRow();
      cell(row, type);
      for (const s of statuses) cell(row, String(status.entities[type][s] || 0), true);
    }
    const inbox =
      Object.entries(status.inbox)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ') || 'empty';
    $('inbox').textContent = `Inbox: ${inbox}. Oldest pending record: ${status.oldestPending || 'none'}.`;
    $('webhook').textContent =
      `Mailchimp list webhook: ${webhook.status}${webhook.last_checked_at ? `, checked ${webhook.last_checked_at}` : ''}${webhook.last_error ? ` (${webhook.last_error})` : ''}.`;
    drawChart('sync-chart', {
      type: 'bar',
      data: {
        labels: types,
        datasets: statuses.map((s) => ({
          label: s,
          data: types.map((t) => status.entities[t][s] || 0),
          backgroundColor: STATUS_COLOURS[s] || '#6b7280',
        })),
      },
      options: {
        scales: {x: {stacked: true}, y: {...COUNT_AXIS, stacked: true}},
        plugins: {title: {display: true, text: 'Records by state'}},
      },
    });
  }

  function renderCampaigns(campaigns) {
    const body = $('campaign-table').tBodies[0];
    body.innerHTML = '';
    for (const c of campaigns) {
      const r = c.report;
      const row = body.insertRow();
      cell(row, c.title || c.subject_line || c.id);
      cell(row, c.status);
      cell(row, r ? String(r.emails_sent) : '–', true);
      cell(row, r ? `${r.opens.unique} (${percent(r.opens.rate)})` : '–', true);
      cell(row, r ? `${r.clicks.unique} (${percent(r.clicks.rate)})` : '–', true);
      cell(row, r ? String(r.unsubscribed) : '–', true);
      cell(row, r ? String(r.bounces.hard + r.bounces.soft) : '–', true);
      cell(row, r ? String(r.ecommerce.orders) : '–', true);
      cell(row, r ? money(r.ecommerce.revenue, r.ecommerce.currency) : '–', true);
    }
    const reported = campaigns.filter((c) => c.report);
    const labels = reported.map((c) => c.title || c.id);
    drawChart('campaign-chart', {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {label: 'Sent', data: reported.map((c) => c.report.emails_sent), backgroundColor: '#93c5fd'},
          {label: 'Unique opens', data: reported.map((c) => c.report.opens.unique), backgroundColor: '#2563eb'},
          {label: 'Unique clicks', data: reported.map((c) => c.report.clicks.unique), backgroundColor: '#16a34a'},
          {label: 'Unsubscribed', data: reported.map((c) => c.report.unsubscribed), backgroundColor: '#dc2626'},
        ],
      },
      options: {scales: {y: COUNT_AXIS}, plugins: {title: {display: true, text: 'Engagement per campaign'}}},
    });
    drawChart('revenue-chart', {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            label: 'Attributed revenue',
            data: reported.map((c) => Number(c.report.ecommerce.revenue)),
            backgroundColor: '#7c3aed',
          },
        ],
      },
      options: {
        indexAxis: 'y',
        scales: {x: {beginAtZero: true}},
        plugins: {title: {display: true, text: 'E-commerce revenue per campaign'}},
      },
    });
  }

  function renderAudience(audience) {
    const latest = audience.latest;
    drawChart('audience-chart', {
      type: 'doughnut',
      data: {
        labels: ['Subscribed', 'Unsubscribed', 'Cleaned'],
        datasets: [
          {
            data: latest ? [latest.member_count, latest.unsubscribe_count, latest.cleaned_count] : [0, 0, 0],
            backgroundColor: ['#16a34a', '#f59e0b', '#dc2626'],
          },
        ],
      },
      options: {
        plugins: {
          title: {
            display: true,
            text: latest ? `Contacts by status (${latest.fetched_at})` : 'No audience snapshot yet',
          },
        },
      },
    });
    drawChart('growth-chart', {
      type: 'line',
      data: {
        labels: audience.growth.map((g) => g.at.slice(0, 16).replace('T', ' ')),
        datasets: [
          {
            label: 'Subscribed',
            data: audience.growth.map((g) => g.subscribed),
            borderColor: '#16a34a',
            backgroundColor: '#16a34a',
          },
          {
            label: 'Unsubscribed',
            data: audience.growth.map((g) => g.unsubscribed),
            borderColor: '#f59e0b',
            backgroundColor: '#f59e0b',
          },
        ],
      },
      options: {scales: {y: COUNT_AXIS}, plugins: {title: {display: true, text: 'Audience growth'}}},
    });
  }

  function renderSegments(segments) {
    const body = $('segment-table').tBodies[0];
    body.innerHTML = '';
    for (const s of segments) {
      const row = body.insertRow();
      cell(row, s.name);
      cell(row, s.match);
      cell(row, s.conditions.map((c) => c.type).join(', '));
      cell(row, s.preview ? String(s.preview.local_count) : '–', true);
      cell(row, s.preview && s.preview.mailchimp_count !== null ? String(s.preview.mailchimp_count) : '–', true);
      cell(row, s.preview ? s.preview.counted_at : '–');
    }
  }

  async function load(refresh) {
    document.body.dataset.state = 'loading';
    showAlert('');
    const r = refresh ? '?refresh=1' : '';
    try {
      const [status, webhook, campaigns, audience, segments] = await Promise.all([
        api('/v1/sync/status'),
        api('/v1/mailchimp/webhook'),
        api(`/v1/campaigns${r}`),
        api(`/v1/audience/stats${r}`),
        api('/v1/segments'),
      ]);
      renderSync(status, webhook);
      renderCampaigns(campaigns.campaigns);
      renderAudience(audience);
      renderSegments(segments.segments);
      fillSegments(segments.segments);
      document.body.dataset.state = 'ready';
    } catch (err) {
      showAlert(err.message);
      document.body.dataset.state = 'error';
      if (!sessionStorage.getItem(TOKEN_KEY)) showLogin();
    }
  }

  // The backfill: the page polls its runs; when one finishes while the page is open, the audience has new members
  // in Mailchimp, so the audience charts are pulled again (a stored snapshot would still show the old audience).
  const BACKFILL_POLL_MS = 2000;
  const backfillSeen = new Map();
  let backfillPolled = false;
  let backfillTimer;

  function describeRun(run) {
    if (!run) return 'Backfill: none has run yet.';
    if (run.status === 'running') return `Backfill ${run.id}: running, phase ${run.phase}.`;
    return `Backfill ${run.id}: ${run.status}${run.finishedAt ? ` at ${run.finishedAt}` : ''}${run.error ? ` (${run.error})` : ''}.`;
  }

  async function pollBackfill() {
    try {
      const {runs} = await api('/v1/backfill');
      const newest = runs[0];
      $('backfill').textContent = describeRun(newest);
      $('backfill').dataset.status = newest ? newest.status : 'none';
      const finishedNow =
        backfillPolled && newest && newest.status === 'completed' && backfillSeen.get(newest.id) !== 'completed';
      for (const run of runs) backfillSeen.set(run.id, run.status);
      backfillPolled = true;
      if (finishedNow) renderAudience(await api('/v1/audience/stats?refresh=1'));
    } catch (err) {
      showAlert(err.message);
    }
  }

  function startBackfillPolling() {
    clearTimeout(backfillTimer);
    const tick = async () => {
      await pollBackfill();
      if (sessionStorage.getItem(TOKEN_KEY)) backfillTimer = setTimeout(tick, BACKFILL_POLL_MS);
    };
    void tick();
  }

  // Promo sends: the form keeps its idempotency key until "New key", so sending it again (a double click, a retry
  // after a network error) replays the first answer; the API marks that with Idempotent-Replayed and the page says so.
  function newPromoKey() {
    $('promo-form').elements.key.value = `page-${window.crypto.randomUUID()}`;
  }

  function fillSegments(segments) {
    const select = $('promo-form').elements.segment_id;
    const chosen = select.value;
    select.innerHTML = '';
    for (const s of segments) {
      const option = document.createElement('option');
      option.value = String(s.id);
      option.textContent = s.name;
      select.appendChild(option);
    }
    if (chosen) select.value = chosen;
  }

  function promoResult(outcome, text) {
    const el = $('promo-result');
    el.dataset.outcome = outcome;
    el.textContent = text;
  }

  async function sendPromo(form) {
    const f = form.elements;
    const key = f.key.value.trim();
    promoResult('sending', 'Sending…');
    try {
      const {body, headers} = await call('/v1/promo-sends', {
        method: 'POST',
        headers: {'content-type': 'application/json', 'idempotency-key': key},
        body: JSON.stringify({
          segment_id: Number(f.segment_id.value),
          code: f.code.value.trim(),
          discount: {type: f.discount_type.value, amount: Number(f.discount_amount.value)},
          subject: f.subject.value,
          from_name: f.from_name.value,
          reply_to: f.reply_to.value.trim(),
        }),
      });
      const campaign = body.campaign ? `campaign ${body.campaign.id} (${body.campaign.status})` : 'the promo';
      if (headers.get('idempotent-replayed') === 'true') {
        promoResult(
          'replayed',
          `Replayed: key ${key} was used before. This is the result of that earlier send (${campaign}); nothing was sent again. Use "New key" for another send.`,
        );
      } else {
        promoResult('sent', `Sent: ${campaign}, code ${body.promo_code ? body.promo_code.code : f.code.value}.`);
      }
    } catch (err) {
      promoResult('error', err.message);
    }
  }

  $('promo-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void sendPromo(event.target);
  });
  $('promo-new-key').addEventListener('click', () => {
    newPromoKey();
    promoResult('', '');
  });
  newPromoKey();

  function showLogin() {
    clearTimeout(backfillTimer);
    $('login').hidden = false;
    $('dashboard').hidden = true;
    $('refresh').disabled = true;
    $('forget').hidden = true;
    document.body.dataset.state = 'login';
  }

  function showDashboard() {
    $('login').hidden = true;
    $('dashboard').hidden = false;
    $('refresh').disabled = false;
    $('forget').hidden = false;
    startBackfillPolling();
    return load(false);
  }

  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    void showDashboard();
  });
  $('refresh').addEventListener('click', () => void load(true));
  $('forget').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin();
  });

  takeTokenFromFragment();
  if (sessionStorage.getItem(TOKEN_KEY)) void showDashboard();
  else showLogin();
  window.operatorPage = {reload: () => load(false)};
})();
