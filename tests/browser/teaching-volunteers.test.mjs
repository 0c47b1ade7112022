// Browser test of the 线上教学 and 支援一线 pages against a real `fangxian serve`
// on a district where `fangxian sim teaching` ran (docs/teaching.md): each page
// is reached by its nav link and shows the figures the CLI prints (468 spot
// checks, the activities, coverage; people deployed, hours served, who is on
// duty now), scoped to the school for an institution admin, figures only for a
// viewer; the exports are workbooks; a shift ending before it starts is refused
// and nothing is stored (the page has no shift form: through the API with the
// page's own session).
//
//   node --test tests/browser/teaching-volunteers.test.mjs      (FX_BINARY=path/to/fangxian)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newPage } from './browser.mjs';
import { cli, findBinary, findWebRoot, hasCommand, makeDistrict, readCsv, startServer, tempDir } from './server.mjs';

const COMMAND = { username: 'command', password: 'Command-pass-2022' };
const VIEWER = { username: 'viewer', password: 'Viewer-pass-2022' };
const SCHOOL = { username: 'school', password: 'School-pass-2022' };
const bin = findBinary();
const skip = hasCommand(bin, 'teaching') && hasCommand(bin, 'volunteers') ? false : 'fangxian has no `teaching`/`volunteers` command';
const nf = new Intl.NumberFormat('zh-CN');
const pct = (v) => `${v.toFixed(1)}%`;

let dir, db, server, browser, school, onDuty, site;

async function login(page, { username, password }) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForSelector('header.top', { timeout: 15_000 });
}

const json = (args) => JSON.parse(cli(bin, db, args).stdout);

/** "YYYY-MM-DD HH:MM" in Asia/Shanghai, `hours` from now. */
function localTime(hours) {
  return new Date(Date.now() + 8 * 3600e3 + hours * 3600e3).toISOString().slice(0, 16).replace('T', ' ');
}

/** The figures list of a page as {key: text}, once loaded. */
async function figures(page, testid) {
  const list = page.locator(`[data-testid=${testid}]`);
  await page.waitForFunction((id) => {
    const v = document.querySelector(`[data-testid=${id}] .fig-value`);
    return v && v.textContent !== '—';
  }, testid);
  const out = {};
  for (const li of await list.locator('li').all()) out[await li.getAttribute('data-fig')] = (await li.locator('.fig-value').innerText()).trim();
  return out;
}

function teachingFigures(d) {
  const a = d.activities ?? {};
  const sum = (k) => (a[`district/${k}`] ?? 0) + (a[`school/${k}`] ?? 0);
  return {
    'day-one': `${nf.format(d.classes_online_first_day)} / ${nf.format(d.classes)}`,
    coverage: pct(d.coverage),
    'spot-checks': nf.format(d.spot_checks),
    satisfaction: pct(d.satisfaction_rate),
    care: `${nf.format(d.care)} · ${pct(d.care_coverage)}`,
    access: `${nf.format(d.access_resolved)} / ${nf.format(d.access_issues)}`,
    research: `${nf.format(a['district/research'] ?? 0)} / ${nf.format(a['school/research'] ?? 0)}`,
    observation: nf.format(sum('observation')),
    preparation: nf.format(sum('preparation')),
    training: nf.format(sum('training')),
  };
}

async function xlsx(page, href) {
  const res = await page.request.get(new URL(href, server.base).toString());
  assert.equal(res.status(), 200, href);
  assert.equal((await res.body()).subarray(0, 2).toString(), 'PK', href);
}

