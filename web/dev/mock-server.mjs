#!/usr/bin/env node
// A stand-in for `fangxian serve`, for front-end development only: it follows
// docs/api.md with the response shapes the dashboard expects, over a district
// written by `fangxian sim district`. The browser tests run against the real server.
//
//   node dev/mock-server.mjs --data /tmp/d --port 8090 [--web-root dist] [--cases none]
//   (--cases none: no seeded cases, as a fresh server has none)
//   users: command / command-pass (command role), jy0001 / inst-pass (JY0001 admin)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []),
);
const dataDir = args.data ?? '/tmp/fxw/d';
const port = Number(args.port ?? 8090);
const webRoot = path.resolve(args['web-root'] ?? new URL('../dist', import.meta.url).pathname);

function readCsv(file) {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const [head, ...lines] = text.split(/\r?\n/).filter(Boolean);
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}
const KIND = { 学生: 'student', 教师: 'teacher', 职工: 'staff' };
const insts = readCsv(path.join(dataDir, 'institutions.csv')).map((r) => ({
  code: r['学校代码'], name: r['学校名称'], kind: r['学校类型'], address: r['地址'],
  longitude: Number(r['经度']), latitude: Number(r['纬度']), people: 0, students: 0, teachers: 0, staff: 0,
}));
const byCode = new Map(insts.map((i) => [i.code, i]));
const people = readCsv(path.join(dataDir, 'roster.csv')).map((r, n) => {
  const p = {
    id: n + 1, institution_code: r['学校代码'], institution_name: r['学校名称'], name: r['姓名'],
    id_number: r['证件号码'], person_code: r['学号/工号'], gender: r['性别'], birth_date: r['出生日期'],
    role: KIND[r['人员类别']] ?? r['人员类别'], unit_path: [r['校区'], r['部门'], r['年级'], r['班级']].filter(Boolean).join(' / '),
    dorm: r['宿舍'], phone: r['手机号'], compound: r['居住小区'],
  };
  const i = byCode.get(p.institution_code);
  if (i) { i.people++; i[p.role + 's'] !== undefined ? i[p.role + 's']++ : i[p.role === 'staff' ? 'staff' : 'students']++; }
  return p;
});
const PERMS = {
  command: ['figures.read', 'people.list', 'person.read_full', 'imports.read', 'imports.write', 'accounts.admin', 'audit.read', 'rounds.manage', 'samples.write', 'cases.manage'],
  institution: ['figures.read', 'people.list', 'imports.read', 'imports.write'],
};
const users = [
  { username: 'command', display_name: '指挥部值班员', role: 'command', password: 'command-pass' },
  { username: 'jy0001', display_name: insts[0]?.name + '管理员', role: 'institution', institution: insts[0]?.code, password: 'inst-pass' },
];
const sessions = new Map();
const fails = new Map();
const audit = [];
const imports = [];
const tokens = [];
const streams = new Set();
let seq = 0;

const mask = (s, keepStart, keepEnd) => (s.length <= keepStart + keepEnd ? s : s.slice(0, keepStart) + '*'.repeat(s.length - keepStart - keepEnd) + s.slice(-keepEnd));
const publicUser = ({ password, ...u }) => ({
  ...u,
  scope: { all_institutions: !u.institution, institutions: u.institution ? [{ code: u.institution, name: byCode.get(u.institution)?.name }] : [] },
  permissions: PERMS[u.role] ?? ['figures.read'],
});
const canDo = (u, perm) => (PERMS[u.role] ?? []).includes(perm);

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
const err = (res, status, code, message, headers) => send(res, status, { error: { code, message } }, headers);
function who(req) {
  const m = /fx_session=([^;]+)/.exec(req.headers.cookie ?? '');
  return m ? sessions.get(m[1]) : undefined;
}
function body(req) {
  return new Promise((ok) => { const b = []; req.on('data', (c) => b.push(c)); req.on('end', () => ok(Buffer.concat(b))); });
}
function change(kind) {
  seq++;
  for (const s of streams) s.write(`event: change\nid: ${seq}\ndata: ${JSON.stringify({ seq, kind })}\n\n`);
}
function scoped(u) { return u.institution ? people.filter((p) => p.institution_code === u.institution) : people; }

