// RFC 9457 problem details shown next to what caused them.
import {h, replace} from './dom.js';

/** Renders a Problem (or any error) into `region` (a role="alert" element); clears it for null. */
export function showProblem(region, error) {
  if (!error) {
    replace(region);
    region.hidden = true;
    return;
  }
  const problem = error.problem || {title: 'Something went wrong', detail: String(error.message || error)};
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  replace(region,
    h('p', {class: 'problem-title'}, problem.title || 'Error', error.status ? ` (${error.status})` : ''),
    problem.detail ? h('p', {}, problem.detail) : null,
    errors.length ? h('ul', {}, errors.map((e) => h('li', {},
      e.field || e.pointer || e.location || e.path ? h('code', {}, e.field || e.pointer || e.location || e.path) : null,
      e.field || e.pointer || e.location || e.path ? ': ' : null,
      e.message || e.detail || JSON.stringify(e)))) : null,
    Array.isArray(problem.allowedActions) ? h('p', {}, 'Allowed now: ', problem.allowedActions.join(', ') || 'nothing') : null);
  region.hidden = false;
}
