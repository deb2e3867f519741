/* global document, window, fetch, location, URLSearchParams */
// The shop's page: reads and changes the merchant's own shop through /app/api/* with the session cookie (set by the
// Shopify install). No build step: plain browser JavaScript. Without a session it shows the install form.
'use strict';

(function merchantPage() {
  const $ = (id) => document.getElementById(id);
  const PHASE_LABELS = {
    store_syncing_on: 'Prepare the Mailchimp store',
    products: 'Products',
    customers: 'Customers',
    promos: 'Discount codes',
    orders: 'Orders',
    verify: 'Compare with Mailchimp',
    members: 'Subscribers and tags',
    store_syncing_off: 'Open the store for automations',
    carts: 'Abandoned carts',
    done: 'Done',
  };
  let shop = null;
  let audiencesLoaded = false;
  let polling = null;
  let lastAnnounced = '';
  /** The run last shown: once one completed, the button starts a resync. */
  let latestRun = null;

  class Unauthorized extends Error {}

  async function api(path, options = {}) {
    const init = {credentials: 'same-origin', headers: {accept: 'application/json'}};
    if (options.body !== undefined) {
      init.method = 'POST';
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(path, init);
    const body = await response.json().catch(() => ({}));
    if (response.status === 401) throw new Unauthorized(body.detail || 'No session.');
    if (!response.ok) {
      const error = new Error(body.detail || `${path} answered ${response.status}`);
      error.status = response.status;
      error.errors = body.errors;
      throw error;
    }
    return body;
  }

  function showAlert(message) {
    const el = $('alert');
    el.textContent = message || '';
    el.hidden = !message;
  }

  function anonymous() {
    document.body.dataset.state = 'anonymous';
    $('app').hidden = true;
    $('install').hidden = false;
    const hint = new URLSearchParams(location.search).get('shop');
    if (hint) $('install-shop').value = hint;
  }

  function failed(err) {
    if (err instanceof Unauthorized) return anonymous();
    showAlert(err.message);
  }

  function text(id, value) {
    $(id).textContent = value;
  }

  function renderShop(view) {
    shop = view;
    document.body.dataset.state = 'ready';
    $('install').hidden = true;
    $('app').hidden = false;
    text('shop-name', view.shop);
    $('uninstalled').hidden = view.status !== 'uninstalled';

    const mc = view.mailchimp;
    const connected = mc.status === 'connected';
    $('reconnect').hidden = mc.status !== 'reconnect_needed';
    text('reconnect-detail', mc.detail || '');
    text(
      'mailchimp-state',
      connected
        ? `Connected to the Mailchimp account ${mc.account_name || ''}.`.replace(' .', '.')
        : mc.status === 'reconnect_needed'
          ? `The account ${mc.account_name || ''} must be connected again.`.replace('  ', ' ')
          : 'Not connected yet.',
    );
    $('oauth').hidden = !mc.oauth_available;
    text('connect-link', connected ? 'Connect another Mailchimp account' : 'Connect Mailchimp');
    $('key-box').open = !connected && !mc.oauth_available;

    // Audience and options.
    $('audience-needs').hidden = connected;
    $('setup-form').hidden = !connected;
    const locked = view.store.created;
    $('audience-locked').hidden = !locked;
    for (const el of $('audience-choice').querySelectorAll('input, select')) el.disabled = locked;
    if (view.audience) $('double-opt-in').checked = view.audience.double_opt_in;
    if (document.activeElement !== $('tag-prefix')) $('tag-prefix').value = view.tag_prefix || '';
    if (connected && !audiencesLoaded) loadAudiences().catch(failed);

    $('start-sync').disabled = !view.syncable;

    // Live state.
    text('q-pending', String(view.sync.pending));
    text('q-retry', String(view.sync.retry));
    text('q-synced', String(view.sync.synced));
    text('q-dead', String(view.sync.dead));
    text(
      'store-state',
      view.store.created
        ? `${view.store.name} (${view.store.currency || 'currency not known yet'})`
        : 'Not created yet: the initial sync creates it.',
    );
    const hooks = view.webhooks;
    text(
      'webhooks-state',
      !hooks
        ? 'Not checked yet.'
        : hooks.missing.length === 0
          ? `${hooks.subscribed.length} topics subscribed (checked ${new Date(hooks.checked_at).toLocaleString()}).`
          : `${hooks.missing.length} topics missing${hooks.error ? `: ${hooks.error}` : ''}; they are repaired at the next check.`,
    );
  }

  async function loadAudiences() {
    const {audiences} = await api('/app/api/audiences');
    audiencesLoaded = true;
    const select = $('list');
    select.replaceChildren();
    for (const list of audiences) {
      const option = document.createElement('option');
      option.value = list.id;
      const members = `${list.member_count} ${list.member_count === 1 ? 'member' : 'members'}`;
      option.textContent = `${list.name} (${members})`;
      select.appendChild(option);
    }
    if (audiences.length === 0) {
      $('mode-new').checked = true;
      $('mode-existing').disabled = true;
    }
    if (shop && shop.audience) select.value = shop.audience.list_id;
  }

  async function loadShop() {
    renderShop(await api('/app/api/shop'));
  }

  function cell(row, value, numeric) {
    const td = document.createElement('td');
    td.textContent = value;
    if (numeric) td.className = 'num';
    row.appendChild(td);
  }

  function phaseState(run, phase, progress) {
    if (progress && progress.finishedAt) return 'done';
    if (run.phase === phase) return run.status === 'running' ? 'running' : run.status;
    return progress ? 'started' : 'waiting';
  }

  function renderRun(body) {
    const run = body.run;
    latestRun = run;
    const tbody = $('phases').querySelector('tbody');
    tbody.replaceChildren();
    $('phases').hidden = !run;
    if (!run) {
      text('sync-summary', shop && shop.syncable ? 'Not started yet.' : 'Choose an audience first.');
      return;
    }
    for (const phase of body.phases) {
      if (phase === 'done') continue;
      const progress = run.progress[phase];
      const state = phaseState(run, phase, progress);
      const row = document.createElement('tr');
      row.dataset.state = state;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = PHASE_LABELS[phase] || phase;
      row.appendChild(th);
      cell(row, state);
      const total = progress && progress.total !== undefined ? ` / ${progress.total}` : '';
      cell(row, progress ? `${progress.read}${total}` : '–', true);
      cell(row, progress ? String(progress.sent + progress.handedToLive) : '–', true);
      tbody.appendChild(row);
    }
    let summary;
    // A start that found the initial sync done answers with it and says so (already_completed, detail).
    if (body.already_completed) summary = body.detail;
    else if (run.status === 'completed' && run.kind === 'resync')
      summary = 'Resync finished: what differed in Mailchimp was sent again. New changes follow live.';
    else if (run.status === 'completed') summary = 'Initial sync finished. New changes now follow live.';
    else if (run.status === 'running') summary = `Initial sync running: ${PHASE_LABELS[run.phase] || run.phase}…`;
    else if (run.status === 'failed')
      summary = `Initial sync stopped: ${run.error || 'an error'}. Start it again to continue.`;
    else summary = `Initial sync ${run.status}.`;
    // The live region is only rewritten when the sentence changes, so a screen reader hears each phase once.
    if (summary !== lastAnnounced) {
      text('sync-summary', summary);
      lastAnnounced = summary;
    }
    $('start-sync').disabled = run.status === 'running' || !(shop && shop.syncable);
    // Once done, the initial sync is not run again: the button offers the resync (reads, sends only what differs).
    text('start-sync', run.status === 'completed' ? 'Resync: send what differs in Mailchimp' : 'Start initial sync');
  }

  async function loadRun() {
    const body = await api('/app/api/backfill');
    renderRun(body);
    return body.run;
  }

  function pollRun() {
    if (polling) return;
    const tick = async () => {
      try {
        const run = await loadRun();
        if (run && run.status === 'running') {
          polling = window.setTimeout(tick, 1000);
          return;
        }
        polling = null;
        await loadShop();
      } catch (err) {
        polling = null;
        failed(err);
      }
    };
    polling = window.setTimeout(tick, 500);
  }

  $('setup-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    showAlert('');
    const body = {double_opt_in: $('double-opt-in').checked, tag_prefix: $('tag-prefix').value.trim()};
    if (!(shop && shop.store.created)) {
      if ($('mode-new').checked) {
        const name = $('new-name').value.trim();
        body.create_list = name ? {name} : {};
      } else if ($('list').value) {
        body.list_id = $('list').value;
      }
    }
    $('save').disabled = true;
    text('setup-status', 'Saving…');
    try {
      renderShop(await api('/app/api/setup', {body}));
      if (body.create_list) {
        audiencesLoaded = false;
        await loadAudiences();
        $('mode-existing').checked = true;
        $('mode-existing').disabled = false;
      }
      text('setup-status', 'Saved.');
      await loadRun();
    } catch (err) {
      text('setup-status', '');
      failed(err);
    } finally {
      $('save').disabled = false;
    }
  });

  $('start-sync').addEventListener('click', async () => {
    showAlert('');
    $('start-sync').disabled = true;
    try {
      const kind = latestRun && latestRun.status === 'completed' ? 'resync' : 'backfill';
      renderRun(await api('/app/api/backfill', {body: {kind}}));
      pollRun();
    } catch (err) {
      if (err.status === 409) pollRun();
      failed(err);
    }
  });

  $('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    showAlert('');
    try {
      await api('/app/api/mailchimp/api-key', {body: {api_key: $('api-key').value.trim()}});
      $('api-key').value = '';
      audiencesLoaded = false;
      await loadShop();
    } catch (err) {
      failed(err);
    }
  });

  async function start() {
    document.body.dataset.state = 'loading';
    $('install').hidden = true;
    try {
      await loadShop();
      const run = await loadRun();
      if (run && run.status === 'running') pollRun();
      // The live state follows on its own (queue counts, webhooks, a reconnect needed).
      window.setInterval(() => {
        if (document.visibilityState === 'visible' && shop) loadShop().catch(failed);
      }, 10_000);
    } catch (err) {
      failed(err);
    }
  }

  start();
})();