const server = http.createServer(async (req, res) => {
  const u = new URL(req.url, 'http://x');
  const p = u.pathname;
  if (p === '/healthz') return send(res, 200, { ok: true });
  if (!p.startsWith('/api/v1/')) return serveStatic(p, res);
  const route = p.slice(7);
  if (route === '/login' && req.method === 'POST') {
    const ip = req.socket.remoteAddress;
    const f = fails.get(ip) ?? { n: 0, until: 0 };
    if (f.until > Date.now()) return err(res, 429, 'throttled', 'too many attempts', { 'Retry-After': String(Math.ceil((f.until - Date.now()) / 1000)) });
    const { username, password } = JSON.parse((await body(req)).toString() || '{}');
    const user = users.find((x) => x.username === username && x.password === password);
    if (!user) {
      f.n++; if (f.n >= 5) { f.until = Date.now() + 30000; f.n = 0; }
      fails.set(ip, f);
      return err(res, 401, 'bad_credentials', 'wrong username or password');
    }
    fails.delete(ip);
    const sid = crypto.randomBytes(16).toString('hex');
    const csrf = crypto.randomBytes(16).toString('hex');
    sessions.set(sid, { user, csrf });
    return send(res, 200, { user: publicUser(user), csrf_token: csrf }, { 'Set-Cookie': `fx_session=${sid}; HttpOnly; SameSite=Strict; Path=/` });
  }
  const s = who(req);
  if (!s) return err(res, 401, 'unauthenticated', 'log in first');
  if (req.method !== 'GET' && req.headers['x-csrf-token'] !== s.csrf) return err(res, 403, 'csrf', 'missing CSRF token');
  const me = s.user;
  const command = me.role === 'command';
  if (route === '/logout') { sessions.delete(/fx_session=([^;]+)/.exec(req.headers.cookie)[1]); return send(res, 204, {}); }
  if (route === '/me') return send(res, 200, { user: publicUser(me) });
  if (route === '/institutions') return send(res, 200, { institutions: me.institution ? insts.filter((i) => i.code === me.institution) : insts });
  if (route === '/stats/overview') {
    const mine = scoped(me);
    const count = (r) => mine.filter((x) => x.role === r).length;
    return send(res, 200, {
      as_of: new Date().toISOString(), institutions: me.institution ? 1 : insts.length, people: mine.length,
      students: count('student'), teachers: count('teacher'), staff: count('staff'), imports: imports.length,
    });
  }
  if (route === '/people') {
    let list = scoped(me);
    const q = u.searchParams;
    if (q.get('institution')) list = list.filter((x) => x.institution_code === q.get('institution'));
    if (q.get('role')) list = list.filter((x) => x.role === q.get('role'));
    if (q.get('q')) list = list.filter((x) => x.name.includes(q.get('q')) || x.id_number === q.get('q') || x.phone === q.get('q'));
    const page = Number(q.get('page') ?? 1), per = Number(q.get('per_page') ?? 50);
    const items = list.slice((page - 1) * per, page * per).map((x) => ({ id: x.id, name: x.name, id_number: mask(x.id_number, 4, 4), phone: mask(x.phone, 3, 4), institution_code: x.institution_code, institution_name: x.institution_name, unit_path: x.unit_path, role: x.role }));
    return send(res, 200, { items, total: list.length, page, per_page: per });
  }
  let m;
  if ((m = /^\/people\/(\d+)$/.exec(route))) {
    const x = scoped(me).find((y) => y.id === Number(m[1]));
    if (!x) return err(res, 404, 'not_found', 'no such person');
    audit.unshift({ at: new Date().toISOString(), actor: me.username, action: 'person.read', target: `person ${x.id}` });
    return send(res, 200, { person: x });
  }
  if ((m = /^\/imports\/(roster|institutions)$/.exec(route)) && req.method === 'POST') {
    const buf = (await body(req)).toString('utf8').replace(/^\uFEFF/, '');
    const lines = buf.split(/\r?\n/).filter(Boolean).slice(1);
    const rejected = [];
    const idOk = (id) => /^\d{17}[\dX]$/.test(id) && '10X98765432'[[...id.slice(0, 17)].reduce((a, d, k) => a + Number(d) * [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][k], 0) % 11] === id[17];
    lines.forEach((l, i) => {
      const c = l.split(',');
      if (m[1] !== 'roster') return;
      if (!c[2]) rejected.push({ row: i + 2, column: '姓名', reason: '姓名不能为空 (name is required)' });
      else if (!idOk(c[4] ?? '')) rejected.push({ row: i + 2, column: '证件号码', reason: '证件号码校验位错误 (ID number check digit is wrong)' });
      else if (!/^1\d{10}$/.test(c[14] ?? '')) rejected.push({ row: i + 2, column: '手机号', reason: '手机号应为 11 位 (phone must have 11 digits)' });
    });
    const rec = { id: imports.length + 1, kind: m[1], file_name: u.searchParams.get('filename'), started_at: new Date().toISOString(), finished_at: new Date().toISOString(), rows: lines.length, imported: lines.length - rejected.length, updated: 0, unchanged: 0, rejected };
    imports.unshift(rec);
    const report = { import_id: rec.id, ...rec };
    change(`${m[1]}.imported`);
    if (!(req.headers.accept ?? '').includes('text/event-stream')) return send(res, 200, report);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    for (let k = 1; k <= 5; k++) { res.write(`event: progress\ndata: ${JSON.stringify({ rows: Math.round((lines.length * k) / 5), total: lines.length })}\n\n`); await new Promise((r) => setTimeout(r, 150)); }
    res.write(`event: report\ndata: ${JSON.stringify(report)}\n\n`);
    return res.end();
  }
  if (route === '/imports') return send(res, 200, { imports: imports.map(({ rejected, ...r }) => ({ ...r, rejected: rejected.length })) });
  if ((m = /^\/imports\/(\d+)\/errors$/.exec(route))) {
    const rec = imports.find((r) => r.id === Number(m[1]));
    res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="errors-${m[1]}.csv"` });
    return res.end('\uFEFF行号,列,错误原因\n' + rec.rejected.map((r) => `${r.row},${r.column},${r.reason}`).join('\n'));
  }
  if (route === '/events') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.write(': hello\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
    return;
  }
  const handled = await roundsAndCases(req, res, route, u, me);
  if (handled !== false) return;
  if (!command) return err(res, 403, 'forbidden', 'command role only');
  if (route === '/users' && req.method === 'GET') return send(res, 200, { users: users.map(publicUser) });
  if (route === '/users' && req.method === 'POST') { const b = JSON.parse((await body(req)).toString()); users.push(b); return send(res, 201, { user: publicUser(b) }); }
  if (route === '/tokens' && req.method === 'GET') return send(res, 200, { tokens });
  if (route === '/tokens' && req.method === 'POST') { const b = JSON.parse((await body(req)).toString()); const tk = { id: tokens.length + 1, name: b.name, role: 'lab', created_at: new Date().toISOString() }; tokens.push(tk); return send(res, 201, { ...tk, token: 'fx_' + crypto.randomBytes(20).toString('hex') }); }
  if (route === '/audit') return send(res, 200, { entries: audit });
  return err(res, 404, 'not_found', route);
});

// ---- test rounds, cases and tracking (docs/api.md), simplified: every person due,
// tubes keyed by code, results move statuses as docs/test-rounds.md describes.
const unitIds = new Map();
for (const p of people) {
  const k = p.institution_code + '|' + p.unit_path;
  if (!unitIds.has(k)) unitIds.set(k, unitIds.size + 1);
  p.unit_id = unitIds.get(k);
}
const byId = new Map(people.map((p) => [p.id, p]));
const byIdNumber = new Map(people.map((p) => [p.id_number, p]));
const rounds = [];
let rnd = 42;
const rand = () => ((rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648);
const STATUS_NAME = { due: '应检未采', sampled: '已采样', negative: '阴性', pool_positive: '混阳待复检', positive: '阳性', invalid: '无效重采', missed: '漏检', exempt: '免检' };
const nowText = () => new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16);

function newRound({ name, date, pool_size = 10, scope = { kind: 'all', values: [] }, deadline = '' }, by) {
  let due = people;
  if (scope.kind === 'institutions') due = people.filter((p) => scope.values.includes(p.institution_code));
  if (scope.kind === 'units') due = people.filter((p) => scope.values.map(Number).includes(p.unit_id));
  if (scope.kind === 'people') due = people.filter((p) => scope.values.map(Number).includes(p.id));
  const r = {
    id: rounds.length + 1, name, date, pool_size, scope, deadline, status: 'open', created_at: new Date().toISOString(),
    created_by: by, closed_at: '', due_snapshot: due.length, status_of: new Map(due.map((p) => [p.id, 'due'])), tubes: new Map(),
  };
  rounds.unshift(r);
  return r;
}
function roundJson(r) { const { status_of, tubes, ...x } = r; return x; }
function rowOf(list, r, extra) {
  const c = { due: 0, sampled: 0, reported: 0, negative: 0, pending: 0, positive: 0, pool_positive: 0, invalid: 0, missed: 0, exempt: 0 };
  for (const p of list) {
    let st = r.status_of.get(p.id);
    if (st === 'due' && r.status === 'closed') st = 'missed';
    if (st === 'exempt') { c.exempt++; continue; }
    c.due++;
    if (st === 'missed') c.missed++;
    if (st !== 'due' && st !== 'missed') c.sampled++;
    if (['negative', 'positive', 'pool_positive', 'invalid'].includes(st)) { c.reported++; c[st]++; }
    if (st === 'sampled') c.pending++;
  }
  c.coverage = c.due ? Math.round((c.sampled / c.due) * 1000) / 10 : 0;
  return { ...extra, ...c };
}
function dueOf(r, me) { return scoped(me).filter((p) => r.status_of.has(p.id)); }
function roundTotal(r, me) { return rowOf(dueOf(r, me), r, { institution_code: '', institution_name: '合计' }); }
function roundTable(r, me, by, inst) {
  let list = dueOf(r, me);
  if (inst) list = list.filter((p) => p.institution_code === inst);
  const groups = new Map();
  for (const p of list) {
    const k = by === 'unit' ? p.unit_id : p.institution_code;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(p);
  }
  const rows = [...groups.values()].map((g) => rowOf(g, r, {
    institution_code: g[0].institution_code, institution_name: g[0].institution_name,
    ...(by === 'unit' ? { unit_id: g[0].unit_id, unit_path: g[0].unit_path } : {}),
  }));
  return { round: roundJson(r), by, generated_at: new Date().toISOString(), rows, total: rowOf(list, r, { institution_code: '', institution_name: '合计' }) };
}
function applySampling(r, records) {
  const rejected = []; let imported = 0, unchanged = 0, created = 0;
  records.forEach((x, i) => {
    const p = x.id_number ? byIdNumber.get(x.id_number) : people.find((q) => q.person_code === x.person_code && q.institution_code === x.institution_code);
    if (!x.tube_code) return rejected.push({ row: i + 1, column: '采样管码', reason: '采样管码不能为空' });
    if (!p) return rejected.push({ row: i + 1, column: '证件号码', reason: '人员不在台账中' });
    if (!r.status_of.has(p.id)) return rejected.push({ row: i + 1, column: '证件号码', reason: '不在本轮应检范围' });
    const st = r.status_of.get(p.id);
    const t = r.tubes.get(x.tube_code) ?? (created++, { members: [], result: '' });
    if (t.members.includes(p.id)) return unchanged++;
    if (!['due', 'pool_positive', 'invalid'].includes(st)) return rejected.push({ row: i + 1, column: '证件号码', reason: '此人本轮已采样' });
    if (t.members.length >= r.pool_size) return rejected.push({ row: i + 1, column: '采样管码', reason: '超过混采人数' });
    t.members.push(p.id); r.tubes.set(x.tube_code, t);
    if (st === 'due') r.status_of.set(p.id, 'sampled');
    imported++;
  });
  return { kind: 'sampling', round: r.id, already_imported: false, rows: records.length, imported, unchanged, flagged: 0, tubes_created: created, rejected, conflicts: [], seconds: 0.01 };
}
const RESULT = { 阴性: 'negative', 阳性: 'positive', 无效: 'invalid', negative: 'negative', positive: 'positive', invalid: 'invalid' };
function applyResults(r, records) {
  const rejected = []; let imported = 0;
  records.forEach((x, i) => {
    const t = r.tubes.get(x.tube_code);
    const res = RESULT[x.result];
    if (!t) return rejected.push({ row: i + 1, column: '采样管码', reason: '未知管码' });
    if (!res) return rejected.push({ row: i + 1, column: '检测结果', reason: '检测结果应为 阴性/阳性/无效' });
    t.result = res;
    for (const id of t.members) r.status_of.set(id, res === 'positive' ? (t.members.length > 1 ? 'pool_positive' : 'positive') : res);
    imported++;
  });
  return { kind: 'results', round: r.id, already_imported: false, rows: records.length, imported, unchanged: 0, flagged: 0, tubes_created: 0, rejected, conflicts: [], seconds: 0.01 };
}
function parseTable(buf) {
  const [head, ...lines] = buf.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}
function csvOf(head, rows) { return '\uFEFF' + [head, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n'; }
function sendFile(res, format, name, head, rows) {
  // The mock writes CSV for both formats (the real server writes real XLSX).
  res.writeHead(200, {
    'Content-Type': format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${encodeURIComponent(name)}.${format}"`,
  });
  res.end(csvOf(head, rows));
}

