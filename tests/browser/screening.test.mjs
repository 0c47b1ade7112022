// Browser test of the 居家排查 page against a real `fangxian serve` on a district
// where `fangxian screening generate` marked people home-bound (docs/screening.md):
// an institution admin on a phone (375×812) reaches the page by its nav link,
// a 60 °C report is refused with the field named and nothing stored, a normal
// and an abnormal report are counted, and only the school's own people are
// offered or reachable; command sees the day's table with the CLI's numbers,
// puts the abnormal person on the tracking table (symptomatic), and the XLSX
// export is a real workbook.
//
//   node --test tests/browser/screening.test.mjs      (FX_BINARY=path/to/fangxian)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newPage } from './browser.mjs';
import { cli, findBinary, findWebRoot, hasCommand, makeDistrict, startServer, tempDir } from './server.mjs';

const COMMAND = { username: 'command', password: 'Command-pass-2022' };
const SCHOOL = { username: 'school', password: 'School-pass-2022' };
const bin = findBinary();
const skip = hasCommand(bin, 'screening') ? false : 'fangxian has no `screening` command';

let dir, db, server, browser, school, today;

/** The day in Asia/Shanghai, as the server and the page count days. */
function shanghaiDay(offsetDays = 0) {
  return new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
}

async function login(page, { username, password }) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForSelector('header.top', { timeout: 15_000 });
}

const json = (args) => JSON.parse(cli(bin, db, args).stdout);
const dayTable = () => json(['screening', 'day', '--day', today]);
const listOf = (kind, extra = []) => json(['screening', 'list', '--kind', kind, '--day', today, ...extra]).items;
const figure = async (page, key) =>
  Number((await page.locator(`[data-testid=screening-figures] [data-fig=${key}] .fig-value`).innerText()).replace(/[^\d]/g, ''));

/** Waits until the figure shows `want` (the page reloads after a write). */
async function waitFigure(page, key, want) {
  const deadline = Date.now() + 10_000;
  let got;
  while (Date.now() < deadline) {
    got = await figure(page, key);
    if (got === want) return;
    await page.waitForTimeout(100);
  }
  assert.equal(got, want, `figure ${key}`);
}

