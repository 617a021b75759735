// The jobs list, kept current by the all-jobs event stream.
import {get} from './api.js';
import {openStream} from './sse.js';
import {h, replace, status, time, announce} from './dom.js';
import {showProblem} from './problem.js';

export function showJobs(main) {
  const body = h('tbody');
  const problem = h('div', {class: 'problem', role: 'alert', hidden: true});
  const live = h('span', {class: 'live-state', role: 'status'}, 'connecting…');
  main.append(
    h('div', {class: 'title-row'}, h('h1', {}, 'Jobs'), live, h('a', {class: 'button', href: '#/new'}, 'New job')),
    problem,
    h('table', {class: 'jobs'},
      h('caption', {class: 'visually-hidden'}, 'Jobs, newest first; states update live'),
      h('thead', {}, h('tr', {},
        ['Job', 'Plan', 'State', 'Phase', 'Created by', 'Updated'].map((c) => h('th', {scope: 'col'}, c)))),
      body));

  let timer = null;
  async function load() {
    try {
      const page = await get('/jobs?limit=100');
      showProblem(problem, null);
      replace(body, page.items.length ? page.items.map(row)
        : h('tr', {}, h('td', {colspan: '6'}, 'No jobs yet.')));
    } catch (e) {
      showProblem(problem, e);
    }
  }
  const stream = openStream('/events/stream', {
    onEvent: ({data}) => {
      if (data && data.jobId && data.to) announce(`Job ${data.jobId.slice(0, 8)}: ${data.type} ${data.to}`);
      clearTimeout(timer);
      timer = setTimeout(load, 150);
    },
    onState: (state, p) => {
      live.textContent = {open: 'live', reconnecting: 'reconnecting…', closed: '', failed: 'not live'}[state] || state;
      live.dataset.state = state;
      if (state === 'open') load();
      if (p) showProblem(problem, p);
    },
  });
  load();
  return () => { clearTimeout(timer); stream.close(); };
}

function row(job) {
  return h('tr', {'data-job': job.id},
    h('th', {scope: 'row'}, h('a', {href: `#/jobs/${job.id}`}, job.name)),
    h('td', {}, `${job.plan} v${job.planVersion}`, job.rehearsal ? ' (rehearsal)' : ''),
    h('td', {class: 'state'}, status(job.state, 'state')),
    h('td', {}, job.currentPhase || '—'),
    h('td', {}, job.createdBy),
    h('td', {}, time(job.updatedAt)));
}
