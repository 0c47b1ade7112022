// Browser tests of the test-rounds, tracking and case-card pages against a real
// `fangxian serve` (docs/api.md "Test rounds", "Cases and the tracking table"):
// figures that change live while records are posted through the API, drill-downs
// to names, exports, the tracking table per role, the case card on one A4 page.
//
//   node --test tests/browser/rounds-tracking.test.mjs      (FX_BINARY=path/to/fangxian)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newPage } from './browser.mjs';
import { REPO, cli, findBinary, findWebRoot, hasCommand, makeDistrict, readCsv, startServer, tempDir } from './server.mjs';

const SHOTS = process.env.FX_SCREENSHOTS
  ? path.join(REPO, 'docs', 'screenshots')
  : (process.env.FX_SCREENSHOT_DIR ?? null);
const COMMAND = { username: 'command', password: process.env.FX_COMMAND_PASSWORD ?? 'Command-pass-2022' };
const INST_CODE = 'JY0001';
const INST = { username: 'jy0001', password: process.env.FX_INST_PASSWORD ?? 'Inst-pass-2022' };

// FX_BASE_URL: a server already running over the district in FX_DISTRICT_DIR (e.g.
// web/dev/mock-server.mjs while developing; its seeded data differs, so some
// assertions made for a fresh real server may not hold there).
const external = process.env.FX_BASE_URL;
const bin = external ? null : findBinary();
// The routes are compiled into the binary as literals; a binary without them
// (the server side not merged yet) skips these tests rather than failing them.
function missingRoutes() {
  if (!hasCommand(bin, 'serve')) return 'fangxian has no `serve` command';
  const image = fs.readFileSync(bin);
  const need = ['/api/v1/rounds', '/api/v1/tracking', '/api/v1/cases'];
  const absent = need.filter((r) => !image.includes(r));
  return absent.length ? `the server has no ${absent.join(', ')} yet (rounds/tracking API not merged)` : false;
}
const skip = external ? false : missingRoutes();

let dir, db, server, browser, district, roster;

async function shot(page, name, opts = {}) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => scrollTo(0, 0)); // a sticky header would land mid-page
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