describe('home-bound screening in a browser', { skip }, () => {
  before(async () => {
    dir = tempDir();
    db = path.join(dir, 'fx.db');
    const district = makeDistrict(bin, dir, { people: 600, institutions: 20, colleges: 2 });
    cli(bin, db, ['import', 'institutions', district.institutions]);
    cli(bin, db, ['import', 'roster', district.roster]);
    // The page and the server count days in Asia/Shanghai: a run across its
    // midnight would see two days, so one starting within 2 minutes of it waits.
    const toMidnight = 86400e3 - ((Date.now() + 8 * 3600e3) % 86400e3);
    if (toMidnight < 120e3) await new Promise((r) => setTimeout(r, toMidnight + 2000));
    today = shanghaiDay();
    // 60 people home-bound from three days ago for a week; reports filled up to
    // yesterday, so today everyone is due and nobody has reported yet.
    cli(bin, db, ['screening', 'generate', '--people', '60', '--from', shanghaiDay(-3), '--days', '7', '--reports',
      '--today', shanghaiDay(-1)]);
    // The school with the most people due today.
    const rows = dayTable().rows;
    rows.sort((a, b) => b.due - a.due);
    school = rows[0].institution;
    assert.ok(rows[0].due >= 3, 'the school has people due');
    cli(bin, db, ['user', 'add', COMMAND.username, '--role', 'command', '--password-stdin'], { input: `${COMMAND.password}\n` });
    cli(bin, db, ['user', 'add', SCHOOL.username, '--role', 'institution', '--institution', school.code, '--password-stdin'], {
      input: `${SCHOOL.password}\n`,
    });
    server = await startServer(bin, db, findWebRoot());
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a school reports on a phone; command sees the table and tracks the abnormal person', async () => {
    const before = dayTable();
    const mine = before.rows.find((r) => r.institution.code === school.code);
    const due = listOf('not_reported', ['--institution', school.code]);
    assert.equal(due.length, mine.due);
    const personTimes = json(['screening', 'figures']).person_times;
    assert.ok(personTimes > 0, 'the generator filled earlier days');

    const phone = await newPage(browser, server.base, { width: 375, height: 812, mobile: true });
    await login(phone, SCHOOL);
    await phone.getByRole('link', { name: /^(居家排查|Home screening)$/ }).click();
    await phone.waitForURL(/#\/screening/);
    const form = phone.locator('[data-testid=screening-form]');
    await form.waitFor();
    // The form is the first thing on a phone, and fits its width.
    const box = await form.boundingBox();
    assert.ok(box && box.width <= 375 && box.x >= 0, `form fits 375 px: ${JSON.stringify(box)}`);
    const noScroll = await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
    assert.ok(noScroll, 'no sideways scrolling on a phone');

    // Only this school's people are offered: the CLI's not-reported list, exactly.
    const picker = form.locator('[data-testid=scr-person]');
    await phone.waitForFunction((n) => document.querySelectorAll('[data-testid=scr-person] option[value]:not([value=""])').length === n, due.length);
    const offered = await picker.locator('option:not([value=""])').evaluateAll((os) => os.map((o) => Number(o.value)));
    assert.deepEqual(offered.sort((a, b) => a - b), due.map((p) => p.person).sort((a, b) => a - b));
    await waitFigure(phone, 'due', mine.due);
    await waitFigure(phone, 'reported', 0);
    // Person-times in the school's scope: some of the district's, not all.
    await phone.waitForFunction(() => /\d/.test(document.querySelector('[data-fig=person_times] .fig-value')?.textContent ?? ''));
    const schoolTimes = await figure(phone, 'person_times');
    assert.ok(schoolTimes > 0 && schoolTimes < personTimes, `${schoolTimes} of ${personTimes}`);
    assert.equal(await phone.locator('[data-testid=screening-table] tbody tr').count(), 1, 'one row: the own school');
    assert.match(await phone.locator('[data-testid=screening-table] tbody').innerText(), new RegExp(school.name));

    // 60 °C: refused, the field named, nothing stored.
    const [a, b] = due;
    await picker.selectOption(String(a.person));
    await form.locator('[data-testid=scr-temperature]').fill('60');
    await form.getByLabel(/所在位置|Location/).fill('家中');
    await form.locator('[data-testid=scr-submit]').click();
    const msg = form.locator('[data-testid=scr-message]');
    await msg.waitFor();
    assert.equal(await msg.getAttribute('role'), 'alert');
    assert.match(await msg.innerText(), /temperature/);
    assert.match(await msg.innerText(), /34\.0|42\.5/, 'says the allowed range');
    assert.equal(listOf('reports').length, 0, 'nothing stored');
    assert.equal(json(['screening', 'figures']).person_times, personTimes);

    // A normal report: counted.
    await form.locator('[data-testid=scr-temperature]').fill('36.6');
    await form.locator('[data-testid=scr-submit]').click();
    await phone.waitForFunction(() => document.querySelector('[data-testid=scr-message]')?.getAttribute('role') === 'status');
    assert.match(await msg.innerText(), /已提交|Submitted/);
    await waitFigure(phone, 'reported', 1);
    await waitFigure(phone, 'not_reported', mine.due - 1);
    await waitFigure(phone, 'abnormal', 0);

    // An abnormal one: 37.8 °C, a cough, not at home.
    await picker.selectOption(String(b.person));
    await form.locator('[data-testid=scr-temperature]').fill('37.8');
    await form.getByLabel(/^(咳嗽|Cough)$/).check();
    await form.getByLabel(/所在位置|Location/).fill('医院');
    await form.locator('[data-testid=scr-athome]').uncheck();
    await form.locator('[data-testid=scr-submit]').click();
    await phone.waitForFunction(() => /异常|abnormal/i.test(document.querySelector('[data-testid=scr-message]')?.textContent ?? ''));
    await waitFigure(phone, 'reported', 2);
    await waitFigure(phone, 'abnormal', 1);
    await waitFigure(phone, 'person_times', schoolTimes + 2);
    assert.equal(json(['screening', 'figures']).person_times, personTimes + 2);
    // The reported people are no longer offered.
    await phone.waitForFunction((n) => document.querySelectorAll('[data-testid=scr-person] option[value]:not([value=""])').length === n, due.length - 2);

    // Stored as entered.
    const reports = listOf('reports');
    assert.equal(reports.length, 2);
    const rb = reports.find((r) => r.person === b.person)?.report;
    assert.ok(rb, JSON.stringify(reports));
    assert.equal(Number(rb.temperature), 37.8);
    assert.equal(rb.at_home, false);
    assert.equal(rb.abnormal, true);

    // Another school's person is out of reach, also through the API with this session.
    const other = listOf('not_reported').find((p) => !due.some((d) => d.person === p.person));
    assert.ok(other, 'someone of another school is due');
    const csrf = await phone.evaluate(() => sessionStorage.getItem('fx.csrf'));
    const res = await phone.request.fetch(`${server.base}/api/v1/screening/reports`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf ?? '', 'Content-Type': 'application/json' },
      data: JSON.stringify({ person: other.person, day: today, temperature: 36.5, at_home: true, reporter: 'parent' }),
    });
    assert.equal(res.status(), 422, await res.text());
    assert.equal(listOf('reports').length, 2, 'nothing stored');
    const list = await phone.request.get(`${server.base}/api/v1/screening/list?kind=not_reported&day=${today}`);
    const items = (await list.json()).items;
    assert.equal(items.length, due.length - 2);
    assert.ok(!items.some((p) => p.person === other.person));
    assert.deepEqual(phone.outside, []);
    assert.deepEqual(phone.errors, []);
    await phone.close();

    // Command: the day's table, as the CLI counts it.
    const after = dayTable();
    assert.equal(after.total.reported, 2);
    assert.equal(after.total.abnormal, 1);
    const cmd = await newPage(browser, server.base);
    await login(cmd, COMMAND);
    await cmd.getByRole('link', { name: /^(居家排查|Home screening)$/ }).click();
    await cmd.waitForURL(/#\/screening/);
    await waitFigure(cmd, 'due', after.total.due);
    await waitFigure(cmd, 'reported', 2);
    await waitFigure(cmd, 'not_reported', after.total.due - 2);
    await waitFigure(cmd, 'abnormal', 1);
    const trs = cmd.locator('[data-testid=screening-table] tbody tr');
    assert.equal(await trs.count(), after.rows.length);
    for (let i = 0; i < after.rows.length; i++) {
      const r = after.rows[i];
      const cells = await trs.nth(i).locator('td').allInnerTexts();
      assert.deepEqual(cells.slice(0, 5), [r.institution.name, ...[r.due, r.reported, r.not_reported, r.abnormal].map(String)]);
    }
    const row = after.rows.find((r) => r.institution.code === school.code);
    assert.deepEqual([row.due, row.reported, row.not_reported, row.abnormal], [mine.due, 2, mine.due - 2, 1]);

    // The abnormal person: put on the tracking table as symptomatic.
    const abn = cmd.locator('[data-testid=screening-abnormal] li');
    await abn.first().waitFor();
    assert.equal(await abn.count(), 1);
    assert.match(await abn.innerText(), new RegExp(b.name));
    assert.equal(json(['tracking', 'list', '--category', 'symptomatic', '--json']).rows.length, 0);
    await abn.getByRole('button', { name: /列入重点人员|tracking/i }).click();
    await cmd.locator('[data-testid=screening-abnormal] .tag').waitFor();
    const tracked = json(['tracking', 'list', '--category', 'symptomatic', '--json']);
    assert.equal(tracked.symptomatic, 1);
    assert.equal(tracked.rows.length, 1);
    assert.match(JSON.stringify(tracked.rows[0]), new RegExp(b.name));

    // The XLSX export answers a workbook.
    const href = await cmd.getByRole('link', { name: /导出 XLSX|XLSX/ }).first().getAttribute('href');
    const x = await cmd.request.get(new URL(href, server.base).toString());
    assert.equal(x.status(), 200);
    assert.equal((await x.body()).subarray(0, 2).toString(), 'PK');
    assert.deepEqual(cmd.errors, []);
    await cmd.close();
  });
});
