// Server-Sent Events over fetch(): EventSource cannot send an Authorization header, so the
// stream is read with a streaming reader and parsed here (the text/event-stream format).
// Reconnects after a drop with Last-Event-ID, as EventSource would.
import {authHeaders, Problem} from './api.js';

/**
 * Opens /api/v1{path} as an event stream. onEvent({type, id, data}) for each event (data parsed
 * as JSON when it is); onState('open' | 'reconnecting' | 'closed' | 'failed', problem?).
 * Returns {close()}.
 */
export function openStream(path, {onEvent, onState = () => {}}) {
  const controller = new AbortController();
  let lastEventId = null;
  let retry = 2000;
  let closed = false;

  async function connect() {
    while (!closed) {
      try {
        const headers = authHeaders({Accept: 'text/event-stream'});
        if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
        const response = await fetch(`/api/v1${path}`, {headers, cache: 'no-store', signal: controller.signal});
        if (!response.ok) {
          let body = null;
          try { body = await response.json(); } catch { /* not JSON */ }
          const problem = new Problem(response.status, body);
          // Credentials, roles or an unknown job do not get better by retrying.
          if ([400, 401, 403, 404].includes(response.status)) {
            onState('failed', problem);
            return;
          }
          throw problem;
        }
        onState('open');
        await read(response.body.getReader());
      } catch (e) {
        if (closed || e.name === 'AbortError') return;
      }
      if (closed) return;
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, retry));
    }
  }

  async function read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    let event = {type: 'message', data: [], id: null};
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, {stream: true});
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') {
          if (event.id !== null) lastEventId = event.id;
          if (event.data.length) dispatch(event);
          event = {type: 'message', data: [], id: null};
          continue;
        }
        if (line.startsWith(':')) continue; // comment: heartbeat
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event.type = value;
        else if (field === 'data') event.data.push(value);
        else if (field === 'id') event.id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
      }
    }
  }

  function dispatch(event) {
    const text = event.data.join('\n');
    let data = text;
    try { data = JSON.parse(text); } catch { /* plain text */ }
    onEvent({type: event.type, id: event.id, data});
  }

  connect();
  return {
    close() {
      closed = true;
      controller.abort();
      onState('closed');
    },
  };
}