// A seeded round with a realistic spread, and two cases, one infected by the other.
{
  const r = newRound({ name: '第一轮全员核酸检测', date: '2022-03-05', pool_size: 10, deadline: '2022-03-05 18:00' }, 'command');
  let tube = 0, pool = [];
  for (const p of people) {
    const x = rand();
    if (x < 0.03) continue; // not sampled yet
    if (x < 0.035) { r.status_of.set(p.id, 'exempt'); continue; }
    pool.push(p.id);
    if (pool.length === 10) { r.tubes.set(`T${String(++tube).padStart(8, '0')}`, { members: pool, result: '' }); pool = []; }
  }
  for (const [code, t] of r.tubes) {
    const y = rand();
    const res = y < 0.1 ? '' : y < 0.105 ? 'positive' : y < 0.11 ? 'invalid' : 'negative';
    t.result = res;
    for (const id of t.members) r.status_of.set(id, res === '' ? 'sampled' : res === 'positive' ? 'pool_positive' : res);
  }
  const r0 = newRound({ name: '第零轮抽样检测', date: '2022-03-02', pool_size: 20, scope: { kind: 'institutions', values: [insts[0].code] } }, 'command');
  r0.status = 'closed'; r0.closed_at = '2022-03-02T12:00:00Z';
  for (const p of people) if (r0.status_of.has(p.id) && rand() < 0.97) r0.status_of.set(p.id, 'negative');
  rounds.sort((a, b) => b.id - a.id);
}

