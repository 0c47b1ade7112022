// Browser test of the organisation page (组织架构) against a real `fangxian
// serve` (docs/api.md "Organisation", docs/directives.md): command names a
// group lead and a college's liaison through the page; an institution admin
// reads it with phones masked and no edit forms; the directives page shows the
// time-to-act table per institution.
//
//   node --test tests/browser/org.test.mjs      (FX_BINARY=path/to/fangxian)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newPage } from './browser.mjs';
import { cli, findBinary, findWebRoot, hasCommand, makeDistrict, startServer, tempDir } from './server.mjs';

const COMMAND = { username: 'command', password: 'Command-pass-2022' };
const INST_CODE = 'JY0001';
const INST = { username: 'jy0001', password: 'Inst-pass-2022' };
const GROUP = { username: 'renyuan', password: 'Group-pass-2022' };
const VIEWER = { username: 'viewer', password: 'Viewer-pass-2022' };

const bin = findBinary();
function missingRoutes() {
  if (!hasCommand(bin, 'serve')) return 'fangxian has no `serve` command';
  return fs.readFileSync(bin).includes('/api/v1/org') ? false : 'the server has no /api/v1/org yet';
}
const skip = missingRoutes();

let dir, db, server, browser, college;

async function login(page, { username, password }) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForSelector('header.top', { timeout: 15_000 });
}

