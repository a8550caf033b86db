// A stand-in for a university portal on another origin (localhost instead of 127.0.0.1),
// which frames a university's login page: /allowed frames `e2e` (which lists this origin),
// /blocked frames `e2e-quick` (which lists none).
import http from 'node:http';

const PORT = Number(process.env.PORTAL_PORT ?? 3200);
const SHOMEI = process.env.SHOMEI_URL ?? 'http://127.0.0.1:3100';

const page = (tenant) => `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>大学ポータル</title></head>
<body><h1>大学ポータル</h1>
<iframe title="証明書発行サービス" src="${SHOMEI}/${tenant}/login" width="900" height="700"></iframe>
</body></html>`;

http
  .createServer((req, res) => {
    const tenant = { '/allowed': 'e2e', '/blocked': 'e2e-quick' }[req.url];
    if (req.url === '/' || tenant) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(tenant ? page(tenant) : 'portal');
    } else {
      res.writeHead(404).end();
    }
  })
  .listen(PORT, '127.0.0.1');
