// Create a job from a plan: a form generated from the plan's parameter schema, a preview of what
// the job would do (POST /plans/{name}/preview), then POST /jobs. Create stays disabled until the
// current values have been previewed.
import {get, post} from './api.js';
import {h, replace, json, status} from './dom.js';
import {showProblem} from './problem.js';

export function showCreate(main, planName) {
  const problem = h('div', {class: 'problem', role: 'alert', hidden: true, tabindex: '-1'});
  const picker = h('select', {id: 'plan-select', onchange: (e) => { location.hash = `#/new/${encodeURIComponent(e.target.value)}`; }});
  const formArea = h('div');
  const previewArea = h('section', {'aria-labelledby': 'preview-h', class: 'preview', hidden: true});
  main.append(h('h1', {}, 'New job'),
    h('div', {class: 'field'}, h('label', {for: 'plan-select'}, 'Plan'), picker),
    problem, formArea, previewArea);

  get('/plans').then((plans) => {
    replace(picker, h('option', {value: ''}, 'Choose a plan…'),
      plans.map((p) => h('option', {value: p.name, selected: p.name === planName}, `${p.name} (v${p.version}) — ${p.description || ''}`)));
    if (planName) return get(`/plans/${encodeURIComponent(planName)}`).then((plan) => renderForm(plan));
    return null;
  }).catch((e) => showProblem(problem, e));

  function renderForm(plan) {
    const params = (plan.document && plan.document.parameters) || [];
    const inputs = params.map(field);
    let previewed = null; // the request last previewed successfully
    const create = h('button', {type: 'submit', id: 'create-job', disabled: true}, 'Create job');
    const previewButton = h('button', {type: 'button', id: 'preview-job', onclick: preview}, 'Preview');
    const name = h('input', {id: 'job-name', name: 'name', required: true, maxlength: '200', type: 'text'});
    const form = h('form', {id: 'create-form', novalidate: true, 'aria-describedby': 'create-hint', onsubmit: submit,
      oninput: () => { previewed = null; create.disabled = true; }},
    h('h2', {}, `${plan.name} v${plan.version}`),
    plan.description ? h('p', {}, plan.description) : null,
    h('div', {class: 'field'}, h('label', {for: 'job-name'}, 'Job name ', h('span', {class: 'req'}, '(required)')), name),
    h('fieldset', {}, h('legend', {}, 'Parameters'),
      inputs.length ? inputs.map((i) => i.node) : h('p', {}, 'This plan takes no parameters.')),
    h('p', {id: 'create-hint', class: 'hint'}, 'Preview shows every step the job would run, resolved with these values; nothing runs until you start the job.'),
    h('div', {class: 'buttons'}, previewButton, create));
    replace(formArea, form);

    function request() {
      const parameters = {};
      for (const i of inputs) {
        const v = i.read();
        if (v !== undefined) parameters[i.spec.name] = v;
      }
      return {plan: plan.name, planVersion: plan.version, name: name.value.trim(), parameters};
    }

    async function preview() {
      showProblem(problem, null);
      try {
        const body = request();
        const result = await post(`/plans/${encodeURIComponent(plan.name)}/preview`,
          {version: plan.version, parameters: body.parameters});
        renderPreview(result);
        previewed = JSON.stringify(body);
        create.disabled = false;
        document.getElementById('preview-h').focus();
      } catch (e) {
        fail(e);
      }
    }

    async function submit(e) {
      e.preventDefault();
      showProblem(problem, null);
      try {
        const body = request();
        if (!body.name) throw {problem: {title: 'A job needs a name', errors: [{field: 'name', message: 'must not be blank'}]}};
        if (previewed !== JSON.stringify(body)) { await preview(); return; }
        const job = await post('/jobs', body);
        location.hash = `#/jobs/${job.id}`;
      } catch (err) {
        fail(err);
      }
    }
  }

  function fail(e) {
    showProblem(problem, e);
    problem.focus();
  }

  function renderPreview(result) {
    previewArea.hidden = false;
    replace(previewArea, h('h2', {id: 'preview-h', tabindex: '-1'}, 'What this job would do'),
      h('ol', {class: 'preview-phases'}, result.phases.map((p) => h('li', {class: p.empty ? 'empty' : '', 'data-phase': p.phase},
        h('h3', {}, p.phase, p.empty ? ' (nothing to do, skipped)' : ''),
        p.approval ? h('p', {class: 'gate'}, `Stops for ${p.approval.required} approval(s)`,
          p.approval.roles && p.approval.roles.length ? ` by ${p.approval.roles.join(' or ')}` : '', ' before it runs.') : null,
        p.steps.length ? h('ul', {}, p.steps.map((s) => h('li', {'data-step': s.id},
          h('code', {}, s.id), ': ', s.description || s.action,
          s.irreversible ? [' ', status('IRREVERSIBLE', 'flag')] : null,
          s.compensation ? h('div', {class: 'undo'}, 'Undo: ', s.compensation) : null,
          h('details', {}, h('summary', {}, 'Resolved parameters'), json(s.with, `${s.id} parameters`))))) : null))));
  }
}

/** One input per parameter, by type; read() returns the JSON value, or undefined to use the default. */
function field(spec) {
  const type = String(spec.type || 'string').toLowerCase();
  const id = `param-${spec.name}`;
  const dflt = spec.defaultValue;
  const describedBy = `${id}-help`;
  const help = h('p', {id: describedBy, class: 'hint'}, spec.description || '',
    ` (${type}${spec.secret ? ', secret' : ''}${dflt !== null && dflt !== undefined && !spec.secret ? `, default ${JSON.stringify(dflt)}` : ''})`);
  const label = h('label', {for: id}, spec.name, spec.required ? h('span', {class: 'req'}, ' (required)') : null);
  let input;
  let read;
  if (type === 'boolean') {
    input = h('input', {id, type: 'checkbox', checked: dflt === true, 'aria-describedby': describedBy});
    read = () => input.checked;
    return {spec, read, node: h('div', {class: 'field check'}, input, label, help)};
  }
  if (type === 'list' || type === 'map') {
    input = h('textarea', {id, rows: '3', spellcheck: 'false', 'aria-describedby': describedBy, required: spec.required},
      dflt !== null && dflt !== undefined ? JSON.stringify(dflt, null, 2) : '');
    read = () => {
      if (!input.value.trim()) return undefined;
      try { return JSON.parse(input.value); } catch {
        throw {problem: {title: 'Not valid JSON', errors: [{field: spec.name, message: `must be a JSON ${type === 'list' ? 'array' : 'object'}`}]}};
      }
    };
  } else {
    const attrs = {id, 'aria-describedby': describedBy, required: spec.required, spellcheck: 'false'};
    if (spec.secret) Object.assign(attrs, {type: 'password', autocomplete: 'new-password'});
    else if (type === 'integer') Object.assign(attrs, {type: 'number', step: '1', inputmode: 'numeric'});
    else if (type === 'number') Object.assign(attrs, {type: 'number', step: 'any'});
    else if (type === 'duration') Object.assign(attrs, {type: 'text', placeholder: 'PT30S, PT5M, P7D', pattern: 'P.*'});
    else attrs.type = 'text';
    if (!spec.secret && dflt !== null && dflt !== undefined) attrs.value = typeof dflt === 'string' ? dflt : JSON.stringify(dflt);
    input = h('input', attrs);
    read = () => {
      const raw = input.value.trim();
      if (raw === '') return undefined;
      if (type === 'integer' || type === 'number') return Number(raw);
      return raw;
    };
  }
  return {spec, read, node: h('div', {class: 'field'}, label, input, help)};
}
