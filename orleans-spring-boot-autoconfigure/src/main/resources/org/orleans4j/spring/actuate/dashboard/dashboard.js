// The Orleans dashboard: polls <page address>/data and renders it. Read-only. Every text from the
// silo (grain ids are user data) goes into the page through textContent or an attribute, never as markup.
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';
  var refreshMillis = parseInt(document.body.getAttribute('data-refresh-millis'), 10) || 2000;
  // Relative to the page itself, so a path mapping of the endpoint (or a proxy prefix) keeps working.
  var dataUrl = window.location.pathname.replace(/\/+$/, '') + '/data';
  var lastSuccess = 0;

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function svg(tag, attributes) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, String(attributes[name]));
    });
    return node;
  }

  function setText(id, text) {
    var node = $(id);
    if (node.textContent !== text) {
      node.textContent = text;
    }
  }

  var integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

  function formatCount(value) {
    return value === null || value === undefined ? '\u2013' : integer.format(value);
  }

  function formatRate(value) {
    if (!value) {
      return '0';
    }
    if (value >= 100) {
      return integer.format(value);
    }
    if (value >= 1) {
      return value.toFixed(1);
    }
    return value.toFixed(2);
  }

  function formatMillis(value) {
    if (value === null || value === undefined) {
      return '\u2013';
    }
    if (value >= 1000) {
      return integer.format(value);
    }
    if (value >= 10) {
      return value.toFixed(0);
    }
    if (value >= 1) {
      return value.toFixed(1);
    }
    return value.toFixed(2);
  }

  function formatPercent(share) {
    if (!share) {
      return '0 %';
    }
    return (share * 100 < 0.1 ? '<0.1' : (share * 100).toFixed(1)) + ' %';
  }

  function formatTime(millis) {
    return new Date(millis).toLocaleTimeString();
  }

  function cell(row, text, className) {
    var td = el('td', className, text);
    row.appendChild(td);
    return td;
  }

  function emptyRow(body, columns, text) {
    var row = el('tr', 'empty');
    var td = cell(row, text);
    td.colSpan = columns;
    body.appendChild(row);
  }

  // Scales values into the 300x90 view box of the charts; null values leave a gap.
  function points(values, max) {
    var count = values.length;
    var result = [];
    values.forEach(function (value, index) {
      if (value === null || value === undefined) {
        result.push(null);
        return;
      }
      var x = count <= 1 ? 300 : (index * 300) / (count - 1);
      var y = 88 - (max > 0 ? (value / max) * 80 : 0);
      result.push([x, y]);
    });
    return result;
  }

  function segments(pointList) {
    var runs = [];
    var run = [];
    pointList.forEach(function (point) {
      if (point === null) {
        if (run.length) {
          runs.push(run);
        }
        run = [];
      } else {
        run.push(point);
      }
    });
    if (run.length) {
      runs.push(run);
    }
    return runs;
  }

  function polyline(run) {
    return run.map(function (p) {
      return p[0].toFixed(1) + ',' + p[1].toFixed(1);
    }).join(' ');
  }

  function niceMax(value) {
    if (!(value > 0)) {
      return 1;
    }
    var power = Math.pow(10, Math.floor(Math.log10(value)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) {
      if (value <= steps[i] * power) {
        return steps[i] * power;
      }
    }
    return 10 * power;
  }

  function drawSeries(svgNode, series, max) {
    var nodes = [];
    series.forEach(function (s) {
      segments(points(s.values, max)).forEach(function (run) {
        if (s.area && run.length > 1) {
          var area = run.slice();
          area.push([run[run.length - 1][0], 88]);
          area.unshift([run[0][0], 88]);
          nodes.push(svg('polygon', { 'class': 'area' + (s.className ? ' ' + s.className : ''), points: polyline(area) }));
        }
        // A lone point (a silo that just started) as a short dash: a circle would be stretched with the chart.
        var line = run.length === 1 ? [[Math.max(0, run[0][0] - 4), run[0][1]], run[0]] : run;
        nodes.push(svg('polyline', { 'class': 'line ' + (s.className || ''), points: polyline(line) }));
      });
    });
    nodes.unshift(svg('line', { x1: 0, y1: 8, x2: 300, y2: 8, stroke: 'currentColor', 'stroke-opacity': 0.08, 'vector-effect': 'non-scaling-stroke' }));
    svgNode.replaceChildren.apply(svgNode, nodes);
  }

  function counted(bucket) {
    return bucket.seconds > 0;
  }

  function renderCharts(timeline) {
    var rates = timeline.map(function (b) { return counted(b) ? b.perSecond : null; });
    var failures = timeline.map(function (b) { return counted(b) ? b.failed / b.seconds : null; });
    var rateMax = niceMax(Math.max.apply(null, rates.map(function (v) { return v || 0; })));
    drawSeries($('chart-rate'), [{ values: rates, area: true }], rateMax);
    setText('chart-rate-max', formatRate(rateMax) + '/s');
    var failureMax = niceMax(Math.max.apply(null, failures.map(function (v) { return v || 0; })));
    drawSeries($('chart-errors'), [{ values: failures, area: true, className: 'bad' }], failureMax);
    setText('chart-errors-max', formatRate(failureMax) + '/s');
    var latency = ['p50Millis', 'p95Millis', 'p99Millis'].map(function (key) {
      return timeline.map(function (b) { return counted(b) && b.calls > 0 ? b[key] : null; });
    });
    var latencyMax = niceMax(Math.max.apply(null, latency[2].map(function (v) { return v || 0; })));
    drawSeries($('chart-latency'), [
      { values: latency[0], className: 'p50' },
      { values: latency[1], className: 'p95' },
      { values: latency[2], className: 'p99' }
    ], latencyMax);
    setText('chart-latency-max', formatMillis(latencyMax) + ' ms');
  }

  function sparkline(values) {
    var max = Math.max.apply(null, values.concat([0]));
    var node = svg('svg', { viewBox: '0 0 300 90', preserveAspectRatio: 'none', 'aria-hidden': 'true' });
    if (max > 0) {
      node.appendChild(svg('polyline', { 'class': 'spark', points: polyline(points(values, max)) }));
    }
    return node;
  }

  function statusClass(status) {
    return 's-' + String(status).toLowerCase().replace(/[^a-z_]/g, '');
  }

  function renderSilos(data) {
    var max = 0;
    data.silos.forEach(function (s) {
      max = Math.max(max, s.activations || 0);
    });
    var cards = data.silos.map(function (s) {
      var card = el('div', 'silo ' + statusClass(s.status));
      card.setAttribute('data-silo', s.address);
      card.setAttribute('data-status', s.status);
      var name = el('div', 'name', s.name || s.address);
      if (s.self) {
        name.appendChild(el('span', 'badge', 'this silo'));
      }
      card.appendChild(name);
      card.appendChild(el('div', 'addr', s.address + (s.role && s.role !== s.name ? ' \u00b7 ' + s.role : '')));
      var row = el('div', 'row');
      row.appendChild(el('span', 'status', String(s.status).replace(/_/g, ' ')));
      var acts = el('span', 'acts', formatCount(s.activations));
      acts.appendChild(el('small', null, ' activations'));
      row.appendChild(acts);
      card.appendChild(row);
      var bar = el('div', 'bar');
      var fill = el('span');
      fill.style.width = (max > 0 && s.activations ? Math.max(2, (100 * s.activations) / max) : 0) + '%';
      bar.appendChild(fill);
      card.appendChild(bar);
      var types = Object.keys(s.activationsByType || {}).filter(function (t) { return s.activationsByType[t] > 0; });
      if (types.length) {
        card.appendChild(el('div', 'types', types.map(function (t) { return t + ' ' + formatCount(s.activationsByType[t]); }).join(' \u00b7 ')));
      }
      if (s.countsAgeMillis !== null && s.countsAgeMillis > 5000) {
        card.appendChild(el('div', 'types', 'counts ' + Math.round(s.countsAgeMillis / 1000) + ' s old'));
      }
      return card;
    });
    $('silos').replaceChildren.apply($('silos'), cards);
    setText('dead-note', data.deadSilosNotShown > 0
      ? data.deadSilosNotShown + ' older dead silo' + (data.deadSilosNotShown === 1 ? '' : 's') + ' not shown.'
      : '');
  }

  function renderGrainTypes(types) {
    var body = $('grain-types').tBodies[0];
    var rows = [];
    types.forEach(function (t) {
      var row = el('tr');
      row.setAttribute('data-type', t.type);
      cell(row, t.type);
      cell(row, formatCount(t.activations), 'num');
      cell(row, formatCount(t.localActivations), 'num opt');
      cell(row, formatRate(t.perSecond), 'num rate');
      var spark = cell(row, null, 'opt');
      spark.appendChild(sparkline(t.callsPerBucket));
      cell(row, formatCount(t.calls), 'num opt');
      cell(row, t.calls > 0 ? formatPercent(t.failed / t.calls) : '\u2013', 'num' + (t.failed > 0 ? ' bad' : ''));
      cell(row, formatMillis(t.p50Millis), 'num opt');
      cell(row, formatMillis(t.p99Millis), 'num');
      rows.push(row);
    });
    body.replaceChildren.apply(body, rows);
    if (!rows.length) {
      emptyRow(body, 9, 'No grain types yet');
    }
  }

  function renderMethods(methods) {
    var body = $('methods').tBodies[0];
    var rows = methods.map(function (m) {
      var row = el('tr');
      var name = cell(row, m.type + '.');
      name.appendChild(el('strong', null, m.method));
      cell(row, formatRate(m.perSecond), 'num');
      cell(row, formatCount(m.calls), 'num');
      cell(row, formatCount(m.failed), 'num' + (m.failed > 0 ? ' bad' : ''));
      return row;
    });
    body.replaceChildren.apply(body, rows);
    if (!rows.length) {
      emptyRow(body, 4, 'No calls in the last five minutes');
    }
  }

  function renderBusiest(busiest) {
    var body = $('busiest').tBodies[0];
    $('busiest-off').hidden = busiest.enabled;
    $('busiest').hidden = !busiest.enabled;
    var rows = busiest.grains.map(function (g) {
      var row = el('tr');
      row.setAttribute('data-grain', g.type + '/' + g.key);
      cell(row, g.key);
      cell(row, g.type, 'opt');
      cell(row, formatCount(g.callsPerMinute), 'num');
      return row;
    });
    body.replaceChildren.apply(body, rows);
    if (busiest.enabled && !rows.length) {
      emptyRow(body, 3, 'No calls lately');
    }
  }

  function render(data) {
    var active = data.silos.filter(function (s) { return s.status === 'ACTIVE'; }).length;
    setText('cluster-name', data.serviceId + ' / ' + data.clusterId);
    setText('this-silo', (data.silo.name ? data.silo.name + ' \u00b7 ' : '') + data.silo.address + ' \u00b7 ' + data.silo.status);
    setText('kpi-silos', active + (data.silos.length > active ? ' of ' + data.silos.length : ''));
    setText('kpi-activations', formatCount(data.activations));
    setText('kpi-rate', formatRate(data.calls.perSecond));
    setText('kpi-errors', formatCount(data.calls.failed) + (data.calls.total > 0 ? ' \u00b7 ' + formatPercent(data.calls.errorRate) : ''));
    $('kpi-errors').classList.toggle('bad', data.calls.failed > 0);
    setText('kpi-latency', [data.calls.p50Millis, data.calls.p95Millis, data.calls.p99Millis].map(formatMillis).join(' / ') + ' ms');
    renderSilos(data);
    renderCharts(data.timeline);
    renderGrainTypes(data.grainTypes);
    renderMethods(data.methods);
    renderBusiest(data.busiestGrains);
    setText('refresh-seconds', String(data.refreshMillis / 1000));
    setText('updated', formatTime(data.time));
  }

  function connection(live, text) {
    var node = $('connection');
    node.classList.toggle('live', live);
    node.classList.toggle('stale', !live);
    node.textContent = text;
  }

  function poll() {
    fetch(dataUrl, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        render(data);
        lastSuccess = Date.now();
        if (data.refreshMillis > 0) {
          refreshMillis = data.refreshMillis;
        }
        connection(true, 'live');
      })
      .catch(function (error) {
        connection(false, 'not updating (' + error.message + ')' + (lastSuccess ? ', last update ' + formatTime(lastSuccess) : ''));
      })
      .then(function () {
        window.setTimeout(poll, refreshMillis);
      });
  }

  poll();
})();
