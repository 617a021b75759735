// Campaigns: the list, and one campaign as a grid (waves as rows, jobs as cells coloured by state)
// with the buttons its state allows. The page re-reads the campaign every second with
// If-None-Match, so an unchanged campaign costs a 304 and nothing is redrawn.
import {call, get, post} from './api.js';
import {h, replace, status, time, announce} from './dom.js';
import {showProblem} from './problem.js';

export function showCampaigns(main) {
  const body = h('tbody');
  const problem = h('div', {class: 'problem', role: 'alert', hidden: true});
  main.append(
    h('div', {class: 'title-row'}, h('h1', {}, 'Campaigns')),
    problem,
    h('table', {class: 'jobs'},
      h('caption', {class: 'visually-hidden'}, 'Campaigns, newest first'),
      h('thead', {}, h('tr', {}, ['Campaign', 'Plan', 'State', 'Wave', 'Created by', 'Updated']
        .map((c) => h('th', {scope: 'col'}, c)))),
      body));
  let stopped = false;
  let timer = null;
  async function load() {
    try {
      const page = await get('/campaigns?limit=100');
      showProblem(problem, null);
      replace(body, page.items.length ? page.items.map((c) => h('tr', {'data-campaign': c.id},
        h('th', {scope: 'row'}, h('a', {href: `#/campaigns/${c.id}`}, c.name)),
        h('td', {}, `${c.plan} v${c.planVersion}`),
        h('td', {class: 'state'}, status(c.state, 'state')),
        h('td', {}, `${c.currentWave} of ${c.waves}`),
        h('td', {}, c.createdBy),
        h('td', {}, time(c.updatedAt)))) : h('tr', {}, h('td', {colspan: '6'}, 'No campaigns yet.')));
    } catch (e) {
      showProblem(problem, e);
    }
    if (!stopped) timer = setTimeout(load, 2000);
  }
  load();
  return () => { stopped = true; clearTimeout(timer); };
}

export function showCampaign(main, id) {
  const title = h('h1', {id: 'campaign-title'}, 'Campaign');
  const state = h('p', {id: 'campaign-state'});
  const blocked = h('p', {id: 'campaign-blocked', class: 'hint'});
  const actions = h('div', {class: 'actions', id: 'campaign-actions'});
  const problem = h('div', {class: 'problem', role: 'alert', hidden: true});
  const waves = h('div', {id: 'campaign-waves'});
  const reason = h('input', {id: 'campaign-reason', type: 'text', maxlength: '2000'});
  main.append(title, state, blocked, problem,
    h('p', {}, h('label', {for: 'campaign-reason'}, 'Reason or comment (recorded) '), reason),
    actions, waves);

  let etag = null;
  let stopped = false;
  let timer = null;
  async function load() {
    try {
      const answer = await call(`/campaigns/${encodeURIComponent(id)}`, {headers: etag ? {'If-None-Match': etag} : {}});
      if (answer.status !== 304) {
        etag = answer.etag;
        render(answer.data);
      }
    } catch (e) {
      showProblem(problem, e);
    }
    if (!stopped) timer = setTimeout(load, 1000);
  }
  async function act(path, body) {
    try {
      await post(`/campaigns/${encodeURIComponent(id)}${path}`, body);
      showProblem(problem, null);
      announce(`Done: ${path}`);
      etag = null;
      clearTimeout(timer);
      load();
    } catch (e) {
      showProblem(problem, e);
    }
  }
  const text = () => reason.value.trim() || undefined;

  function render(c) {
    replace(title, c.name);
    replace(state, status(c.state, 'state'), ` wave ${c.currentWave} of ${c.waves.length} · ${c.plan} v${c.planVersion}`);
    replace(blocked, c.blockedBy ? `Next wave blocked by: ${c.blockedBy}` : '');
    const buttons = [];
    for (const action of c.allowedActions) {
      if (action === 'approve-wave') {
        buttons.push(h('button', {type: 'button', onclick: () => act(`/waves/${c.currentWave}/approve`, {comment: text()})},
          `Approve wave ${c.currentWave}`));
      } else {
        const label = {pause: 'Pause', resume: 'Resume', cancel: 'Cancel', rollback: 'Roll back campaign'}[action] || action;
        buttons.push(h('button', {type: 'button', class: action === 'rollback' ? 'danger' : null,
          onclick: () => act(`/${action}`, {reason: text()})}, label));
      }
    }
    // A fleet approval per phase that jobs of a wave are waiting at.
    for (const wave of c.waves) {
      const phases = new Set(wave.jobs.filter((j) => j.state === 'AWAITING_APPROVAL' && j.currentPhase).map((j) => j.currentPhase));
      for (const phase of phases) {
        buttons.push(h('button', {type: 'button',
          onclick: () => act(`/waves/${wave.wave}/phases/${phase.toLowerCase()}/approve`, {comment: text()})},
        `Approve ${phase} for wave ${wave.wave}`));
      }
    }
    replace(actions, buttons.length ? buttons : h('p', {class: 'hint'}, 'No command is allowed now.'));
    replace(waves, h('table', {class: 'waves'},
      h('caption', {class: 'visually-hidden'}, 'Waves in order; each cell is a job, coloured by its state'),
      h('tbody', {}, c.waves.map((w) => h('tr', {'data-wave': String(w.wave)},
        h('th', {scope: 'row'}, `${w.wave}. ${w.name} `, status(w.state, 'state'),
          h('div', {class: 'wave-note'}, `at most ${w.maxConcurrent} at once`,
            w.approval ? ` · approval ${w.approval.given.length}/${w.approval.required}` : '',
            w.soak && w.soak !== 'PT0S' ? ` · soak ${w.soak}` : '')),
        h('td', {}, h('ul', {class: 'cells'}, w.jobs.map((j) => h('li', {'data-target': j.target},
          j.job
            ? h('a', {href: `#/jobs/${j.job}`, class: `cell badge state-${j.state.toLowerCase().replace(/_/g, '-')}`,
              title: j.launchError || j.currentPhase || ''}, `${j.target}: ${j.state.replace(/_/g, ' ')}`)
            : h('span', {class: `cell badge state-${j.state.toLowerCase().replace(/_/g, '-')}`, title: j.launchError || ''},
              `${j.target}: ${j.state.replace(/_/g, ' ')}`))))))))));
  }
  load();
  return () => { stopped = true; clearTimeout(timer); };
}
