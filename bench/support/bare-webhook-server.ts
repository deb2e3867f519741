import express from 'express';
import type {AddressInfo} from 'node:net';

/**
 * The baseline of the ingest benchmarks, as its own process: a bare express handler that reads the raw body (as the
 * connector's webhook route does) and answers 200, nothing verified or stored. Prints `listening <port>`.
 */
const app = express();
app.post('/webhooks/shopify', express.raw({type: () => true, limit: '2mb'}), (_req, res) => {
  res.status(200).json({accepted: true});
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
