// A stand-in for `ssl4code serve` that the start-up tests spawn: `node fake-serve.js ... --port N`.
// FAKE_SERVE selects what it does: ok (answers /v1/health and /v1/completions after a short
// start-up), no-module, port-busy, model (fails like the real one does), hang (never listens).
import * as http from 'node:http';

const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
const mode = process.env.FAKE_SERVE ?? 'ok';
console.log(`fake serve: argv ${JSON.stringify(process.argv.slice(2))}`);
if (mode === 'no-module') {
  console.error("ModuleNotFoundError: No module named 'ssl4code'");
  process.exit(1);
} else if (mode === 'port-busy') {
  console.error(`ssl4code serve: error: cannot listen on 127.0.0.1:${port}: Address already in use`);
  process.exit(2);
} else if (mode === 'model') {
  console.error('ssl4code serve: error: cannot load checkpoint broken.pt: not a checkpoint');
  process.exit(2);
} else if (mode === 'hang') {
  setInterval(() => undefined, 1000);
} else {
  setTimeout(() => {
    http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (req.url === '/v1/health') res.end(JSON.stringify({ model: 'fake', params: 1234, device: 'cpu' }));
      else res.end(JSON.stringify({ id: 'cmpl-f', choices: [{ index: 0, text: 'from the started server' }] }));
    }).listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
  }, 300);
}
