// Browser test of the directives page (指令) against a real `fangxian serve`
// (docs/api.md "Directives (指令)", docs/directives.md): command sends a directive
// through the form; the institution admin, on a phone, finds it in the inbox,
// acknowledges it and reports done with feedback; command's open page turns the
// row to done live and accepts it.
//
//   node --test tests/browser/directives.test.mjs      (FX_BINARY=path/to/fangxian)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newPage } from './browser.mjs';
import { REPO, cli, findBinary, findWebRoot, hasCommand, makeDistrict, startServer, tempDir } from './server.mjs';

const SHOTS = process.env.FX_SCREENSHOTS
  ? path.join(REPO, 'docs', 'screenshots')
  : (process.env.FX_SCREENSHOT_DIR ?? null);
const COMMAND = { username: 'command', password: 'Command-pass-2022' };
const INST_CODE = 'JY0001';
const INST = { username: 'jy0001', password: 'Inst-pass-2022' };

const bin = findBinary();
function missingRoutes() {
  if (!hasCommand(bin, 'serve')) return 'fangxian has no `serve` command';
  return fs.readFileSync(bin).includes('/api/v1/directives') ? false : 'the server has no /api/v1/directives yet';
}
const skip = missingRoutes();

let dir, db, server, browser;

async function shot(page, name, opts = {}) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => scrollTo(0, 0));
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), ...opts });
}

async function login(page, { username, password }) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForSelector('header.top', { timeout: 15_000 });
}

async function call(page, method, route, body) {
  const csrf = await page.evaluate(() => sessionStorage.getItem('fx.csrf'));
  const res = await page.request.fetch(`${server.base}/api/v1${route}`, {
    method,
    headers: { 'X-CSRF-Token': csrf ?? '', 'Content-Type': 'application/json' },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok(), `${method} ${route} → ${res.status()} ${text.slice(0, 400)}`);
  return JSON.parse(text);
}

const noSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1);

describe('directives in a browser', { skip }, () => {
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
    server = await startServer(bin, db, findWebRoot());
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('command sends, the institution acknowledges and reports done on a phone, command sees it live and accepts', async () => {
    const title = `浏览器测试指令 ${Date.now()}`;
    const feedback = '已完成全部漏检人员补采,名单已核对。';

    // Command: the form.
    const cmd = await newPage(browser, server.base);
    await login(cmd, COMMAND);
    await cmd.getByRole('link', { name: '指令' }).click();
    await cmd.getByTestId('new-directive').click();
    await cmd.getByLabel('标题').fill(title);
    await cmd.getByLabel('正文').fill('请于今日18时前完成漏检人员补采并反馈。');
    await cmd.getByLabel('紧急程度').selectOption('特急');
    await cmd.getByLabel('完成时限').fill('2030-03-11T18:00');
    await cmd.getByLabel(/接收单位/).fill(INST_CODE);
    await cmd.getByRole('button', { name: '下发' }).click();
    const detail = cmd.getByTestId('directive-detail');
    await detail.waitFor({ timeout: 15_000 });
    const id = await detail.getAttribute('data-directive');
    assert.match(id, /^\d+$/);
    assert.match(await detail.innerText(), new RegExp(title));
    assert.equal(await detail.locator('[data-priority]').getAttribute('data-priority'), 'critical');
    const cmdRow = cmd.locator(`[data-testid=recipients-table] tr[data-recipient=${INST_CODE}]`);
    assert.equal(await cmdRow.getAttribute('data-state'), 'delivered');
    assert.equal(await cmd.locator('[data-testid=recipients-table] tbody tr').count(), 1);
    // Another institution's directive, which the institution admin must not see.
    const other = await call(cmd, 'POST', '/directives', { title: '发给JY0002的指令', to: ['JY0002'] });
    // From here on the command page must not reload: its row changes live.
    await cmd.evaluate(() => (window.__noReload = true));

    // The institution admin on a phone.
    const page = await newPage(browser, server.base, { width: 375, height: 812, mobile: true });
    await login(page, INST);
    await page.getByRole('link', { name: '指令' }).click();
    const inbox = page.getByTestId('directives-inbox');
    const item = inbox.locator(`li[data-directive="${id}"]`);
    await item.waitFor({ timeout: 15_000 });
    assert.equal(await inbox.locator(`li[data-directive="${other.id}"]`).count(), 0, "another institution's directive is hidden");
    assert.equal(await item.locator('[data-priority]').innerText(), '特急');
    assert.equal(await item.locator(`[data-own=${INST_CODE}] [data-state]`).getAttribute('data-state'), 'delivered');
    assert.ok(await noSideways(page), 'the inbox does not scroll sideways at 375 px');
    await shot(page, 'directives-phone');

    await item.getByRole('link', { name: title }).click();
    const row = page.locator(`[data-testid=recipients-table] tr[data-recipient=${INST_CODE}]`);
    await row.waitFor();
    assert.equal(await page.getByRole('button', { name: '验收通过' }).count(), 0, 'no accept without directives.send');
    assert.equal(await page.getByTestId('new-directive').count(), 0);
    await page.getByRole('button', { name: '确认接收' }).click();
    await page.waitForSelector(`[data-testid=recipients-table] tr[data-recipient=${INST_CODE}][data-state=acknowledged]`);
    await page.getByLabel('整改反馈(办结情况)').fill(feedback);
    await page.getByRole('button', { name: '报告办结' }).click();
    await page.waitForSelector(`[data-testid=recipients-table] tr[data-recipient=${INST_CODE}][data-state=done]`);
    assert.equal(await row.locator('[data-col=feedback]').innerText(), feedback);
    assert.ok(await noSideways(page), 'the directive page does not scroll sideways at 375 px');
    await shot(page, 'directive-phone', { fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();

    // Command: the row turned done without a reload; accept it.
    await cmd.waitForSelector(`[data-testid=recipients-table] tr[data-recipient=${INST_CODE}][data-state=done]`, { timeout: 10_000 });
    assert.equal(await cmd.evaluate(() => window.__noReload), true, 'the command page was not reloaded');
    assert.equal(await cmdRow.locator('[data-col=state]').innerText(), '已办结');
    assert.equal(await cmdRow.locator('[data-col=feedback]').innerText(), feedback);
    await cmd.getByRole('button', { name: '验收通过' }).click();
    await cmd.waitForSelector(`[data-testid=recipients-table] tr[data-recipient=${INST_CODE}][data-state=accepted]`);
    await shot(cmd, 'directive', { fullPage: true });
    const after = await call(cmd, 'GET', `/directives/${id}`);
    const r = after.recipients.find((x) => x.institution.code === INST_CODE);
    assert.equal(r.state, 'accepted');
    assert.equal(r.feedback, feedback);
    assert.ok(r.acknowledged_at && r.done_at && r.accepted_at, JSON.stringify(r));
    assert.deepEqual(
      after.history.map((h) => h.action).filter((a) => ['ack', 'done', 'accept'].includes(a)),
      ['ack', 'done', 'accept'],
    );
    assert.deepEqual(cmd.errors, []);
    await cmd.context().close();
  });
});