const sites = [
  { id: 1, name: '净月宾馆', address: '净月大街 1 号', capacity: 120, occupied: 0 },
  { id: 2, name: '长影酒店', address: '红旗街 9 号', capacity: 60, occupied: 0 },
];
const cases = [];
const keyPeople = [];
const addDays = (d, n) => { const x = new Date(d + 'T00:00:00Z'); x.setUTCDate(x.getUTCDate() + n); return x.toISOString().slice(0, 10); };
const TODAY = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
function confirmCase({ person, sample_time, onset = '', confirmed_at, policy = 'covid-8th', symptoms = '' }, infectedBy = 0) {
  const p = person.includes(':')
    ? people.find((q) => q.institution_code + ':' + q.person_code === person)
    : byIdNumber.get(person);
  if (!p) return { error: [404, 'not_found', `找不到人员 ${person}`] };
  if (cases.some((c) => c.person === p.id)) return { error: [409, 'conflict', `${p.name} is already a case`] };
  const mates = people.filter((q) => q.id !== p.id && q.unit_path === p.unit_path && q.institution_code === p.institution_code).slice(0, 40);
  const secondary = people.filter((q) => q.institution_code === p.institution_code && q.unit_path !== p.unit_path && !cases.some((c) => c.person === q.id)).filter(() => rand() < 0.15).slice(0, 60);
  const c = {
    id: cases.length + 1, person: p.id, name: p.name, institution: p.institution_name, institution_code: p.institution_code, unit: p.unit_path,
    id_masked: mask(p.id_number, 4, 4), person_code: p.person_code, sample_time, confirmed_at: confirmed_at ?? nowText(), onset_date: onset, policy, symptoms,
    window_from: addDays(sample_time.slice(0, 10), -4) + ' 00:00', window_to: sample_time, outcome: '住院治疗', infected_by: infectedBy,
    close: mates.length, secondary: secondary.length,
  };
  cases.unshift(c);
  const start = sample_time.slice(0, 10);
  const row = (q, category, src) => {
    const kp = keyPeople.find((k) => k.person === q.id);
    if (kp) return kp;
    const k = {
      id: keyPeople.length + 1, person: q.id, name: q.name, person_code: q.person_code, id_masked: mask(q.id_number, 4, 4), institution: q.institution_name,
      institution_code: q.institution_code, unit: q.unit_path, category, status: 'quarantined', policy, first_exposure: start + ' 08:00', last_exposure: start + ' 17:00',
      quarantine_kind: category === 'close' ? 'centralised' : 'home', site: '', site_id: 0, start: start + ' 20:00', planned_end: addDays(start, category === 'close' ? 7 : 7) + ' 20:00',
      transfer: category === 'close' ? 'requested' : '', case: c.id, sources: [{ person: src.id, name: src.name, minutes: category === 'close' ? 240 : 0, exposures: [] }],
      tests: [1, 2, 3, 5, 7].map((d) => ({ day: d, date: addDays(start, d), note: d === 7 ? '解除前' : '', result: '', state: '' })),
    };
    keyPeople.push(k);
    return k;
  };
  for (const q of mates) row(q, 'close', p);
  for (const q of secondary) row(q, 'secondary', mates[0] ?? p);
  const kp = keyPeople.find((k) => k.person === p.id);
  if (kp) kp.status = 'became_case';
  c.lists = { close: mates.map((q) => q.id), secondary: secondary.map((q) => q.id) };
  return { case: c };
}
function trackingRow(k) {
  const today = TODAY();
  let overdue = 0;
  const tests = k.tests.map((x) => {
    const state = x.result ? 'done' : x.date < today ? 'overdue' : x.date === today ? 'due' : 'upcoming';
    if (state === 'overdue' && k.status === 'quarantined') overdue++;
    return { ...x, state };
  });
  const { institution_code, site_id, ...rest } = k;
  return { ...rest, tests, overdue, release_due: k.status === 'quarantined' && k.planned_end.slice(0, 10) < today && tests.every((x) => x.result === 'negative') };
}
if (args.cases !== 'none') {
  const first = people.find((p) => p.institution_code === insts[0].code && p.dorm) ?? people[0];
  confirmCase({ person: first.institution_code + ':' + first.person_code, sample_time: addDays(TODAY(), -3) + ' 08:00', onset: addDays(TODAY(), -4), symptoms: '发热' });
  const k = keyPeople[2];
  if (k) {
    const q = byId.get(k.person);
    confirmCase({ person: q.institution_code + ':' + q.person_code, sample_time: addDays(TODAY(), -1) + ' 09:00' }, cases[0].person);
  }
  for (const k of keyPeople.slice(0, 10)) k.tests[0].result = 'negative';
}

