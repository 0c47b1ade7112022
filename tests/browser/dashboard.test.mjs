// Browser tests of the battle map (issue 7): a real `fangxian serve` with a
// generated district, driven by Debian's chromium through playwright-core.
//
//   node --test tests/browser/                 (FX_BINARY=path/to/fangxian)
//   npm --prefix web run screenshots           (refreshes docs/screenshots/)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newPage } from './browser.mjs';
import {
  REPO, cli, findBinary, findWebRoot, hasCommand, makeDistrict, readCsv, startServer, tempDir,
} from './server.mjs';

const SHOTS = process.env.FX_SCREENSHOTS
  ? path.join(REPO, 'docs', 'screenshots')
  : (process.env.FX_SCREENSHOT_DIR ?? null);

const COMMAND = { username: 'command', password: process.env.FX_COMMAND_PASSWORD ?? 'Command-pass-2022' };
const INST_CODE = 'JY0001';
const INST = { username: 'jy0001', password: process.env.FX_INST_PASSWORD ?? 'Inst-pass-2022' };

// FX_BASE_URL: test a server that is already running (seeded with the same
// `sim district --people 3000` district in FX_DISTRICT_DIR, users as above), e.g.
// web/dev/mock-server.mjs while developing the pages.
const external = process.env.FX_BASE_URL;
const bin = findBinary();
const serves = external || hasCommand(bin, 'serve');

let dir, server, browser, district, rosterByInst;

async function shot(page, name, opts = {}) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(800); // let ECharts finish its animations
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), ...opts });
}

async function login(page, { username, password }) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForSelector('header.top', { timeout: 15_000 });
}

/** Creates an account through the CLI (`fangxian user add`). */
function addUser(db, { username, password }, role, institution) {
  const args = ['user', 'add', username, '--role', role, '--password-stdin'];
  if (institution) args.push('--institution', institution);
  cli(bin, db, args, { input: `${password}\n` });
}

function bedRoster(file, out) {
  // Take the first 60 people and spoil three of them: a wrong ID check digit,
  // a short phone number, a missing name.
  const csv = readCsv(file);
  const rows = csv.rows.slice(0, 60).map((r) => [...r]);
  const id = csv.col('证件号码');
  const phone = csv.col('手机号');
  const name = csv.col('姓名');
  const last = rows[4][id].slice(-1);
  rows[4][id] = rows[4][id].slice(0, -1) + (last === '0' ? '1' : '0');
  rows[9][phone] = '1381234';
  rows[14][name] = '';
  fs.writeFileSync(out, '\uFEFF' + [csv.cols, ...rows].map((r) => r.join(',')).join('\n') + '\n');
  return [6, 11, 16]; // spreadsheet row numbers (header is row 1)
}