/** An API call in the page's session: cookie + X-CSRF-Token (what the page itself sends). */
async function call(page, method, route, body) {
  const csrf = await page.evaluate(() => sessionStorage.getItem('fx.csrf'));
  const res = await page.request.fetch(`${server.base}/api/v1${route}`, {
    method,
    headers: { 'X-CSRF-Token': csrf ?? '', 'Content-Type': 'application/json' },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  assert.ok(res.ok(), `${method} ${route} → ${res.status()} ${text.slice(0, 400)}`);
  return json;
}

const cellText = (page, sel) => page.locator(sel).innerText();
const digits = (s) => Number(String(s).replace(/[^\d]/g, ''));
/** Waits until a table cell shows `n` (zh-CN grouping), without reloading the page. */
async function waitFigure(page, sel, n, timeout = 10_000) {
  const want = new Intl.NumberFormat('zh-CN').format(n);
  await page.waitForFunction(
    ([s, w]) => document.querySelector(s)?.textContent?.trim() === w,
    [sel, want],
    { timeout },
  ).catch(async () => assert.fail(`${sel} shows ${await cellText(page, sel).catch(() => '?')}, expected ${want}`));
}

function person(r) {
  return {
    inst: r[roster.col('学校代码')],
    name: r[roster.col('姓名')],
    id: r[roster.col('证件号码')],
    code: r[roster.col('学号/工号')],
    kind: r[roster.col('人员类别')],
    dorm: r[roster.col('宿舍')],
  };
}

describe('test rounds, tracking and case card in a browser', { skip }, () => {
  before(async () => {
    dir = tempDir();
    db = path.join(dir, 'fx.db');
    if (external) {
      const d = process.env.FX_DISTRICT_DIR;
      district = { institutions: path.join(d, 'institutions.csv'), roster: path.join(d, 'roster.csv') };
      roster = readCsv(district.roster);
      server = { base: external, stop: async () => {} };
      browser = await launch();
      return;
    }
    district = makeDistrict(bin, dir);
    const presence = path.join(dir, 'presence');
    cli(bin, null, ['sim', 'presence', '--people', '3000', '--days', '7', '--out', presence]);
    cli(bin, db, ['import', 'institutions', district.institutions]);
    cli(bin, db, ['import', 'roster', district.roster]);
    cli(bin, db, ['import', 'presence', '--kind', 'timetable', '--create-places', path.join(presence, 'timetable.csv')]);
    cli(bin, db, ['import', 'presence', '--kind', 'swipes', '--create-places', path.join(presence, 'swipes.csv')]);
    cli(bin, db, ['site', 'add', '--name', '净月宾馆', '--capacity', '200']);
    cli(bin, db, ['user', 'add', COMMAND.username, '--role', 'command', '--password-stdin'], { input: `${COMMAND.password}\n` });
    cli(bin, db, ['user', 'add', INST.username, '--role', 'institution', '--institution', INST_CODE, '--password-stdin'], {
      input: `${INST.password}\n`,
    });
    roster = readCsv(district.roster);
    server = await startServer(bin, db, findWebRoot());
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('command: create a round in the page; posted samples and results change the table live; drill down; export', async () => {
    const page = await newPage(browser, server.base);
    await login(page, COMMAND);
    await page.goto(`${server.base}/#/rounds`);
    await page.getByTestId('new-round').click();
    await page.getByLabel('轮次名称').fill('浏览器测试轮次');
    await page.getByLabel('日期').fill('2022-03-10');
    await page.getByRole('button', { name: '创建' }).click();
    const detail = page.getByTestId('round-detail');
    await page.waitForSelector('[data-testid=round-table] tfoot [data-col=due]', { timeout: 15_000 });
    const id = await detail.getAttribute('data-round');
    assert.match(id, /^\d+$/);
    const due = digits(await cellText(page, '[data-testid=round-total] [data-col=due]'));
    assert.equal(due, roster.rows.length, 'everyone in the roster is due');
    assert.equal(digits(await cellText(page, '[data-testid=round-total] [data-col=sampled]')), 0);
    assert.match(await page.getByTestId('rounds-list').innerText(), /浏览器测试轮次/);

    // From here on the page must not reload: a marker on window would be lost.
    await page.evaluate(() => (window.__noReload = true));
    const mine = roster.rows.map(person).filter((p) => p.inst === INST_CODE);
    const poolA = mine.slice(0, 10);
    const poolB = mine.slice(10, 15);
    const at = '2022-03-10 09:00';
    const sampled = await call(page, 'POST', `/rounds/${id}/sampling`, {
      records: [
        ...poolA.map((p) => ({ tube_code: 'BT0000000001', id_number: p.id, name: p.name, site: '一号采样点', sampled_at: at })),
        ...poolB.map((p) => ({ tube_code: 'BT0000000002', id_number: p.id, name: p.name, site: '一号采样点', sampled_at: at })),
      ],
    });
    assert.equal(sampled.imported, 15, JSON.stringify(sampled));
    await waitFigure(page, '[data-testid=round-total] [data-col=sampled]', 15);
    await waitFigure(page, `[data-testid=round-table] tbody tr[data-institution=${INST_CODE}] [data-col=sampled]`, 15);

    const results = await call(page, 'POST', `/rounds/${id}/results`, {
      records: [
        { tube_code: 'BT0000000001', result: '阴性', lab: '净月检测中心', reported_at: '2022-03-10 15:00' },
        { tube_code: 'BT0000000002', result: '阳性', lab: '净月检测中心', reported_at: '2022-03-10 15:00' },
      ],
    });
    assert.equal(results.imported, 2, JSON.stringify(results));
    await waitFigure(page, '[data-testid=round-total] [data-col=negative]', 10);
    await waitFigure(page, '[data-testid=round-total] [data-col=pool_positive]', 5);

    // The re-test list (复检名单) names exactly the five people of the positive pool.
    await page.locator('[data-testid=round-total] [data-col=pool_positive] button').click();
    const drill = page.getByTestId('drill-table');
    await drill.locator('tbody tr').first().waitFor();
    const retest = (await drill.locator('tbody tr td:first-child').allInnerTexts()).sort();
    assert.deepEqual(retest, poolB.map((p) => p.name).sort());

    // Close the round: everyone unsampled becomes missed, live.
    await call(page, 'POST', `/rounds/${id}/close`, {});
    await waitFigure(page, '[data-testid=round-total] [data-col=missed]', due - 15);
    const instMissedSel = `[data-testid=round-table] tbody tr[data-institution=${INST_CODE}] [data-col=missed]`;
    const instMissed = digits(await cellText(page, instMissedSel));
    assert.equal(instMissed, mine.length - 15);
    await shot(page, 'rounds', { fullPage: true });

    // Drill down from the institution's missed count to the names behind it.
    await page.locator(`${instMissedSel} button`).click();
    await page.waitForFunction(() => /漏检/.test(document.querySelector('#drill-title')?.textContent ?? ''));
    await page.waitForFunction(
      (n) => document.querySelector('#drill-title')?.textContent?.includes(new Intl.NumberFormat('zh-CN').format(n)),
      instMissed,
    );
    await drill.locator('tbody tr').first().waitFor();
    const names = await drill.locator('tbody tr td:first-child').allInnerTexts();
    const sampledNames = new Set([...poolA, ...poolB].map((p) => p.name + '|' + p.code));
    const codes = await drill.locator('tbody tr td:nth-child(2)').allInnerTexts();
    assert.ok(names.length > 0 && names.length <= instMissed);
    names.forEach((n, i) => {
      assert.ok(mine.some((p) => p.name === n && p.code === codes[i]), `${n} ${codes[i]} is not of ${INST_CODE}`);
      assert.ok(!sampledNames.has(n + '|' + codes[i]), `${n} was sampled, not missed`);
    });
    await shot(page, 'rounds-drill');

    // By unit: the institution's classes, the same total.
    await page.goto(`${server.base}/#/rounds/${id}?by=unit&institution=${INST_CODE}`);
    await page.waitForSelector('[data-testid=round-table][data-by=unit] tbody tr');
    await waitFigure(page, '[data-testid=round-total] [data-col=missed]', instMissed);

    // The export link answers an XLSX (a zip: "PK").
    const href = await page.getByTestId('export-xlsx').getAttribute('href');
    assert.match(href, /format=xlsx/);
    const res = await page.request.get(server.base + href);
    assert.equal(res.status(), 200);
    const bytes = await res.body();
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip file');
    assert.match(res.headers()['content-type'] ?? '', /spreadsheetml|octet-stream/);
    assert.equal(await page.evaluate(() => window.__noReload), true, 'the page was not reloaded');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.outside, []);
    await page.context().close();
  });

  test('command: a sampling file with a bad row is uploaded in the page and the row is reported', async () => {
    const page = await newPage(browser, server.base);
    await login(page, COMMAND);
    const r = await call(page, 'POST', '/rounds', { name: '上传测试轮次', date: '2022-03-11', pool_size: 5 });
    const id = r.round.id;
    await page.goto(`${server.base}/#/rounds/${id}`);
    await page.waitForSelector('[data-testid=round-table] tfoot');
    const ps = roster.rows.map(person).filter((p) => p.inst === 'JY0002').slice(0, 3);
    const bad = ps[2].id.slice(0, -1) + (ps[2].id.endsWith('0') ? '1' : '0');
    const file = path.join(dir, 'sampling.csv');
    fs.writeFileSync(
      file,
      '\uFEFF采样管码,证件号码,姓名,采样点,采样时间\n' +
        `UP00000001,${ps[0].id},${ps[0].name},二号采样点,2022-03-11 08:10\n` +
        `UP00000001,${ps[1].id},${ps[1].name},二号采样点,2022-03-11 08:11\n` +
        `UP00000001,${bad},${ps[2].name},二号采样点,2022-03-11 08:12\n`,
    );
    await page.getByRole('radio', { name: '采样记录' }).check();
    await page.locator('#round-file').setInputFiles(file);
    await page.getByRole('button', { name: '上传' }).click();
    const rejected = page.getByTestId('round-rejected');
    await rejected.locator('tbody tr').first().waitFor({ timeout: 15_000 });
    assert.deepEqual(await rejected.locator('tbody tr td:first-child').allInnerTexts(), ['4']);
    await waitFigure(page, '[data-testid=round-total] [data-col=sampled]', 2);
    await shot(page, 'rounds-upload', { fullPage: true });

    // The rest of JY0002 sampled and every tube reported negative: the row
    // reaches 100%, live, without a reload.
    await page.evaluate(() => (window.__noReload = true));
    const rest = roster.rows.map(person).filter((p) => p.inst === 'JY0002').slice(2);
    const records = rest.map((p, i) => ({
      tube_code: `UP1${String(Math.floor(i / 5)).padStart(7, '0')}`,
      id_number: p.id,
      name: p.name,
      site: '二号采样点',
      sampled_at: '2022-03-11 09:00',
    }));
    const more = await call(page, 'POST', `/rounds/${id}/sampling`, { records });
    assert.equal(more.imported, rest.length, JSON.stringify(more).slice(0, 400));
    const tubes = [...new Set(records.map((x) => x.tube_code)), 'UP00000001'];
    await call(page, 'POST', `/rounds/${id}/results`, {
      records: tubes.map((t) => ({ tube_code: t, result: '阴性', lab: '净月检测中心' })),
    });
    const row = '[data-testid=round-table] tbody tr[data-institution=JY0002]';
    await waitFigure(page, `${row} [data-col=negative]`, rest.length + 2);
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent?.trim() === '100%',
      `${row} [data-col=coverage]`,
      { timeout: 10_000 },
    );
    assert.equal(await page.evaluate(() => window.__noReload), true, 'the page was not reloaded');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  let firstCase, caseCounts;

  test('command: a case confirmed through the API fills the tracking table live; the case card opens', async () => {
    const page = await newPage(browser, server.base);
    await login(page, COMMAND);
    await page.goto(`${server.base}/#/tracking`);
    await page.getByTestId('tracking-figures').waitFor();
    await page.evaluate(() => (window.__noReload = true));
    const student = roster.rows.map(person).find((p) => p.inst === INST_CODE && p.kind === '学生' && p.dorm);
    const out = await call(page, 'POST', '/cases', {
      person: `${INST_CODE}:${student.code}`,
      sample_time: '2022-03-04 08:00',
      onset: '2022-03-03',
      confirmed_at: '2022-03-04 20:00',
    });
    caseCounts = { close: out.close, secondary: out.secondary };
    assert.ok(out.close > 0, JSON.stringify(out).slice(0, 300));
    firstCase = { id: out.case?.id ?? out.case, student };
    assert.ok(firstCase.id, 'the answer names the case');
    const table = page.getByTestId('tracking-table');
    await table.locator('tbody tr').first().waitFor({ timeout: 10_000 });
    await waitFigure(page, '[data-testid=tracking-figures] [data-fig=close] .fig-value', out.close);
    await waitFigure(page, '[data-testid=tracking-figures] [data-fig=secondary] .fig-value', out.secondary);
    assert.equal(await table.locator('tbody tr[data-category=close]').count(), out.close);
    assert.equal(await table.locator('tbody tr[data-category=secondary]').count(), out.secondary);
    // Each row carries its test schedule with coloured states.
    const states = await table.locator('.test-chip[data-state]').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.state))]);
    assert.ok(states.length > 0 && states.every((s) => ['done', 'overdue', 'due', 'upcoming'].includes(s)), states.join());
    // Filter: close contacts only.
    await page.getByRole('search', { name: '筛选重点人员' }).getByLabel('类别').selectOption('close');
    await page.waitForFunction(() => !document.querySelector('[data-testid=tracking-table] tbody tr[data-category=secondary]'));
    assert.equal(await table.locator('tbody tr').count(), out.close);
    await shot(page, 'tracking', { fullPage: true });
    const x = await page.request.get(server.base + (await page.getByTestId('tracking-xlsx').getAttribute('href')));
    assert.equal(x.status(), 200);
    assert.equal((await x.body()).subarray(0, 2).toString('latin1'), 'PK');
    assert.equal(await page.evaluate(() => window.__noReload), true, 'the page was not reloaded');

    // The cases list, then the card.
    await page.goto(`${server.base}/#/cases`);
    await page.getByTestId('cases-table').locator(`tr[data-case="${firstCase.id}"] a`).first().click();
    const card = page.getByTestId('case-card');
    await card.waitFor();
    assert.equal(await page.getByTestId('card-name').innerText(), student.name);
    assert.equal(await page.getByTestId('card-close').locator('li').count(), out.close);
    assert.ok((await page.getByTestId('card-places').locator('tbody tr').count()) > 0, 'places in the window');
    await shot(page, 'case-card', { fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('who infected whom: a close contact confirmed later links back to the first case; the card prints on one A4 page', async () => {
    const page = await newPage(browser, server.base);
    await login(page, COMMAND);
    const tracking = await call(page, 'GET', '/tracking?category=close');
    const contact = tracking.rows.find((r) => r.institution && r.case == firstCase.id) ?? tracking.rows[0];
    const inst = roster.rows.map(person).find((p) => p.code === contact.person_code && p.name === contact.name);
    assert.ok(inst, `contact ${contact.name} ${contact.person_code} is in the roster`);
    const out = await call(page, 'POST', '/cases', { person: `${inst.inst}:${inst.code}`, sample_time: '2022-03-06 08:00' });
    const second = out.case?.id ?? out.case;
    await page.goto(`${server.base}/#/cases/${second}`);
    const link = page.getByTestId('card-source').locator('a');
    await link.waitFor({ timeout: 10_000 });
    assert.equal(await link.getAttribute('href'), `#/cases/${firstCase.id}`);
    await link.click();
    await page.getByTestId('case-card').and(page.locator(`[data-case="${firstCase.id}"]`)).waitFor();
    // The first card names the second case among the people it infected.
    await page.getByTestId('card-infected').locator(`a[href="#/cases/${second}"]`).waitFor();
    // Printing: no navigation, no buttons, one A4 page.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.top').isVisible(), false, 'no navigation in print');
    assert.equal(await page.getByRole('button', { name: '打印' }).isVisible(), false, 'no buttons in print');
    await shot(page, 'case-card-print', { fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.equal(pages, 1, `the card printed on ${pages} pages`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('institution admin: the tracking table shows only their institution (on a phone, no sideways page scroll)', async () => {
    // A case elsewhere, so that other institutions have key people too.
    const cmd = await newPage(browser, server.base);
    await login(cmd, COMMAND);
    const other = roster.rows.map(person).find((p) => p.inst === 'JY0002' && p.kind === '学生');
    await call(cmd, 'POST', '/cases', { person: `JY0002:${other.code}`, sample_time: '2022-03-04 09:00' });
    const all = await call(cmd, 'GET', '/tracking');
    const instName = roster.rows.find((r) => r[0] === INST_CODE)[roster.col('学校名称')];
    const ours = all.rows.filter((r) => r.institution === instName).length;
    assert.ok(ours > 0 && ours < all.rows.length, `${ours} of ${all.rows.length} rows are ${INST_CODE}'s`);
    await cmd.context().close();

    const page = await newPage(browser, server.base, { width: 375, height: 812, mobile: true });
    await login(page, INST);
    await page.goto(`${server.base}/#/tracking`);
    const table = page.getByTestId('tracking-table');
    await table.locator('tbody tr').first().waitFor();
    const insts = await table.locator('tbody tr td:nth-child(2) > div:first-child').allInnerTexts();
    assert.equal(insts.length, ours);
    assert.ok(insts.every((n) => n === instName), [...new Set(insts)].join());
    assert.equal(await page.getByRole('button', { name: '转运' }).count(), 0, 'no transfer without cases.manage');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1), 'the page does not scroll sideways');
    await shot(page, 'tracking-phone');
    await page.goto(`${server.base}/#/rounds`);
    await page.waitForSelector('[data-testid=round-table] tfoot');
    assert.equal(await page.getByTestId('new-round').count(), 0, 'no create form without rounds.manage');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1), 'the rounds page does not scroll sideways');
    await shot(page, 'rounds-phone');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('command: the chain of transmission from the cases page draws every case and their links', async () => {
    const page = await newPage(browser, server.base);
    await login(page, COMMAND);
    const chain = await call(page, 'GET', '/chain');
    assert.ok(chain.cases > 0, JSON.stringify(chain).slice(0, 300));
    assert.ok(chain.edges.length > 0, 'the chain has links');
    await page.goto(`${server.base}/#/cases`);
    await page.getByTestId('chain-link').click();
    await page.getByTestId('chain-graph').waitFor();
    await page.waitForFunction(
      (n) => {
        const s = window.fx?.chain?.getOption()?.series?.[0];
        return !!s && (s.data ?? []).filter((d) => d.kind === 'case').length === n && (s.links ?? []).length > 0;
      },
      chain.cases,
      { timeout: 15_000 },
    ).catch(async () => {
      const got = await page.evaluate(() => {
        const s = window.fx?.chain?.getOption()?.series?.[0];
        return s ? { cases: (s.data ?? []).filter((d) => d.kind === 'case').length, links: (s.links ?? []).length } : null;
      });
      assert.fail(`the graph shows ${JSON.stringify(got)}, expected ${chain.cases} cases and links`);
    });
    const option = await page.evaluate(() => {
      const s = window.fx.chain.getOption().series[0];
      return { type: s.type, layout: s.layout, cases: s.data.filter((d) => d.kind === 'case').length, links: s.links.length };
    });
    assert.equal(option.type, 'graph');
    assert.equal(option.layout, 'force');
    assert.equal(option.cases, chain.cases);
    assert.ok(option.links >= 1);
    await shot(page, 'chain');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.outside, []);
    await page.context().close();
  });
});
