// The chromatic dashboard page: the robot's live feed (server-sent events) into fixed-size ring
// buffers and uPlot charts, the event log capped at the server's length, and the command buttons,
// the space bar (E-stop) and a gamepad. Nothing here grows with the length of a run.
(function () {
  'use strict';

  var meta = function (name) { return document.querySelector('meta[name="' + name + '"]').content; };
  var CSRF = meta('csrf');
  var readOnly = meta('read-only') === 'true';
  var CAPACITY = 600;          // points per plot: 30 s at 20 Hz
  var MAX_SERIES = 16;         // action and motor series drawn at most
  var EVENT_CAP = 200;         // replaced by the server's event-log length
  var LATENCY_CAP = 64;
  var $ = function (id) { return document.getElementById(id); };

  /** Columns of doubles with a fixed capacity: x plus n series; oldest points shift out. */
  function Ring(series, capacity) {
    this.capacity = capacity;
    this.length = 0;
    this.cols = [];
    for (var i = 0; i <= series; i++) { this.cols.push(new Float64Array(capacity)); }
    this.views = this.cols.map(function (c) { return c.subarray(0, 0); });
  }
  Ring.prototype.push = function (x, values) {
    var cols = this.cols, n = cols.length, i;
    if (this.length === this.capacity) {
      for (i = 0; i < n; i++) { cols[i].copyWithin(0, 1); }
    } else {
      this.length++;
    }
    var at = this.length - 1;
    cols[0][at] = x;
    for (i = 1; i < n; i++) {
      var v = values[i - 1];
      cols[i][at] = (v === null || v === undefined) ? NaN : v;
    }
    if (this.length < this.capacity) {
      for (i = 0; i < n; i++) { this.views[i] = cols[i].subarray(0, this.length); }
    } else if (this.views[0] !== cols[0]) {
      for (i = 0; i < n; i++) { this.views[i] = cols[i]; }
    }
  };

  var palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
    '#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#3182bd'];

  function makePlot(id, labels) {
    var series = [{ label: 'robot clock (s)' }];
    for (var i = 0; i < labels.length; i++) {
      series.push({ label: labels[i], stroke: palette[i % palette.length], width: 1.2, points: { show: false } });
    }
    var el = $(id);
    var ring = new Ring(labels.length, CAPACITY);
    var plot = new uPlot({
      width: Math.max(300, el.clientWidth || 600), height: 150, series: series,
      scales: { x: { time: false } }, legend: { live: false }, cursor: { show: false },
      axes: [{ size: 30 }, { size: 50 }]
    }, ring.views, el);
    return { plot: plot, ring: ring, values: new Array(labels.length), dirty: false };
  }

  var plots = {};
  var actionKeys = null, motorKeys = null;
  var dash = window.dashboard = {
    samples: 0,
    latenciesMs: [],
    lastState: null,
    plotPoints: function () { return plots.attitude ? plots.attitude.ring.length : 0; },
    plotsDrawn: 0
  };

  function keysLike(sample, prefix) {
    var keys = [];
    for (var i = 0; i < MAX_SERIES; i++) {
      if (!(prefix + i in sample)) { break; }
      keys.push(prefix + i);
    }
    return keys;
  }

  function ensurePlots(s) {
    if (plots.attitude) { return; }
    actionKeys = keysLike(s, 'action_');
    motorKeys = keysLike(s, 'motor_target_rad_');
    plots.attitude = makePlot('plot-attitude', ['roll', 'pitch']);
    plots.rates = makePlot('plot-rates', ['roll rate', 'pitch rate']);
    plots.motors = makePlot('plot-motors', motorKeys.map(function (k) { return k.replace('motor_target_rad_', 'm'); }));
    plots.action = makePlot('plot-action', actionKeys.map(function (k) { return k.replace('action_', 'a'); }));
    plots.timing = makePlot('plot-timing', ['lateness', 'cycle']);
  }

  function pushPlot(p, x) {
    p.ring.push(x, p.values);
    p.dirty = true;
  }

  var prevCycle = -1, prevTs = 0, loopRateHz = NaN;
  var latest = null;
  function onTelemetry(s) {
    ensurePlots(s);
    var x = s.timestamp;
    if (typeof x !== 'number') { return; }
    var a = plots.attitude.values; a[0] = s.roll_rad; a[1] = s.pitch_rad; pushPlot(plots.attitude, x);
    var r = plots.rates.values; r[0] = s.roll_rate_rad_s; r[1] = s.pitch_rate_rad_s; pushPlot(plots.rates, x);
    var m = plots.motors.values, i;
    for (i = 0; i < motorKeys.length; i++) { m[i] = s[motorKeys[i]]; }
    pushPlot(plots.motors, x);
    var act = plots.action.values;
    for (i = 0; i < actionKeys.length; i++) { act[i] = s[actionKeys[i]]; }
    pushPlot(plots.action, x);
    var t = plots.timing.values; t[0] = s.lateness_us; t[1] = s.cycle_us; pushPlot(plots.timing, x);
    if (prevCycle >= 0 && x > prevTs && s.cycle > prevCycle) {
      loopRateHz = (s.cycle - prevCycle) / (x - prevTs);
    }
    prevCycle = s.cycle; prevTs = x;
    dash.samples++;
    latest = s;
    scheduleDraw();
  }

  function fmt(v, digits) {
    return (typeof v === 'number' && isFinite(v)) ? v.toFixed(digits) : '-';
  }
  function setText(id, text) {
    var el = $(id);
    if (el.textContent !== text) { el.textContent = text; }
  }

  var drawScheduled = false;
  function scheduleDraw() {
    if (!drawScheduled) { drawScheduled = true; requestAnimationFrame(draw); }
  }
  function draw() {
    drawScheduled = false;
    for (var k in plots) {
      var p = plots[k];
      if (p.dirty) { p.plot.setData(p.ring.views); p.dirty = false; }
    }
    dash.plotsDrawn++;
    if (latest) {
      var s = latest;
      setText('roll', fmt(s.roll_rad, 4)); setText('pitch', fmt(s.pitch_rad, 4));
      setText('roll-rate', fmt(s.roll_rate_rad_s, 3)); setText('pitch-rate', fmt(s.pitch_rate_rad_s, 3));
      setText('loop-rate', fmt(loopRateHz, 1));
      setText('lateness', fmt(s.lateness_us, 1)); setText('cycle', fmt(s.cycle_us, 1));
      setText('overruns', String(s.overruns)); setText('robot-dropped', String(s.samples_dropped));
      setText('samples', String(dash.samples));
    }
  }

  function slotText(slot) {
    if (!slot) { return '-'; }
    return (slot.slot !== undefined ? slot.slot + ': ' : '') + 'v' + slot.version + ' ' + String(slot.sha256).slice(0, 16);
  }

  function onState(st) {
    dash.lastState = st;
    var badge = $('state');
    var name = st.online === false ? 'offline' : (st.state || 'unknown');
    badge.textContent = name;
    badge.className = 'badge ' + name;
    setText('safe-reason', st.safe_reason || (st.state === 'safe' ? '?' : '-'));
    setText('phase', st.phase || '-');
    setText('online', st.online ? 'online' : 'offline');
    setText('policy-sha', st.policy_sha256 || 'none');
    $('policy-sha').title = st.policy_sha256 || '';
    setText('policy-version', st.policy_version === null || st.policy_version === undefined ? '-' : String(st.policy_version));
    setText('rate-set', fmt(st.rate_hz, 1));
    setText('last-seq', st.last_seq === undefined ? '-' : String(st.last_seq));
    var store = st.policy_store || {};
    setText('slot-active', slotText(store.active));
    setText('slot-previous', slotText(store.previous));
    setText('slot-pending', slotText(store.pending));
    setText('installed-version', store.installed_version === undefined ? '-' : String(store.installed_version));
    var v = store.last_verdict;
    setText('last-verdict', v === undefined || v === null ? '-' : (typeof v === 'object' ? JSON.stringify(v) : String(v)));
    setText('health-window', store.health_window_open === undefined ? '-' : (store.health_window_open ? 'open' : 'closed'));
  }

  var streamOpenedMs = 0;
  function onEvent(ev) {
    var now = Date.now();
    if (typeof ev.time_ms === 'number' && ev.received_ms >= streamOpenedMs) {
      var lat = now - ev.time_ms;
      dash.latenciesMs.push(lat);
      if (dash.latenciesMs.length > LATENCY_CAP) { dash.latenciesMs.shift(); }
      setText('event-latency', String(lat));
    }
    var list = $('events');
    var li = document.createElement('li');
    li.className = String(ev.event);
    var when = new Date(typeof ev.time_ms === 'number' ? ev.time_ms : ev.received_ms || now);
    var text = when.toISOString().slice(11, 23) + '  ' + ev.event;
    for (var k in ev) {
      if (k !== 'event' && k !== 'time_ms' && k !== 'received_ms' && k !== 'time_ns' && ev[k] !== null) {
        text += '  ' + k + '=' + (typeof ev[k] === 'object' ? JSON.stringify(ev[k]) : ev[k]);
      }
    }
    li.textContent = text;
    list.insertBefore(li, list.firstChild);
    while (list.childElementCount > EVENT_CAP) { list.removeChild(list.lastChild); }
  }

  function onStats(st) {
    setText('tel-received', String(st.telemetry_received));
    setText('tel-missed', String(st.telemetry_missed));
    setText('page-dropped', String(st.page_dropped));
    setText('heartbeats', String(st.heartbeats_sent));
  }

  function parse(e) {
    try { return JSON.parse(e.data); } catch (x) { return null; }
  }
  function connect() {
    var source = new EventSource('/events');
    source.addEventListener('open', function () { streamOpenedMs = Date.now(); });
    source.addEventListener('hello', function (e) {
      var h = parse(e);
      if (!h) { return; }
      EVENT_CAP = h.event_log; setText('event-cap', String(EVENT_CAP));
      readOnly = h.read_only; applyReadOnly();
    });
    source.addEventListener('link', function (e) {
      var l = parse(e);
      if (l) { setText('link', l.connected ? 'connected' : 'disconnected'); }
    });
    source.addEventListener('state', function (e) { var s = parse(e); if (s) { onState(s); } });
    source.addEventListener('telemetry', function (e) { var s = parse(e); if (s) { onTelemetry(s); } });
    source.addEventListener('event', function (e) { var s = parse(e); if (s) { onEvent(s); } });
    source.addEventListener('stats', function (e) { var s = parse(e); if (s) { onStats(s); } });
    source.addEventListener('error', function () { setText('link', 'dashboard unreachable, retrying'); });
  }

  function applyReadOnly() {
    ['btn-arm', 'btn-disarm', 'btn-reset'].forEach(function (id) {
      $(id).disabled = readOnly;
      $(id).title = readOnly ? 'read-only: the dashboard was started without --key' : '';
    });
  }

  function send(cmd) {
    var out = $('cmd-result');
    if (readOnly && cmd !== 'estop') {
      out.textContent = cmd + ': read-only dashboard';
      out.className = 'error';
      return;
    }
    fetch('/api/command/' + cmd, { method: 'POST', headers: { 'X-Chromatic-Csrf': CSRF }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (r) {
        out.textContent = r.ok ? ('sent ' + r.body.sent + (r.body.ctr ? ' (ctr ' + r.body.ctr + ')' : '') + ' at '
          + new Date().toISOString().slice(11, 19)) : (cmd + ' refused: ' + r.body.error);
        out.className = r.ok ? '' : 'error';
      })
      .catch(function (e) { out.textContent = cmd + ' failed: ' + e; out.className = 'error'; });
  }
  dash.send = send;

  document.querySelectorAll('#controls button').forEach(function (b) {
    b.addEventListener('click', function () { send(b.dataset.cmd); b.blur(); });
  });
  // Space is the E-stop, wherever the focus is; it must never also press a focused button.
  window.addEventListener('keydown', function (e) {
    if (e.code === 'Space' || e.key === ' ') {
      e.preventDefault();
      if (!e.repeat) { send('estop'); }
    }
  }, true);
  window.addEventListener('keyup', function (e) {
    if (e.code === 'Space' || e.key === ' ') { e.preventDefault(); }
  }, true);

  // Gamepad (standard mapping): B / Circle or Back / Select = E-stop, X / Square = disarm,
  // Start while A / Cross is held = arm. Acts on presses, not on held buttons.
  var GP_A = 0, GP_B = 1, GP_X = 2, GP_BACK = 8, GP_START = 9;
  var held = [[], [], [], []];
  function pressed(pad, i) { return i < pad.buttons.length && pad.buttons[i].pressed; }
  function pollGamepads() {
    if (!navigator.getGamepads) { return; }
    var pads = navigator.getGamepads();
    var names = '';
    for (var p = 0; p < pads.length && p < held.length; p++) {
      var pad = pads[p];
      if (!pad) { continue; }
      names = pad.id.slice(0, 40);
      var was = held[p];
      var edge = function (i) { var now = pressed(pad, i); var e = now && !was[i]; was[i] = now; return e; };
      var estop = edge(GP_B) | edge(GP_BACK);
      var disarm = edge(GP_X);
      var aHeld = pressed(pad, GP_A); was[GP_A] = aHeld;
      var start = edge(GP_START);
      if (estop) { send('estop'); } else if (disarm) { send('disarm'); } else if (start && aHeld) { send('arm'); }
    }
    setText('gamepad', names || 'none');
  }
  setInterval(pollGamepads, 50);

  // Tells the server a page is open: it sends the operator heartbeat only while one says so.
  // The browser records a timing entry for every request (up to 250): the page needs none of them.
  function alive() {
    if (performance.clearResourceTimings) { performance.clearResourceTimings(); }
    if (readOnly) { return; }
    fetch('/api/alive', { method: 'POST', headers: { 'X-Chromatic-Csrf': CSRF }, credentials: 'same-origin', cache: 'no-store' })
      .catch(function () { });
  }
  setInterval(alive, 500);

  applyReadOnly();
  window.addEventListener('load', function () { connect(); alive(); });
})();