async function roundsAndCases(req, res, route, u, me) {
  const q = u.searchParams;
  const json = async () => JSON.parse((await body(req)).toString() || '{}');
  const mine = (code) => !me.institution || me.institution === code;
  let m;
  if (route === '/rounds' && req.method === 'GET') return send(res, 200, { items: rounds.map((r) => ({ round: roundJson(r), total: roundTotal(r, me) })) });
  if (route === '/rounds' && req.method === 'POST') {
    if (!canDo(me, 'rounds.manage')) return err(res, 403, 'forbidden', 'rounds.manage');
    const b = await json();
    if (!b.name || !/^\d{4}-\d{2}-\d{2}$/.test(b.date ?? '')) return err(res, 400, 'invalid', 'name and date (YYYY-MM-DD) are required');
    const r = newRound(b, me.username);
    change('round.created');
    return send(res, 201, { round: roundJson(r), total: roundTotal(r, me) });
  }
  if ((m = /^\/rounds\/(\d+)(\/.*)?$/.exec(route))) {
    const r = rounds.find((x) => x.id === Number(m[1]));
    if (!r) return err(res, 404, 'not_found', 'no such round');
    const sub = m[2] ?? '';
    if (sub === '' && req.method === 'GET') return send(res, 200, { round: roundJson(r), total: roundTotal(r, me) });
    if (sub === '/close' && req.method === 'POST') { r.status = 'closed'; r.closed_at = new Date().toISOString(); change('round.closed'); return send(res, 200, { round: roundJson(r), total: roundTotal(r, me) }); }
    if (sub === '/table') {
      const t = roundTable(r, me, q.get('by') === 'unit' ? 'unit' : 'institution', q.get('institution'));
      const format = q.get('format') ?? 'json';
      if (format === 'json') return send(res, 200, t);
      const cols = ['due', 'sampled', 'reported', 'negative', 'pending', 'pool_positive', 'positive', 'invalid', 'missed', 'exempt', 'coverage'];
      return sendFile(res, format, `核酸检测统计表-${r.name}`, ['学校代码', '学校名称', ...(t.by === 'unit' ? ['班级'] : []), '应检', '已采样', '已出结果', '阴性', '待出结果', '混阳', '阳性', '无效', '漏检', '免检', '覆盖率%'],
        [...t.rows, t.total].map((row) => [row.institution_code, row.institution_name, ...(t.by === 'unit' ? [row.unit_path ?? ''] : []), ...cols.map((c) => row[c])]));
    }
    if (sub === '/people') {
      const statuses = (q.get('status') ?? '').split(',').filter(Boolean);
      let list = dueOf(r, me).map((p) => ({ p, st: r.status_of.get(p.id) === 'due' && r.status === 'closed' ? 'missed' : r.status_of.get(p.id) }));
      if (statuses.length) list = list.filter((x) => statuses.includes(x.st) || (statuses.includes('sampled') && !['due', 'missed', 'exempt'].includes(x.st)));
      else list = list.filter((x) => x.st !== 'exempt');
      if (q.get('institution')) list = list.filter((x) => x.p.institution_code === q.get('institution'));
      if (q.get('unit')) list = list.filter((x) => x.p.unit_id === Number(q.get('unit')));
      const page = Number(q.get('page') ?? 1), per = Number(q.get('per_page') ?? 50);
      const items = list.slice((page - 1) * per, page * per).map(({ p, st }) => ({
        person_id: p.id, institution: { code: p.institution_code, name: p.institution_name }, unit_path: p.unit_path, name: p.name,
        person_code: p.person_code, id_masked: mask(p.id_number, 4, 4), status: st, status_name: STATUS_NAME[st],
      }));
      return send(res, 200, { items, total: list.length, page, per_page: per });
    }
    if ((m = /^\/(imports\/)?(sampling|results)$/.exec(sub)) && req.method === 'POST') {
      if (!canDo(me, 'samples.write')) return err(res, 403, 'forbidden', 'samples.write');
      let records;
      if (m[1]) {
        const rows = parseTable(await body(req));
        records = m[2] === 'sampling'
          ? rows.map((x) => ({ tube_code: x['采样管码'], id_number: x['证件号码'], name: x['姓名'], site: x['采样点'], sampled_at: x['采样时间'] }))
          : rows.map((x) => ({ tube_code: x['采样管码'], result: x['检测结果'], lab: x['检测机构'], reported_at: x['报告时间'] }));
      } else records = (await json()).records ?? [];
      const report = m[2] === 'sampling' ? applySampling(r, records) : applyResults(r, records);
      if (m[1]) for (const x of report.rejected) x.row += 1; // header is row 1 in a file
      change(`round.${m[2]}`);
      return send(res, m[1] ? 201 : 200, m[1] ? { ...report, file_name: q.get('filename'), format: 'csv', sha256: '', import_id: imports.length + 1 } : report);
    }
    return err(res, 404, 'not_found', route);
  }
  if (route === '/cases' && req.method === 'GET') return send(res, 200, { items: cases.filter((c) => mine(c.institution_code)).map(({ lists, institution_code, ...c }) => c) });
  if (route === '/cases' && req.method === 'POST') {
    if (!canDo(me, 'cases.manage')) return err(res, 403, 'forbidden', 'cases.manage');
    const b = await json();
    if (!b.person || !b.sample_time) return err(res, 400, 'invalid', 'person and sample_time are required');
    // A listed contact who becomes a case was infected by their source.
    const listed = keyPeople.find((k) => (b.person.includes(':') ? `${k.institution_code}:${k.person_code}` : byId.get(k.person)?.id_number) === b.person);
    const out = confirmCase(b, listed ? cases.find((c) => c.id === listed.case)?.person ?? 0 : 0);
    if (out.error) return err(res, ...out.error);
    change('case.confirmed');
    const k = out.case;
    return send(res, 201, { case: { id: k.id, person: k.person }, close: k.close, secondary: k.secondary, without_site: k.close, lists: k.lists });
  }
  if ((m = /^\/cases\/(\d+)$/.exec(route))) {
    const c = cases.find((x) => x.id === Number(m[1]));
    if (!c || !mine(c.institution_code)) return err(res, 404, 'not_found', 'no such case');
    const p = byId.get(c.person);
    const contacts = keyPeople.filter((k) => k.case === c.id).map((k) => ({ person: k.person, name: k.name, category: k.category, status: k.status, minutes: k.sources[0]?.minutes ?? 0, became_case: cases.some((x) => x.person === k.person) }));
    const card = {
      case: c.id, person: c.person, name: c.name, person_code: c.person_code, id_masked: c.id_masked, institution: c.institution, unit: c.unit,
      sample_time: c.sample_time, onset_date: c.onset_date, confirmed_at: c.confirmed_at, symptoms: c.symptoms, policy: c.policy, window_from: c.window_from,
      window_to: c.window_to, outcome: c.outcome, infected_by: c.infected_by, infected_by_name: c.infected_by ? byId.get(c.infected_by)?.name : '',
      close: c.close, secondary: c.secondary, became_cases: contacts.filter((x) => x.became_case).length,
      places: [
        { place: p.unit_path.split(' / ').pop() + ' 教室', kind: 'classroom', from: c.window_from, to: c.window_to, minutes: 1680, contacts: c.close },
        ...(p.dorm ? [{ place: p.dorm, kind: 'dorm_room', from: c.window_from, to: c.window_to, minutes: 2400, contacts: 3 }] : []),
        { place: '第一食堂', kind: 'canteen', from: c.window_from, to: c.window_to, minutes: 180, contacts: 41 },
      ],
      contacts,
    };
    const format = q.get('format') ?? 'json';
    if (format === 'json') return send(res, 200, card);
    return sendFile(res, format, `病例卡-${c.id}`, ['项目', '内容'], [['姓名', c.name], ['证件号码', c.id_masked], ['学校', c.institution], ['密接 / 次密接', `${c.close} / ${c.secondary}`]]);
  }
  if (route === '/tracking') {
    let list = keyPeople.filter((k) => mine(k.institution_code));
    if (q.get('institution')) list = list.filter((k) => k.institution_code === q.get('institution'));
    const all = list.map(trackingRow);
    let rows = all;
    if (q.get('category')) rows = rows.filter((k) => k.category === q.get('category'));
    if (q.get('status')) rows = rows.filter((k) => k.status === q.get('status'));
    const t = {
      today: TODAY(), close: rows.filter((k) => k.category === 'close').length, secondary: rows.filter((k) => k.category === 'secondary').length,
      quarantined: rows.filter((k) => k.status === 'quarantined').length, overdue_tests: rows.reduce((a, k) => a + k.overdue, 0),
      without_site: rows.filter((k) => k.status === 'quarantined' && k.quarantine_kind === 'centralised' && !k.site).length, rows,
    };
    const format = q.get('format') ?? 'json';
    if (format === 'json') return send(res, 200, t);
    return sendFile(res, format, '重点人员防控跟踪表', ['姓名', '证件号码', '学校', '班级', '类别', '状态', '隔离点', '计划解除'],
      rows.map((k) => [k.name, k.id_masked, k.institution, k.unit, k.category === 'close' ? '密接' : '次密接', k.status, k.site, k.planned_end]));
  }
  if ((m = /^\/tracking\/(\d+)\/(transfer|release)$/.exec(route)) && req.method === 'POST') {
    if (!canDo(me, 'cases.manage')) return err(res, 403, 'forbidden', 'cases.manage');
    const k = keyPeople.find((x) => x.id === Number(m[1]));
    if (!k || !mine(k.institution_code)) return err(res, 404, 'not_found', 'no such key person');
    const b = await json();
    if (m[2] === 'transfer') {
      const s = sites.find((x) => x.id === Number(b.site));
      if (!s) return err(res, 400, 'invalid', 'no such site');
      if (s.occupied >= s.capacity) return err(res, 409, 'conflict', `${s.name} is full`);
      const old = sites.find((x) => x.id === k.site_id);
      if (old) old.occupied--;
      s.occupied++; k.site = s.name; k.site_id = s.id; k.transfer = 'arrived';
    } else {
      const old = sites.find((x) => x.id === k.site_id);
      if (old) old.occupied--;
      k.status = 'released'; k.transfer = '';
    }
    change(`tracking.${m[2]}`);
    return send(res, 200, trackingRow(k));
  }
  if (route === '/sites' && req.method === 'GET') return send(res, 200, { items: sites });
  if (route === '/sites' && req.method === 'POST') {
    if (!canDo(me, 'cases.manage')) return err(res, 403, 'forbidden', 'cases.manage');
    const b = await json();
    const s = { id: sites.length + 1, name: b.name, address: b.address ?? '', capacity: Number(b.capacity) || 0, occupied: 0 };
    sites.push(s);
    change('site.added');
    return send(res, 201, s);
  }
  return false;
}

function serveStatic(p, res) {
  let file = path.join(webRoot, path.normalize(p));
  if (!file.startsWith(webRoot) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(webRoot, 'index.html');
  const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' }[path.extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type + '; charset=utf-8' });
  fs.createReadStream(file).pipe(res);
}

server.listen(port, '127.0.0.1', () => console.log(`mock API on http://127.0.0.1:${port} (data ${dataDir}, web ${webRoot})`));
