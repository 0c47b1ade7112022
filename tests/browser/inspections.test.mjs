// Browser test of the 检查整改 page against a real `fangxian serve` on a district
// where `fangxian sim inspections` ran (docs/inspections.md): command sees the
// source's figures (4 rounds, 37 findings, 23 letters, 36 supervisors) and every
// round covering every institution; an institution admin sees only its own
// findings and submits evidence; command verifies it; a viewer sees figures only.
//
//   node --test tests/browser/inspections.test.mjs      (FX_BINARY=path/to/fangxian)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newPage } from './browser.mjs';
import { cli, findBinary, findWebRoot, hasCommand, makeDistrict, startServer, tempDir } from './server.mjs';

const COMMAND = { username: 'command', password: 'Command-pass-2022' };
const VIEWER = { username: 'viewer', password: 'Viewer-pass-2022' };
const bin = findBinary();
const skip = hasCommand(bin, 'inspect') ? false : 'fangxian has no `inspect` command';

let dir, db, server, browser, school;

async function login(page, { username, password }) {
  await page.goto(`${server.base}/#/login`);
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForSelector('header.top', { timeout: 15_000 });
}

const figure = (page, key) => page.locator(`[data-testid=inspection-figures] [data-key=${key}]`).innerText();

describe('inspections in a browser', { skip }, () => {
  before(async () => {
    dir = tempDir();
    db = path.join(dir, 'fx.db');
    const district = makeDistrict(bin, dir, { people: 300, institutions: 20, colleges: 2 });
    cli(bin, db, ['import', 'institutions', district.institutions]);
    cli(bin, db, ['sim', 'inspections']);
    // The institution with a finding still open (the scenario leaves three).
    const open = JSON.parse(cli(bin, db, ['inspect', 'findings', '--status', 'open', '--json']).stdout);
    assert.ok(open.findings.length >= 1);
    school = open.findings[0].institution.code;
    cli(bin, db, ['user', 'add', COMMAND.username, '--role', 'command', '--password-stdin'], { input: `${COMMAND.password}\n` });
    cli(bin, db, ['user', 'add', VIEWER.username, '--role', 'viewer', '--password-stdin'], { input: `${VIEWER.password}\n` });
    cli(bin, db, ['user', 'add', 'school', '--role', 'institution', '--institution', school, '--password-stdin'], {
      input: 'School-pass-2022\n',
    });
    server = await startServer(bin, db, findWebRoot());
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('figures, scoped findings, evidence and verification', async () => {
    const cmd = await newPage(browser, server.base);
    await login(cmd, COMMAND);
    await cmd.getByRole('link', { name: '检查整改' }).click();
    await cmd.getByTestId('inspection-figures').waitFor();
    await cmd.waitForSelector('[data-testid=inspection-figures] [data-key=findings]');
    assert.equal(await figure(cmd, 'rounds'), '4');
    assert.equal(await figure(cmd, 'findings'), '37');
    assert.equal(await figure(cmd, 'letters'), '23');
    assert.equal(await figure(cmd, 'supervisors'), '36');
    const coverage = await cmd.locator('[data-testid=inspection-coverage] [data-key=coverage]').allInnerTexts();
    assert.deepEqual(coverage, ['20/20', '20/20', '20/20', '20/20']);
    await cmd.getByTestId('inspection-findings').waitFor();
    assert.equal(await cmd.locator('[data-testid=inspection-findings] tbody tr').count(), 37);

    // The school: only its own findings; it submits evidence for the open one.
    const page = await newPage(browser, server.base, { width: 375, height: 812, mobile: true });
    await login(page, { username: 'school', password: 'School-pass-2022' });
    await page.getByRole('link', { name: '检查整改' }).click();
    await page.getByTestId('inspection-findings').waitFor();
    const rows = page.locator('[data-testid=inspection-findings] tbody tr');
    const n = await rows.count();
    assert.ok(n >= 1 && n < 37, `the school sees ${n} findings`);
    const open = page.locator('[data-testid=inspection-findings] tbody tr[data-status=open]').first();
    const id = await open.getAttribute('data-finding');
    await open.getByPlaceholder('整改情况或验收意见').fill('已整改，见现场照片');
    await open.getByRole('button', { name: '提交整改材料' }).click();
    await page.waitForSelector(`tr[data-finding="${id}"][data-status=submitted]`, { timeout: 10_000 });
    assert.equal(await page.getByRole('button', { name: '验收销号' }).count(), 0, 'the school cannot verify');
    assert.deepEqual(page.errors, []);
    await page.context().close();

    // Command verifies it.
    await cmd.reload();
    const row = cmd.locator(`tr[data-finding="${id}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: '验收销号' }).click();
    await cmd.waitForSelector(`tr[data-finding="${id}"][data-status=closed]`, { timeout: 10_000 });
    assert.deepEqual(cmd.errors, []);
    await cmd.context().close();

    // The viewer: figures, no lists.
    const v = await newPage(browser, server.base);
    await login(v, VIEWER);
    await v.goto(`${server.base}/#/inspections`);
    await v.waitForSelector('[data-testid=inspection-figures] [data-key=findings]');
    assert.equal(await figure(v, 'findings'), '37');
    assert.equal(await v.getByTestId('inspection-findings').count(), 0);
    await v.context().close();
  });
});