describe('teaching and volunteers in a browser', { skip }, () => {
  before(async () => {
    dir = tempDir();
    db = path.join(dir, 'fx.db');
    const district = makeDistrict(bin, dir, { people: 600, institutions: 20, colleges: 2 });
    cli(bin, db, ['import', 'institutions', district.institutions]);
    cli(bin, db, ['import', 'roster', district.roster]);
    // The small district has 22 staff: send 12 (the scenario's shifts are in March 2022).
    cli(bin, db, ['sim', 'teaching', '--volunteers', '12']);
    // One more staff member, on duty now: from two hours ago for eight hours.
    const deployed = new Set(json(['volunteers', 'list', '--list', 'people']).people.map((p) => `${p.institution}/${p.code}`));
    const roster = readCsv(district.roster);
    const [ci, cc, cn, ck] = ['学校代码', '学号/工号', '姓名', '人员类别'].map(roster.col);
    const staff = roster.rows.find((r) => r[ck] === '职工' && !deployed.has(`${r[ci]}/${r[cc]}`));
    assert.ok(staff, 'a staff member not yet deployed');
    onDuty = { institution: staff[ci], code: staff[cc], name: staff[cn] };
    site = json(['volunteers', 'sites']).items[0];
    const csv = path.join(dir, 'shift.csv');
    fs.writeFileSync(csv, `学校代码,工号,站点,岗位,开始时间,结束时间\n${onDuty.institution},${onDuty.code},${site.name},核酸检测,${localTime(-2)},${localTime(6)}\n`);
    cli(bin, db, ['volunteers', 'report', csv]);
    school = onDuty.institution;
    cli(bin, db, ['user', 'add', COMMAND.username, '--role', 'command', '--password-stdin'], { input: `${COMMAND.password}\n` });
    cli(bin, db, ['user', 'add', VIEWER.username, '--role', 'viewer', '--password-stdin'], { input: `${VIEWER.password}\n` });
    cli(bin, db, ['user', 'add', SCHOOL.username, '--role', 'institution', '--institution', school, '--password-stdin'], {
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

  test('线上教学: the CLI figures, the lists and their export, scoped per role', async () => {
    const district = json(['teaching', 'figures', '--json']);
    assert.equal(district.spot_checks, 468, 'the source: 468 families phoned');
    assert.equal(district.activities['district/research'], 34);
    assert.equal(district.activities['school/research'], 58);

    const cmd = await newPage(browser, server.base);
    await login(cmd, COMMAND);
    await cmd.getByRole('link', { name: /^(线上教学|Online teaching)$/ }).click();
    await cmd.waitForURL(/#\/teaching/);
    assert.deepEqual(await figures(cmd, 'teaching-figures'), teachingFigures(district));
    // The spot-check list: every call, as the CLI lists them.
    await cmd.locator('[data-kind=spot-checks]').click();
    await cmd.waitForURL(/list=spot-checks/);
    const rows = cmd.locator('[data-testid=teaching-table] tbody tr');
    await cmd.waitForFunction(() => document.querySelectorAll('[data-testid=teaching-table] tbody tr').length === 468);
    const cliList = json(['teaching', 'list', 'spot-checks']);
    assert.equal(cliList.total, 468);
    const first = cliList.items[0];
    const firstRow = cmd.locator(`[data-testid=teaching-table] tr[data-row="${first.id}"]`);
    assert.match(await firstRow.innerText(), new RegExp(`${first.student.name}[\\s\\S]*${first.caller}`));
    assert.equal(await rows.count(), 468);
    await xlsx(cmd, await cmd.locator('[data-testid=teaching-xlsx]').getAttribute('href'));
    assert.deepEqual(cmd.errors, []);
    await cmd.close();

    // An institution admin: the school's own figures and rows only.
    const mine = json(['teaching', 'figures', '--json', '--institution', school]);
    assert.ok(mine.spot_checks > 0 && mine.spot_checks < 468, `school spot checks ${mine.spot_checks}`);
    const sp = await newPage(browser, server.base, { width: 375, height: 812, mobile: true });
    await login(sp, SCHOOL);
    await sp.getByRole('link', { name: /^(线上教学|Online teaching)$/ }).click();
    await sp.waitForURL(/#\/teaching/);
    assert.deepEqual(await figures(sp, 'teaching-figures'), teachingFigures(mine));
    await sp.locator('[data-kind=spot-checks]').click();
    await sp.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=teaching-table] tbody tr').length === n,
      mine.spot_checks,
    );
    const schoolName = json(['teaching', 'list', 'spot-checks', '--institution', school]).items[0].institution.name;
    const insts = await sp.locator('[data-testid=teaching-table] tbody tr td:first-child').allInnerTexts();
    assert.deepEqual([...new Set(insts)], [schoolName]);
    await xlsx(sp, await sp.locator('[data-testid=teaching-xlsx]').getAttribute('href'));
    // Another school's list is not reachable with this session.
    const other = json(['teaching', 'figures', '--json']).institutions.find((i) => i.code !== school).code;
    const res = await sp.request.get(`${server.base}/api/v1/teaching/spot-checks?institution=${other}`);
    assert.notEqual(res.status(), 200, 'another school is out of scope');
    await sp.close();

    // A viewer: the district figures, no lists.
    const v = await newPage(browser, server.base);
    await login(v, VIEWER);
    await v.getByRole('link', { name: /^(线上教学|Online teaching)$/ }).click();
    await v.waitForURL(/#\/teaching/);
    assert.deepEqual(await figures(v, 'teaching-figures'), teachingFigures(district));
    assert.equal(await v.locator('[data-testid=teaching-table], [data-testid=teaching-xlsx]').count(), 0);
    await v.close();
  });

  test('支援一线: who is where now and hours served, as the CLI counts them; a backwards shift is refused', async () => {
    const all = json(['volunteers', 'list', '--list', 'people']);
    assert.equal(all.on_duty, 1);
    assert.equal(all.people_deployed, 13);

    const cmd = await newPage(browser, server.base);
    await login(cmd, COMMAND);
    await cmd.getByRole('link', { name: /^(支援一线|Front line)$/ }).click();
    await cmd.waitForURL(/#\/volunteers/);
    const f = await figures(cmd, 'volunteer-figures');
    assert.equal(f.people, nf.format(all.people_deployed));
    assert.equal(f['on-duty'], '1');
    assert.equal(f.sites, nf.format(all.sites_used));
    for (const k of ['hotel', 'community', 'test_site']) assert.equal(f[k], nf.format(all.people_by_site_kind[k] ?? 0), k);
    // Hours grow with the open shift: within a few minutes of the CLI's.
    assert.ok(Math.abs(Number(f.hours) - all.hours) < 0.2, `hours ${f.hours} vs ${all.hours}`);

    // Who is where now: the one person on duty, at the site.
    const now = cmd.locator('[data-testid=volunteers-now] tbody tr');
    await now.first().waitFor();
    assert.equal(await now.count(), 1);
    const nowText = await now.innerText();
    assert.match(nowText, new RegExp(onDuty.name));
    assert.match(nowText, new RegExp(site.name));

    // Per institution: people, shifts and hours as the CLI lists them.
    const byInst = all.institutions.filter((i) => i.people > 0);
    const trs = cmd.locator('[data-testid=volunteers-institutions] tbody tr');
    assert.equal(await trs.count(), byInst.length);
    for (const i of byInst) {
      const cells = await cmd.locator(`[data-testid=volunteers-institutions] tr[data-code="${i.code}"] td`).allInnerTexts();
      assert.equal(cells[0], i.name);
      assert.equal(cells[1], String(i.people), i.code);
      assert.equal(cells[2], String(i.shifts), i.code);
      assert.ok(Math.abs(Number(cells[3]) - i.hours) < 0.2, `${i.code} hours ${cells[3]} vs ${i.hours}`);
    }
    const people = cmd.locator('[data-testid=volunteers-people] tbody tr');
    assert.equal(await people.count(), all.people.length);
    // Each person with their school's name and hours, as the CLI lists them.
    const names = new Map(all.institutions.map((i) => [i.code, i.name]));
    const cells = await people.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    const shown = cells.map((c) => `${c[0]}|${c[1]}|${c[2]}`).sort();
    assert.deepEqual(shown, all.people.map((p) => `${p.name}|${names.get(p.institution)}|${p.shifts}`).sort());
    await xlsx(cmd, await cmd.locator('[data-testid=volunteers-xlsx]').getAttribute('href'));

    // A shift ending before it starts: refused, the field named, nothing stored.
    const shifts = json(['volunteers', 'list', '--list', 'shifts']).shifts.length;
    const csrf = await cmd.evaluate(() => sessionStorage.getItem('fx.csrf'));
    const res = await cmd.request.fetch(`${server.base}/api/v1/volunteers/shifts`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf ?? '', 'Content-Type': 'application/json' },
      data: JSON.stringify({
        rows: [{ institution: onDuty.institution, person: onDuty.code, site: site.name, start: '2022-03-12 16:00', end: '2022-03-12 08:00' }],
      }),
    });
    assert.equal(res.status(), 400);
    assert.match(await res.text(), /end/);
    assert.equal(json(['volunteers', 'list', '--list', 'shifts']).shifts.length, shifts, 'nothing stored');
    assert.deepEqual(cmd.errors, []);
    await cmd.close();

    // The school sees its own people only.
    const mine = json(['volunteers', 'list', '--list', 'people', '--institution', school]);
    const sp = await newPage(browser, server.base, { width: 375, height: 812, mobile: true });
    await login(sp, SCHOOL);
    await sp.getByRole('link', { name: /^(支援一线|Front line)$/ }).click();
    await sp.waitForURL(/#\/volunteers/);
    const sf = await figures(sp, 'volunteer-figures');
    assert.equal(sf.people, nf.format(mine.people_deployed));
    assert.equal(sf['on-duty'], '1');
    const rows = sp.locator('[data-testid=volunteers-people] tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), mine.people.length);
    assert.ok(mine.people.length < all.people.length);
    assert.match(await sp.locator('[data-testid=volunteers-people]').innerText(), new RegExp(onDuty.name));
    await sp.close();

    // A viewer: figures without names.
    const v = await newPage(browser, server.base);
    await login(v, VIEWER);
    await v.getByRole('link', { name: /^(支援一线|Front line)$/ }).click();
    await v.waitForURL(/#\/volunteers/);
    const vf = await figures(v, 'volunteer-figures');
    assert.equal(vf.people, nf.format(all.people_deployed));
    assert.equal(await v.locator('[data-testid=volunteers-people], [data-testid=volunteers-now]').count(), 0);
    assert.doesNotMatch(await v.locator('main').innerText(), new RegExp(onDuty.name));
    await v.close();
  });
});
