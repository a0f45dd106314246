import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ServerError } from '../src/client';
import { Status, StatusView } from '../src/status';

function make(enabled = true) {
  const views: StatusView[] = [];
  const warnings: string[] = [];
  const status = new Status('http://127.0.0.1:7330', enabled, (v) => views.push(v), (m) => warnings.push(m));
  return { status, views, warnings };
}

const down = () => new ServerError('unreachable', 'cannot reach http://127.0.0.1:7330: ECONNREFUSED');

test('starts looking for the server (not "ready" before a health check), or disabled', () => {
  const { status, views } = make();
  assert.equal(status.state, 'connecting');
  assert.doesNotMatch(views[0].text, /check/);
  status.server('up');
  assert.equal(status.state, 'ready');
  const off = make(false);
  assert.equal(off.status.state, 'disabled');
  assert.match(off.views[0].text, /off/);
});

test('loading while a request is in flight, ready after it', () => {
  const { status } = make();
  status.started();
  assert.equal(status.state, 'loading');
  status.succeeded();
  assert.equal(status.state, 'ready');
  status.started();
  status.cancelled();
  assert.equal(status.state, 'ready');
});

test('a down server is reported once, not on every keystroke', () => {
  const { status, warnings, views } = make();
  for (let i = 0; i < 5; i++) {
    status.started();
    status.failed(down());
  }
  assert.equal(status.state, 'unreachable');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /cannot reach the completion server at http:\/\/127\.0\.0\.1:7330/);
  assert.match(views[views.length - 1].text, /unreachable/);
  assert.match(views[views.length - 1].tooltip, /ssl4code serve/);
  // a cancelled request does not hide the outage
  status.started();
  status.cancelled();
  assert.equal(status.state, 'unreachable');
});

test('after the server answered again, a new outage is reported again', () => {
  const { status, warnings } = make();
  status.started(); status.failed(down());
  status.started(); status.succeeded();
  assert.equal(status.state, 'ready');
  status.started(); status.failed(down());
  assert.equal(warnings.length, 2);
});

test('server errors and timeouts show "error" with the reason, without a popup', () => {
  const { status, warnings, views } = make();
  status.started();
  status.failed(new ServerError('http', 'http://127.0.0.1:7330 answered 500: model exploded', 500));
  assert.equal(status.state, 'error');
  assert.match(views[views.length - 1].tooltip, /model exploded/);
  status.started();
  status.failed(new ServerError('timeout', 'no answer within 3000 ms'));
  assert.equal(status.state, 'error');
  assert.equal(warnings.length, 0);
});

test('disabling wins over everything; a new server URL starts afresh', () => {
  const { status, warnings } = make();
  status.started(); status.failed(down());
  status.configure('http://127.0.0.1:7330', false);
  assert.equal(status.state, 'disabled');
  status.configure('http://127.0.0.1:7330', true);
  assert.equal(status.state, 'unreachable');
  status.configure('http://127.0.0.1:6000', true);
  assert.equal(status.state, 'ready');
  status.started(); status.failed(down());
  assert.equal(warnings.length, 2);
});

test('render is called only when the view changes', () => {
  const { status, views } = make();
  const n = views.length;
  status.configure('http://127.0.0.1:7330', true);
  assert.equal(views.length, n);
});

test('after a failed start, failing requests do not pop up a second warning; an answer makes it ready', () => {
  const { status, warnings } = make();
  status.server('failed', 'the model failed to load');
  assert.equal(status.state, 'failed');
  status.started(); status.failed(down());
  assert.equal(status.state, 'failed');
  assert.equal(warnings.length, 0);
  status.started(); status.succeeded();
  assert.equal(status.state, 'ready');
});
