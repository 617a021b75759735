// Entry point: the token form and a hash router (#/jobs, #/jobs/<id>, #/new, #/new/<plan>,
// #/campaigns, #/campaigns/<id>).
// Each view returns a dispose function that closes its streams when the operator navigates away.
import {token} from './api.js';
import {showJobs} from './jobs.js';
import {showJob} from './job.js';
import {showCreate} from './create.js';
import {showCampaigns, showCampaign} from './campaigns.js';

const main = document.getElementById('main');
let dispose = () => {};

function route() {
  dispose();
  dispose = () => {};
  main.replaceChildren();
  const hash = location.hash.replace(/^#\/?/, '');
  const [section, arg] = hash.split('/').map(decodeURIComponent);
  for (const link of document.querySelectorAll('nav a')) {
    link.toggleAttribute('aria-current', link.getAttribute('href') === `#/${section || 'jobs'}`);
  }
  if (!token.get()) {
    main.append(Object.assign(document.createElement('p'), {
      className: 'hint', textContent: 'Enter an API token above (a viewer token reads; operators and approvers act).',
    }));
    return;
  }
  let close;
  if (section === 'jobs' && arg) close = showJob(main, arg);
  else if (section === 'new') close = showCreate(main, arg);
  else if (section === 'campaigns' && arg) close = showCampaign(main, arg);
  else if (section === 'campaigns') close = showCampaigns(main);
  else close = showJobs(main);
  dispose = typeof close === 'function' ? close : () => {};
}

function tokenState() {
  document.getElementById('token-state').textContent = token.get() ? 'Token set for this tab' : 'No token';
}

document.getElementById('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = document.getElementById('token-input');
  const value = input.value.trim();
  if (!value) return;
  token.set(value);
  input.value = '';
  tokenState();
  route();
});
document.getElementById('token-clear').addEventListener('click', () => {
  token.clear();
  tokenState();
  route();
});
// After navigating, keyboard and screen-reader users start at the new content.
window.addEventListener('hashchange', () => { route(); main.focus({preventScroll: true}); });
tokenState();
route();