describe('battle map in a browser', { skip: !serves && 'fangxian has no `serve` command yet' }, () => {
  before(async () => {
    dir = tempDir();
    if (external) {
      const d = process.env.FX_DISTRICT_DIR;
      district = { institutions: path.join(d, 'institutions.csv'), roster: path.join(d, 'roster.csv') };
      server = { base: external, stop: async () => {} };
    }
    const db = path.join(dir, 'fx.db');
    if (!external) {
      district = makeDistrict(bin, dir);
      cli(bin, db, ['import', 'institutions', district.institutions]);
      cli(bin, db, ['import', 'roster', district.roster]);
    }
    const roster = readCsv(district.roster);
    rosterByInst = new Map();
    for (const r of roster.rows) rosterByInst.set(r[0], (rosterByInst.get(r[0]) ?? 0) + 1);
    if (!external) {
      addUser(db, COMMAND, 'command');
      addUser(db, INST, 'institution', INST_CODE);
      server = await startServer(bin, db, findWebRoot());
    }
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('wrong password: a clear message, no session', async () => {
    const page = await newPage(browser, server.base);
    await page.goto(`${server.base}/#/login`);
    await shot(page, 'login');
    await page.getByLabel('用户名').fill(COMMAND.username);
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    const msg = page.getByTestId('login-error');
    await msg.waitFor();
    assert.match(await msg.innerText(), /用户名或密码错误/);
    await page.context().close();
  });

  test('throttled login (429): says how long to wait', async () => {
    // The server's throttle is tested by the server's own tests; here the page's
    // handling of its answer, without locking the test accounts out.
    const page = await newPage(browser, server.base);
    await page.route('**/api/v1/login', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'Content-Type': 'application/json', 'Retry-After': '30' },
        body: JSON.stringify({ error: { code: 'throttled', message: 'too many attempts' } }),
      }),
    );
    await page.goto(`${server.base}/#/login`);
    await page.getByLabel('用户名').fill(COMMAND.username);
    await page.getByLabel('密码').fill('whatever');
    await page.getByRole('button', { name: '登录' }).click();
    const msg = page.getByTestId('login-error');
    await msg.waitFor();
    assert.match(await msg.innerText(), /尝试次数过多,请在 (30|29|28) 秒后再试/);
    assert.ok(await page.getByRole('button', { name: '登录' }).isDisabled(), 'submit waits out Retry-After');
    await shot(page, 'login-throttled');
    await page.context().close();
  });

  test('command: the overview map shows all 203 institutions and the figures', async () => {
    const page = await newPage(browser, server.base);
    await login(page, COMMAND);
    const map = page.getByTestId('district-map');
    await page.waitForSelector('[data-testid=district-map][data-institution-count="203"]', { timeout: 15_000 });
    assert.equal(await map.getAttribute('data-institution-count'), '203');
    // The ECharts scatter series itself holds 203 points.
    await page.waitForFunction(() => window.fx?.map?.getOption()?.series?.[0]?.data?.length === 203);
    const points = await page.evaluate(() => window.fx.map.getOption().series[0].data.length);
    assert.equal(points, 203);
    // Each point sits at its institution's coordinates from the roster.
    const csv = readCsv(district.institutions);
    const placed = await page.evaluate(() =>
      Object.fromEntries(window.fx.map.getOption().series[0].data.map((d) => [d.inst.code, d.value.slice(0, 2)])),
    );
    for (const r of csv.rows) {
      const [lon, lat] = placed[r[csv.col('学校代码')]] ?? [];
      assert.ok(Math.abs(lon - Number(r[csv.col('经度')])) < 1e-6 && Math.abs(lat - Number(r[csv.col('纬度')])) < 1e-6,
        `${r[0]} placed at ${lon},${lat}`);
    }
    assert.match(await page.getByTestId('map-count').innerText(), /203/);
    // Figures: the roster's people, formatted for zh-CN.
    const figures = await page.getByTestId('figures').innerText();
    assert.match(figures, /3,000/, figures);
    await shot(page, 'overview', { fullPage: true });
    // English on request, remembered across a reload.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: /Overview/ }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: /Overview/ }).waitFor();
    await shot(page, 'overview-en');
    await page.getByRole('button', { name: '切换到中文' }).click();
    assert.deepEqual(page.outside, [], 'requests left 127.0.0.1');
    assert.deepEqual(page.errors, [], 'page errors');
    await page.context().close();
  });

  test('command: people list is masked; a click opens the person', async () => {
    const page = await newPage(browser, server.base);
    await login(page, COMMAND);
    await page.goto(`${server.base}/#/people`);
    const table = page.getByTestId('people-table');
    await table.locator('tbody tr').first().waitFor();
    assert.match(await page.getByTestId('people-total').innerText(), /3,000/);
    const firstId = await table.locator('tbody tr').first().locator('td').nth(1).innerText();
    assert.match(firstId, /\*/, `ID number should be masked in the list: ${firstId}`);
    await shot(page, 'people');
    await table.locator('tbody tr a').first().click();
    await page.getByTestId('person-detail').waitFor();
    await shot(page, 'person');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('command: importing a roster with bad rows lists them', async () => {
    const page = await newPage(browser, server.base);
    await login(page, COMMAND);
    await page.goto(`${server.base}/#/imports`);
    const file = path.join(dir, 'roster-with-errors.csv');
    const badRows = bedRoster(district.roster, file);
    await page.getByLabel('人员台账').check();
    await page.locator('#file').setInputFiles(file);
    await page.getByRole('button', { name: '上传' }).click();
    const rejected = page.getByTestId('rejected-rows');
    await rejected.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    const rows = await rejected.locator('tbody tr td:first-child').allInnerTexts();
    assert.deepEqual(rows.map(Number).sort((a, b) => a - b), badRows);
    assert.match(await page.getByTestId('import-report').innerText(), /拒绝 3 行/);
    // The rejected rows can be downloaded.
    const href = await page.getByTestId('errors-download').getAttribute('href');
    const res = await page.request.get(server.base + href);
    assert.equal(res.status(), 200);
    await shot(page, 'imports', { fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('institution admin sees only its own people (on a phone)', async () => {
    const page = await newPage(browser, server.base, { width: 375, height: 812, mobile: true });
    await login(page, INST);
    await page.waitForSelector('[data-testid=district-map][data-institution-count="1"]', { timeout: 15_000 });
    await shot(page, 'overview-phone', { fullPage: true });
    await page.goto(`${server.base}/#/people`);
    await page.getByTestId('people-table').locator('tbody tr').first().waitFor();
    const expected = rosterByInst.get(INST_CODE);
    const total = await page.getByTestId('people-total').innerText();
    assert.equal(Number(total.replace(/\D/g, '')), expected, total);
    await shot(page, 'people-phone');
    // And the API agrees, even when asked for another institution's people.
    const own = await (await page.request.get(`${server.base}/api/v1/people?per_page=500`)).json();
    const items = own.items ?? own.people ?? own;
    assert.ok(items.length > 0);
    for (const p of items) assert.ok(JSON.stringify(p).includes(INST_CODE) || JSON.stringify(p).includes('长春'), JSON.stringify(p));
    const other = await page.request.get(`${server.base}/api/v1/people?institution=JY0002`);
    if (other.ok()) {
      const body = await other.json();
      assert.equal((body.items ?? body.people ?? body).length, 0, 'another institution leaked');
    } else assert.ok([403, 404].includes(other.status()));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('an expired session goes back to login with a message', async () => {
    const page = await newPage(browser, server.base);
    await login(page, COMMAND);
    await page.context().clearCookies();
    await page.goto(`${server.base}/#/people`);
    await page.getByTestId('login-reason').waitFor();
    assert.match(await page.getByTestId('login-reason').innerText(), /会话已过期/);
    await page.context().close();
  });

  test('a server that is down shows a banner, not a blank page', { skip: external && 'external server' }, async () => {
    const page = await newPage(browser, server.base);
    await login(page, COMMAND);
    await page.waitForSelector('[data-institution-count="203"]');
    await server.stop();
    await page.goto(`${server.base}/#/people`).catch(() => {}); // hash change: no reload
    await page.getByTestId('server-down').waitFor({ timeout: 15_000 });
    assert.ok(await page.locator('header.top').isVisible(), 'the page keeps its frame');
    await shot(page, 'server-down');
    await page.context().close();
  });
});