describe('organisation in a browser', { skip }, () => {
  before(async () => {
    dir = tempDir();
    db = path.join(dir, 'fx.db');
    const district = makeDistrict(bin, dir, { people: 600, institutions: 20, colleges: 2 });
    cli(bin, db, ['import', 'institutions', district.institutions]);
    cli(bin, db, ['import', 'roster', district.roster]);
    cli(bin, db, ['user', 'add', COMMAND.username, '--role', 'command', '--password-stdin'], { input: `${COMMAND.password}\n` });
    cli(bin, db, ['user', 'add', INST.username, '--role', 'institution', '--institution', INST_CODE, '--password-stdin'], {
      input: `${INST.password}\n`,
    });
    cli(bin, db, ['user', 'add', GROUP.username, '--role', 'group', '--group', '人员管控', '--password-stdin'], {
      input: `${GROUP.password}\n`,
    });
    cli(bin, db, ['user', 'add', VIEWER.username, '--role', 'viewer', '--password-stdin'], { input: `${VIEWER.password}\n` });
    // A college's code from the institutions file (学校类型 高职 or 高校).
    const lines = fs.readFileSync(district.institutions, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
    college = lines.map((l) => l.split(',')).find((c) => c[2] === '高职' || c[2] === '高校')?.[0];
    assert.ok(college, 'the district has a college');
    server = await startServer(bin, db, findWebRoot());
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('command names a lead and a liaison; a school reads them masked', async () => {
    const page = await newPage(browser, server.base);
    await login(page, COMMAND);
    await page.getByRole('link', { name: /^(组织架构|Organisation)$/ }).click();
    await page.waitForSelector('[data-testid="org-groups"] [data-group="人员管控"]');
    assert.equal(await page.locator('[data-testid="org-groups"] section').count(), 6);

    const form = page.locator('[data-testid="member-form"]');
    await form.locator('#org-group').selectOption('人员管控');
    await form.locator('#org-name').fill('张伟');
    await form.locator('#org-phone').fill('13812345678');
    await form.locator('#org-lead').check();
    await form.getByRole('button').click();
    const group = page.locator('[data-group="人员管控"]');
    await group.locator('tr.org-lead').waitFor();
    assert.match(await group.locator('[data-testid="group-lead"]').innerText(), /张伟/);
    assert.match(await group.locator('tr.org-lead').innerText(), /138\*\*\*\*5678/);

    // A bad phone is refused with the field named, nothing added.
    await form.locator('#org-group').selectOption('物资保障');
    await form.locator('#org-name').fill('李娜');
    await form.locator('#org-phone').fill('123');
    await form.getByRole('button').click();
    await form.locator('[role="alert"]').first().waitFor();
    assert.match(await form.innerText(), /phone/);
    assert.equal(await page.locator('[data-group="物资保障"] tbody tr').count(), 0);

    const lf = page.locator('[data-testid="liaison-form"]');
    await lf.locator('#org-college').fill(college);
    await lf.locator('#org-lname').fill('赵敏');
    await lf.locator('#org-lphone').fill('13900001111');
    await lf.getByRole('button').click();
    await page.locator(`[data-testid="org-liaisons"] [data-liaison="${college}"]`).waitFor();
    await page.close();

    const school = await newPage(browser, server.base, { width: 375, height: 812, mobile: true });
    await login(school, INST);
    await school.goto(`${server.base}/#/org`);
    await school.waitForSelector('[data-group="人员管控"] tr.org-lead');
    const text = await school.locator('main').innerText();
    assert.match(text, /张伟/);
    assert.match(text, /赵敏/);
    assert.doesNotMatch(text, /13812345678|13900001111/);
    assert.equal(await school.locator('[data-testid="member-form"]').count(), 0, 'no edit form');
    const href = await school.locator('[data-testid="export-members"]').getAttribute('href');
    const res = await school.request.get(new URL(href, server.base).toString());
    assert.equal(res.status(), 200);
    assert.equal((await res.body()).subarray(0, 2).toString(), 'PK');
    await school.close();
  });

  test('the directives page shows the time to act per institution', async () => {
    const page = await newPage(browser, server.base);
    await login(page, COMMAND);
    const csrf = await page.evaluate(() => sessionStorage.getItem('fx.csrf'));
    const res = await page.request.fetch(`${server.base}/api/v1/directives`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf ?? '', 'Content-Type': 'application/json' },
      data: JSON.stringify({ title: '统计演示', to: [INST_CODE] }),
    });
    assert.equal(res.status(), 201, await res.text());
    const id = (await res.json()).id;
    const ack = await page.request.fetch(`${server.base}/api/v1/directives/${id}/recipients/${INST_CODE}/ack`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf ?? '', 'Content-Type': 'application/json' },
      data: '{}',
    });
    assert.equal(ack.status(), 200, await ack.text());
    await page.goto(`${server.base}/#/directives`);
    const row = page.locator(`[data-testid="directive-timing"] tr[data-institution="${INST_CODE}"]`);
    await row.waitFor();
    assert.notEqual((await row.locator('[data-testid="median-ack"]').innerText()).trim(), '—');
    await page.close();
  });
  test('org.manage: a task group reads but cannot edit; a viewer is refused', async () => {
    const members = () => JSON.parse(cli(bin, db, ['org', 'show', '--json']).stdout).groups.flatMap((g) => g.members);
    const count = members().length;
    const page = await newPage(browser, server.base);
    await login(page, GROUP);
    // The group reaches the page by its nav link (directives.act), without edit forms.
    await page.getByRole('link', { name: /^(组织架构|Organisation)$/ }).click();
    await page.waitForURL(/#\/org/);
    await page.waitForSelector('[data-testid="org-groups"] [data-group="人员管控"]');
    assert.equal(await page.locator('[data-testid="org-groups"] section').count(), 6);
    assert.equal(await page.locator('[data-testid="member-form"], [data-testid="liaison-form"]').count(), 0, 'no edit forms');
    // Its own session cannot add a member either: 403, nothing stored.
    const csrf = await page.evaluate(() => sessionStorage.getItem('fx.csrf'));
    const res = await page.request.fetch(`${server.base}/api/v1/org/members`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf ?? '', 'Content-Type': 'application/json' },
      data: JSON.stringify({ group: '人员管控', name: '王五', lead: true }),
    });
    assert.equal(res.status(), 403, await res.text());
    assert.equal(members().length, count, 'nothing stored');
    assert.deepEqual(page.errors, []);
    await page.close();

    // A viewer (figures.read only): no nav link, and the API refuses the organisation.
    const v = await newPage(browser, server.base);
    await login(v, VIEWER);
    await v.locator('nav.nav a').first().waitFor();
    assert.equal(await v.getByRole('link', { name: /^(组织架构|Organisation)$/ }).count(), 0);
    const r = await v.request.get(`${server.base}/api/v1/org`);
    assert.equal(r.status(), 403);
    await v.close();
  });
});
