// One job: phase strip, actions, approvals, rollback plan, steps, timeline. The timeline comes
// from the job's event stream; each event also refreshes the job view (cheap: If-None-Match).
import {call, post} from './api.js';
import {openStream} from './sse.js';
import {h, replace, json, status, time, announce} from './dom.js';
import {showProblem} from './problem.js';

const PHASES = ['PREPARE', 'FREEZE', 'COPY', 'VERIFY', 'CUTOVER', 'OBSERVE', 'CLEANUP'];
const COMMANDS = [
  ['start', 'Start'], ['pause', 'Pause'], ['resume', 'Resume'], ['retry', 'Retry failed step'], ['cancel', 'Cancel'],
];

export function showJob(main, id) {
  const path = `/jobs/${encodeURIComponent(id)}`;
  const heading = h('h1', {id: 'job-title', tabindex: '-1'}, 'Job');
  const live = h('span', {class: 'live-state', role: 'status'}, 'connecting…');
  const problem = h('div', {class: 'problem', role: 'alert', hidden: true});
  const summary = h('section', {'aria-labelledby': 'job-title', class: 'summary'});
  const strip = h('ol', {class: 'phase-strip', 'aria-label': 'Phases'});
  const actions = h('section', {'aria-labelledby': 'actions-h', class: 'actions'});
  const approvals = h('section', {'aria-labelledby': 'approvals-h'});
  const rollback = h('section', {'aria-labelledby': 'rollback-h'});
  const steps = h('section', {'aria-labelledby': 'steps-h'});
  const timeline = h('ol', {class: 'timeline', id: 'timeline'});
  const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'confirm-h'});
  main.append(
    h('p', {}, h('a', {href: '#/jobs'}, '← All jobs')),
    h('div', {class: 'title-row'}, heading, live), problem, summary,
    h('h2', {class: 'visually-hidden'}, 'Phases'), strip, actions, approvals, rollback, steps,
    h('section', {'aria-labelledby': 'timeline-h'}, h('h2', {id: 'timeline-h'}, 'Timeline'), timeline),
    dialog);

  const drafts = new Map(); // comments being typed survive re-renders
  let view = null;
  let etag = null;
  let loading = null;
  let again = false;

  async function refresh() {
    if (loading) { again = true; return loading; }
    loading = (async () => {
      try {
        const r = await call(path, {headers: etag ? {'If-None-Match': etag} : {}});
        if (r.status !== 304) {
          etag = r.etag;
          if (view && view.state !== r.data.state) announce(`Job is now ${r.data.state.replace(/_/g, ' ')}`);
          view = r.data;
          render();
        }
      } catch (e) {
        showProblem(problem, e);
      } finally {
        loading = null;
        if (again) { again = false; refresh(); }
      }
    })();
    return loading;
  }

  async function act(label, request) {
    showProblem(problem, null);
    try {
      view = await request();
      etag = null;
      render();
      announce(`${label}: job is ${view.state.replace(/_/g, ' ')}`);
      // The control used may be gone (a skip form, an approval card): keep keyboard focus on the page.
      if (document.activeElement === document.body) heading.focus();
    } catch (e) {
      showProblem(problem, e);
      problem.focus?.();
    }
  }

  function render() {
    const focusedId = document.activeElement && document.activeElement.id;
    heading.textContent = view.name;
    main.dataset.state = view.state;
    renderSummary();
    renderStrip();
    renderActions();
    renderApprovals();
    renderRollback();
    renderSteps();
    if (focusedId && !document.getElementById(focusedId)?.contains(document.activeElement)) {
      document.getElementById(focusedId)?.focus();
    }
  }

  function renderSummary() {
    replace(summary, h('dl', {class: 'facts'},
      fact('State', h('span', {id: 'job-state'}, status(view.state, 'state'))),
      fact('Current phase', view.currentPhase || '—'),
      fact('Plan', `${view.plan.name} v${view.plan.version}`),
      view.rehearsal ? fact('Rehearsal', 'yes: its phase durations become the expected durations of this plan') : null,
      view.windowWarnings && view.windowWarnings.length ? fact('Window warnings',
        h('ul', {}, view.windowWarnings.map((w) => h('li', {class: 'error-text'}, w.message)))) : null,
      fact('Created by', view.createdBy, ' at ', time(view.createdAt)),
      view.wakeAt ? fact('Waiting until', time(view.wakeAt)) : null,
      view.lastError ? fact('Last error', h('span', {class: 'error-text'}, view.lastError)) : null,
      view.preflight ? fact('Preflight', preflightSummary(view.preflight)) : null,
      fact('Parameters', json(view.parameters, 'Parameters'))));
  }

  /** The latest preflight: its verdict, then what is not OK (a blocked start answers with the same list). */
  function preflightSummary(p) {
    const notOk = p.findings.filter((f) => f.severity !== 'OK');
    return h('span', {id: 'preflight'},
      h('span', {class: p.blocking ? 'error-text' : null}, p.blocking ? 'blocking' : 'passed'),
      ` (${p.counts.blocking} blocking, ${p.counts.warning} warning(s), ${p.counts.ok} OK) at `, time(p.at),
      notOk.length ? h('ul', {class: 'preflight-findings'}, notOk.map((f) => h('li', {},
        h('strong', {}, f.severity), ' ', f.step ? h('code', {}, f.step) : 'job', ` ${f.check} ${f.subject}: ${f.reason}`)))
        : null);
  }

  function renderStrip() {
    const byPhase = new Map(view.phases.map((p) => [p.phase, p]));
    replace(strip, PHASES.map((name) => {
      const p = byPhase.get(name);
      const st = p ? p.status : 'PENDING';
      return h('li', {class: `phase phase-${st.toLowerCase().replace(/_/g, '-')}`, 'data-phase': name,
        'aria-current': view.currentPhase === name ? 'step' : null},
      h('span', {class: 'phase-name'}, name), h('span', {class: 'phase-status'}, st.replace(/_/g, ' ')),
      p && p.expectedDuration ? h('span', {class: 'phase-expected', title: `measured in rehearsal ${p.expectedFrom.job}`},
        `expected ${p.expectedDuration}`) : null);
    }));
  }

  function renderActions() {
    const allowed = new Set(view.allowedActions);
    const reason = h('input', {id: 'command-reason', type: 'text', maxlength: '2000', value: drafts.get('reason') || '',
      oninput: (e) => drafts.set('reason', e.target.value)});
    replace(actions,
      h('h2', {id: 'actions-h'}, 'Actions'),
      h('div', {class: 'field inline'}, h('label', {for: 'command-reason'}, 'Reason (optional, recorded)'), reason),
      h('div', {class: 'buttons'},
        COMMANDS.map(([cmd, label]) => h('button', {type: 'button', id: `cmd-${cmd}`, disabled: !allowed.has(cmd),
          onclick: () => act(label, () => post(`${path}/${cmd}`, body('reason', drafts.get('reason'))))}, label)),
        h('button', {type: 'button', id: 'cmd-rollback', class: 'danger', disabled: !allowed.has('rollback'),
          onclick: confirmRollback}, 'Roll back…')),
      h('p', {class: 'hint'}, 'Enabled: ', view.allowedActions.join(', ') || 'nothing (the job is finished)'));
  }

  function renderApprovals() {
    const gated = view.phases.filter((p) => p.approval);
    const allowed = new Set(view.allowedActions);
    replace(approvals, h('h2', {id: 'approvals-h'}, 'Approvals'),
      gated.length ? gated.map((p) => approvalCard(p, allowed)) : h('p', {}, 'No phase of this plan needs approval.'));
  }

  function approvalCard(p, allowed) {
    const a = p.approval;
    const key = p.phase.toLowerCase();
    // The lifecycle's own `approve` only appears once a decision would reach the quorum, so the
    // buttons follow the phase: any approver may add a decision while it awaits approval.
    const open = p.status === 'AWAITING_APPROVAL' && view.state === 'AWAITING_APPROVAL';
    const commentId = `comment-${key}`;
    return h('article', {class: `approval${open ? ' open' : ''}`, 'data-phase': p.phase, 'aria-labelledby': `approval-${key}`},
      h('h3', {id: `approval-${key}`}, p.phase, ' ', status(p.status)),
      h('p', {}, `${a.validApprovals} of ${a.required} approval(s)`,
        a.roles && a.roles.length ? `, role: ${a.roles.join(' or ')}` : '',
        a.separationOfDuties ? ', not by the job\'s creator' : '',
        a.expiresAfter ? `, each valid for ${a.expiresAfter}` : '', `; round ${a.round}`),
      a.decisions.length ? h('ul', {class: 'decisions'}, a.decisions.map((d) => h('li', {},
        h('strong', {}, d.actor), ' ', status(d.decision, 'decision'), ' ', time(d.at),
        d.comment ? [' — ', h('q', {}, d.comment)] : null, d.counts ? null : ' (does not count)',
        d.previewHref ? [' ', linked(d.previewHref, 'Preview shown', `${p.phase} preview shown to ${d.actor}`)] : null))) : null,
      open ? h('form', {class: 'decide', onsubmit: (e) => e.preventDefault()},
        h('div', {class: 'field'}, h('label', {for: commentId}, `Comment on ${p.phase} (required to reject)`),
          h('textarea', {id: commentId, rows: '2', maxlength: '2000', oninput: (e) => drafts.set(commentId, e.target.value)},
            drafts.get(commentId) || '')),
        h('div', {class: 'buttons'},
          h('button', {type: 'button', id: `approve-${key}`, disabled: !open, onclick: () =>
            act(`Approved ${p.phase}`, () => post(`${path}/phases/${key}/approve`, body('comment', drafts.get(commentId))))
              .then(() => drafts.delete(commentId))}, `Approve ${p.phase}`),
          h('button', {type: 'button', id: `reject-${key}`, class: 'danger', disabled: !open && !allowed.has('reject'), onclick: () =>
            act(`Rejected ${p.phase}`, () => post(`${path}/phases/${key}/reject`, {comment: drafts.get(commentId) || ''}))
              .then(() => drafts.delete(commentId))}, `Reject ${p.phase}`))) : null);
  }

  function renderRollback() {
    replace(rollback, h('h2', {id: 'rollback-h'}, 'Rollback'),
      h('p', {id: 'rollback-available'}, view.rollbackAvailable ? 'Rollback is available.' : 'Rollback is not available now.'),
      view.rollbackAvailable ? compensationList(view.rollbackPlan, 'rollback-plan') : null);
  }

  function compensationList(plan, id) {
    if (!plan.length) return h('p', {}, 'No completed step has a compensation to run.');
    return h('ol', {class: 'compensations', id},
      plan.map((c) => h('li', {}, h('code', {}, c.action), ` undoes ${c.phase} / `, h('code', {}, c.step))));
  }

  function confirmRollback() {
    const reason = h('input', {id: 'rollback-reason', type: 'text', maxlength: '2000'});
    replace(dialog,
      h('h2', {id: 'confirm-h'}, `Roll back “${view.name}”?`),
      h('p', {}, 'These compensations will run, newest first:'),
      compensationList(view.rollbackPlan, 'confirm-plan'),
      h('form', {method: 'dialog'},
        h('div', {class: 'field'}, h('label', {for: 'rollback-reason'}, 'Reason (recorded)'), reason),
        h('div', {class: 'buttons'},
          h('button', {value: 'cancel', id: 'rollback-cancel', autofocus: true}, 'Keep the job as it is'),
          h('button', {value: 'confirm', id: 'rollback-confirm', class: 'danger'}, 'Roll back'))));
    dialog.onclose = () => {
      if (dialog.returnValue === 'confirm') {
        act('Rollback requested', () => post(`${path}/rollback`, body('reason', reason.value)));
      }
      document.getElementById('cmd-rollback')?.focus();
    };
    dialog.returnValue = '';
    dialog.showModal();
  }

  function renderSteps() {
    replace(steps, h('h2', {id: 'steps-h'}, 'Steps'),
      view.phases.filter((p) => p.steps.length).map((p) => h('section', {class: 'phase-steps', 'aria-label': `${p.phase} steps`},
        h('h3', {}, p.phase, ' ', status(p.status)),
        p.steps.map((s) => h('details', {class: 'step', 'data-step': s.id, open: s.status === 'FAILED' || s.status === 'RUNNING'},
          h('summary', {}, h('code', {}, s.id), ' ', s.action, ' ', status(s.status),
            ` attempt ${s.attempt}/${s.maxAttempts}`, s.irreversible ? ' · irreversible' : ''),
          s.message ? h('p', {}, s.message) : null,
          h('p', {class: 'times'}, s.startedAt ? ['started ', time(s.startedAt)] : 'not started',
            s.finishedAt ? [', finished ', time(s.finishedAt)] : null, s.nextRunAt ? [', next run ', time(s.nextRunAt)] : null),
          part(s, 'output', 'Output'),
          part(s, 'error', 'Error'),
          s.skipReason ? h('p', {}, 'Skipped: ', s.skipReason) : null,
          s.status === 'FAILED' && view.allowedActions.includes('skip-step') ? skipForm(s) : null,
          part(s, 'compensation-output', 'Compensation'))))));
  }

  // Large outputs and previews are links in the view, read on demand (with the token) when asked for.
  function part(s, name, title) {
    const value = name === 'compensation-output' ? s.compensationOutput : s[name];
    const href = s.links && s.links[name];
    if (href) return [h('h4', {}, title), linked(href, `Show the whole ${title.toLowerCase()}`, `${s.id} ${name}`)];
    return value ? [h('h4', {}, title), json(value, `${s.id} ${name === 'compensation-output' ? 'compensation' : name}`)] : null;
  }

  function linked(href, text, label) {
    const holder = h('span', {class: 'linked'});
    const button = h('button', {type: 'button', class: 'link', onclick: async () => {
      button.disabled = true;
      try {
        replace(holder, json((await call(href.replace(/^\/api\/v1/, ''))).data, label));
      } catch (e) {
        button.disabled = false;
        showProblem(problem, e);
      }
    }}, text);
    replace(holder, button);
    return holder;
  }

  function skipForm(s) {
    const id = `skip-reason-${s.id}`;
    return h('form', {class: 'field inline', onsubmit: (e) => {
      e.preventDefault();
      act(`Skipped ${s.id}`, () => post(`${path}/steps/${encodeURIComponent(s.id)}/skip`, {reason: drafts.get(id) || ''}));
    }},
    h('label', {for: id}, 'Reason to skip (required)'),
    h('input', {id, type: 'text', maxlength: '2000', value: drafts.get(id) || '', oninput: (e) => drafts.set(id, e.target.value)}),
    h('button', {type: 'submit', class: 'danger'}, `Skip ${s.id}`));
  }

  let pending = null;
  const stream = openStream(`${path}/events/stream?after=0`, {
    onEvent: ({type, data}) => {
      if (type !== 'job-event' || !data || typeof data !== 'object') return;
      const atBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 40;
      timeline.append(h('li', {'data-type': data.type},
        h('span', {class: 'seq'}, `#${data.seq}`), ' ', time(data.at), ' ', h('strong', {}, data.actor), ' ',
        h('span', {class: 'event-type'}, data.type),
        data.phase ? ` ${data.phase}` : '', data.step ? ` / ${data.step}` : '',
        fromTo(data),
        data.reason ? [' — ', h('q', {}, data.reason)] : null));
      // Follow the newest entry unless the reader scrolled up to read older ones.
      if (atBottom) timeline.scrollTop = timeline.scrollHeight;
      clearTimeout(pending);
      pending = setTimeout(refresh, 100);
    },
    onState: (state, p) => {
      live.textContent = {open: 'live', reconnecting: 'reconnecting…', closed: '', failed: 'not live'}[state] || state;
      live.dataset.state = state;
      if (p) showProblem(problem, p);
    },
  });
  refresh();
  return () => { clearTimeout(pending); stream.close(); };
}

function fact(label, ...value) {
  return [h('dt', {}, label), h('dd', {}, ...value)];
}

function fromTo(event) {
  // The first event of a job has no previous state (sent as null or "null").
  const from = event.from && event.from !== 'null' ? event.from : '';
  const to = event.to || '';
  return from || to ? ` ${from ? `${from} ` : ''}→ ${to}` : '';
}

function body(field, value) {
  return value && value.trim() ? {[field]: value.trim()} : undefined;
}
