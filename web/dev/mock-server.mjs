#!/usr/bin/env node
// A stand-in for `fangxian serve`, for front-end development only: it follows
// docs/api.md with the response shapes the dashboard expects, over a district
// written by `fangxian sim district`. The browser tests run against the real server.
//
//   node dev/mock-server.mjs --data /tmp/d --port 8090 [--web-root dist]
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
const publicUser = ({ password, ...u }) => ({ ...u, scope: u.institution ?? 'district' });

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
  if (!command) return err(res, 403, 'forbidden', 'command role only');
  if (route === '/users' && req.method === 'GET') return send(res, 200, { users: users.map(publicUser) });
  if (route === '/users' && req.method === 'POST') { const b = JSON.parse((await body(req)).toString()); users.push(b); return send(res, 201, { user: publicUser(b) }); }
  if (route === '/tokens' && req.method === 'GET') return send(res, 200, { tokens });
  if (route === '/tokens' && req.method === 'POST') { const b = JSON.parse((await body(req)).toString()); const tk = { id: tokens.length + 1, name: b.name, role: 'lab', created_at: new Date().toISOString() }; tokens.push(tk); return send(res, 201, { ...tk, token: 'fx_' + crypto.randomBytes(20).toString('hex') }); }
  if (route === '/audit') return send(res, 200, { entries: audit });
  return err(res, 404, 'not_found', route);
});

function serveStatic(p, res) {
  let file = path.join(webRoot, path.normalize(p));
  if (!file.startsWith(webRoot) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(webRoot, 'index.html');
  const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' }[path.extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type + '; charset=utf-8' });
  fs.createReadStream(file).pipe(res);
}

server.listen(port, '127.0.0.1', () => console.log(`mock API on http://127.0.0.1:${port} (data ${dataDir}, web ${webRoot})`));
