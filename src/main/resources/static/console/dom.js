// Builds DOM nodes. API data (job names, step outputs, AWS errors) is untrusted: it only ever
// becomes text (textContent / text nodes), never markup, so there is no innerHTML anywhere.

/**
 * h('button', {class: 'x', onclick: fn, disabled: true}, 'text', child, [more]) -> element.
 * Strings and numbers become text nodes; null, undefined and false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'value') {
      el.value = value;
    } else if (key === 'checked') {
      el.checked = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** JSON shown as pretty-printed text in a <pre>, or nothing for null. */
export function json(value, label) {
  if (value === null || value === undefined) return null;
  return h('pre', {class: 'json', tabindex: '0', 'aria-label': label || null}, JSON.stringify(value, null, 2));
}

/** A local, readable time with the ISO instant as the machine-readable value. */
export function time(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return h('time', {datetime: iso, title: iso}, d.toLocaleString());
}

/** A status as text and colour (never colour alone). */
export function status(value, kind = 'status') {
  if (!value) return null;
  return h('span', {class: `badge ${kind}-${String(value).toLowerCase().replace(/_/g, '-')}`}, value.replace(/_/g, ' '));
}

/** Announces a short message to screen readers through the page's polite live region. */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (region) region.textContent = message;
}
