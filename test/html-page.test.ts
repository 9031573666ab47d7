import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldLabels, readPage, signInForm } from '../src/agents/html-page.ts';

const SIGN_IN = `<!doctype html><title>Globex &amp; Co &#8211; Sign In</title>
<script>document.write('<h1>not me</h1><a href="/x">Not a link</a>')</script>
<style>h1::before { content: "<label>" }</style>
<h1>Globex
  Corporation</h1>
<p role="alert">  </p><div role=alert>Unable to <b>sign in</b></div>
<form method=POST action="/login?x=1&amp;y=2">
<input type=hidden name=state value="s&quot;1">
<label>Username <input name=username value="hank"></label>
<label for=pw>Password:</label><input id=pw type=password name=password>
<label for=remember>Keep me signed in</label><input type=checkbox id=remember name=remember checked>
<textarea name=note>
 two  spaces</textarea>
<button name=action value=go>Sign <em>In</em></button>
<input type=submit>
<button type=button>Show</button>
</form>
<!-- <a href="/commented">Commented</a> -->
<a href="/cancel">Cancel</a><a>no href</a>`;

describe('readPage', () => {
  test('sees a sign-in page as a person does: entities decoded, script and style text left out', () => {
    const page = readPage(SIGN_IN);
    assert.equal(page.title, 'Globex & Co – Sign In');
    assert.equal(page.organisation, 'Globex Corporation');
    assert.equal(page.alert, 'Unable to sign in');
    assert.deepEqual(fieldLabels(page), ['Username', 'Password:']);
    assert.deepEqual(page.controls, ['Sign In', 'Submit', 'Cancel']);
    assert.deepEqual(page.links, [{ text: 'Cancel', href: '/cancel' }]);
    const [form, ...others] = page.forms;
    assert.ok(form);
    assert.equal(others.length, 0);
    assert.equal(form.action, '/login?x=1&y=2');
    assert.equal(form.method, 'post');
    assert.deepEqual(
      form.controls.map((control) => [control.name, control.type, control.value, control.checked]),
      [
        ['state', 'hidden', 's"1', false],
        ['username', 'text', 'hank', false],
        ['password', 'password', '', false],
        ['remember', 'checkbox', '', true],
        ['note', 'textarea', ' two  spaces', false],
        ['action', 'submit', 'go', false],
        [undefined, 'submit', '', false],
        [undefined, 'button', '', false],
      ],
    );
    const found = signInForm(page);
    assert.equal(found?.form, form);
    assert.equal(found?.username.name, 'username');
    assert.equal(found?.password.name, 'password');
  });

  test('the element marked data-organisation names the organisation, even after an h1', () => {
    const page = readPage('<h1>Sign In</h1><header><span data-organisation>Initech</span></header>');
    assert.equal(page.organisation, 'Initech');
    assert.equal(readPage('<p>no heading</p>').organisation, '');
  });

  test('parses misnested markup as a browser does: a form inside a form is one form, a label left open ends with its paragraph', () => {
    const page = readPage(
      '<form action=/outer><form action=/inner><label>Username<input name=u></label>' +
        '<p><label>Password <input type=password name=p></p></form><a href=/help>Help',
    );
    assert.deepEqual(
      page.forms.map((form) => [form.action, form.controls.map((control) => control.name)]),
      [['/outer', ['u', 'p']]],
    );
    assert.deepEqual(fieldLabels(page), ['Username', 'Password']);
    assert.deepEqual(page.links, [{ text: 'Help', href: '/help' }]);
  });

  test('a form with no labelled Username and Password is no sign-in form', () => {
    const page = readPage(
      '<form><label for=u>Username</label><label for=p>Password</label></form><input id=u><input id=p type=password>',
    );
    assert.deepEqual(fieldLabels(page), ['Username', 'Password']);
    assert.equal(signInForm(page), undefined, 'the labelled inputs are outside the form');
    assert.equal(
      signInForm(readPage('<form><label>Username<input type=checkbox></label></form>')),
      undefined,
    );
  });
});
